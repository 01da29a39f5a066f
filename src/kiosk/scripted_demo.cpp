#include "kiosk/scripted_demo.h"

#include <filesystem>

#include "kiosk/kiosk_app.h"

namespace studio {

int run_scripted_demo(const KioskConfig& cfg, const std::string& out_dir, int width, int height, std::ostream& log) {
    std::filesystem::create_directories(out_dir);
    SystemClock clock;
    WindowSpec spec;
    spec.width = width;
    spec.height = height;
    spec.fullscreen = false;
    spec.software = true;
    spec.font_path = cfg.font_path;
    KioskConfig c = cfg;
    c.fullscreen = false;
    KioskApp app(c, clock, spec);
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    int shots = 0;
    auto shot = [&](const std::string& name) {
        const std::string path = out_dir + "/" + size + "-" + name + ".png";
        app.frame();
        app.frame(path);
        log << "  " << path << "\n";
        ++shots;
    };
    shot("01-home");
    app.tap("key.a");
    app.tap("key.n");
    shot("02-results");
    app.tap("result.0");
    shot("03-done");
    app.tap("done");
    app.type("GS-1009");
    app.press_enter();
    shot("04-scanner-done");
    app.tap("done");
    app.type("GS-1009");
    app.press_enter();
    shot("05-already");
    app.tap("done");
    app.tap("lang.ru");
    app.type("ёл");
    shot("06-results-ru");
    app.tap("key.clear");
    app.tap("first_time");
    app.tap("reg.first");
    app.type("Вера");
    app.tap("reg.last");
    app.type("Новикова");
    shot("07-register");
    app.tap("reg.consent");
    app.tap("reg.submit");
    shot("08-first-visit-done");
    app.tap("done");
    return shots;
}

}  // namespace studio
