// studio-kiosk: the kiosk screens, or a display-less subcommand (see cli.h).
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "core/log.h"
#include "kiosk/cli.h"
#include "kiosk/config_check.h"
#include "kiosk/kiosk_app.h"
#include "kiosk/scripted_demo.h"

namespace {

bool parse_size(const std::string& s, int& w, int& h) {
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 320 && h >= 240 && w <= 7680 && h <= 4320;
}

// Loads and checks the config; on a mistake says which file, line and key and what
// to do, and returns EX_CONFIG (the unit does not restart on it).
std::optional<studio::KioskConfig> config_for_run(const studio::CliOptions& opts) {
    studio::KioskConfig cfg;
    try {
        cfg = studio::load_config(opts);
    } catch (const studio::ConfigError& e) {
        studio::log_error(std::string(e.what()) + "; fix it, then restart the kiosk");
        return std::nullopt;
    }
    bool fatal = false;
    for (const auto& p : studio::check_config(cfg)) {
        if (p.fatal) studio::log_error(p.message);
        else studio::log_warning(p.message);
        fatal |= p.fatal;
    }
    if (fatal) {
        studio::log_error("not starting: fix the settings above (`studio-kiosk --config FILE check-config` checks them)");
        return std::nullopt;
    }
    return cfg;
}

int run_screens(const studio::CliOptions& opts) {
    const auto checked = config_for_run(opts);
    if (!checked) return studio::kExitConfig;
    try {
        const studio::KioskConfig& cfg = *checked;
        studio::WindowSpec spec;
        spec.fullscreen = cfg.fullscreen;
        spec.width = cfg.window_width;
        spec.height = cfg.window_height;
        spec.font_path = cfg.font_path;
        if (const auto size = opts.flag("windowed")) {
            if (!parse_size(*size, spec.width, spec.height)) {
                std::cerr << "studio-kiosk: --windowed needs WIDTHxHEIGHT, e.g. 1280x800\n";
                return 2;
            }
            spec.fullscreen = false;
        }
        studio::KioskConfig run_cfg = cfg;
        run_cfg.fullscreen = spec.fullscreen;
        studio::SystemClock clock;
        studio::KioskApp app(run_cfg, clock, spec);
        if (opts.flag("exit-after-first-frame")) app.exit_after_first_frame();
        if (const auto role = opts.flag("role")) {
            if (*role != "coach") {
                std::cerr << "studio-kiosk: --role takes coach\n";
                return 2;
            }
            app.start_as_coach_device();
        }
        return app.run();
    } catch (const std::exception& e) {
        studio::log_error(e.what());
        return 1;
    }
}

int run_screenshots(const studio::CliOptions& opts) {
    const auto out = opts.flag("out");
    if (!out) {
        std::cerr << "studio-kiosk: screenshots needs --out DIR\n";
        return 2;
    }
    try {
        const studio::KioskConfig cfg = studio::load_config(opts);
        int total = 0;
        for (auto [w, h] : {std::pair{800, 480}, std::pair{1280, 800}})
            total += studio::run_scripted_demo(cfg, *out, w, h, std::cout);
        std::cout << total << " screenshots in " << *out << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "studio-kiosk: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const studio::CliOptions opts = studio::parse_cli(args);
    if (opts.error.empty() && !opts.help) {
        if (opts.command.empty() || opts.command == "run") return run_screens(opts);
        if (opts.command == "screenshots") return run_screenshots(opts);
    }
    studio::SystemClock clock;
    return studio::run_cli(opts, std::cout, std::cerr, clock);
}
