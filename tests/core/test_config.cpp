// The config file maps one to one onto KioskConfig; mistakes are named by line.
#include <catch2/catch.hpp>

#include "core/config.h"

#include <fstream>
#include <iterator>

using namespace studio;

TEST_CASE("config: defaults, overrides and comments") {
    KioskConfig cfg;
    CHECK(cfg.rules.window_before_min == 30);
    CHECK(cfg.rules.window_after_min == 20);
    CHECK(cfg.rules.long_gap_days == 14);
    CHECK(cfg.done_seconds == 8);
    CHECK(cfg.idle_reset_seconds == 20);
    apply_config(cfg,
                 "# comment\n\nlanguage = ru\ncheckin_window_before_min = 45\r\nlong_gap_days=21\nfullscreen = no\n"
                 "server_url = https://studio.example.com/#x   # the central server\n",
                 "kiosk.conf");
    CHECK(cfg.language == "ru");
    CHECK(cfg.rules.window_before_min == 45);
    CHECK(cfg.rules.long_gap_days == 21);
    CHECK_FALSE(cfg.fullscreen);
    CHECK(cfg.server_url == "https://studio.example.com/#x");
}

TEST_CASE("config: unknown keys and bad values are refused with the line") {
    KioskConfig cfg;
    auto fails_with = [&](const std::string& text, const std::string& words) {
        try {
            apply_config(cfg, text, "kiosk.conf");
        } catch (const ConfigError& e) {
            return std::string(e.what()).find(words) != std::string::npos;
        }
        return false;
    };
    CHECK(fails_with("language = en\nlangauge = ru\n", "kiosk.conf:2: unknown setting \"langauge\""));
    CHECK(fails_with("done_seconds = 0\n", "kiosk.conf:1: bad value for done_seconds"));
    CHECK(fails_with("done_seconds = 8s\n", "bad value"));
    CHECK(fails_with("language = de\n", "bad value for language"));
    CHECK(fails_with("just words\n", "expected `key = value`"));
}

TEST_CASE("config: every key is documented in the example file") {
    // The example ships in assets/; it must name every key the program knows.
    std::ifstream in(std::string(STUDIO_SOURCE_DIR) + "/assets/kiosk.conf.example");
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    REQUIRE_FALSE(text.empty());
    for (const auto& k : config_keys()) {
        INFO(k.name);
        CHECK(text.find(k.name) != std::string::npos);
    }
    KioskConfig cfg;
    CHECK_NOTHROW(apply_config(cfg, text, "kiosk.conf.example"));
}
