// Shared by the headless UI tests: a kiosk database seeded with a few clients in
// every alphabet and pass state, the real KioskApp on SDL's dummy driver with the
// software renderer, and taps, screenshots and queries on top of it.
#pragma once

#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/kiosk_app.h"
#include "store/pins.h"
#include "../test_support.h"

namespace studio::test {

struct ScreenSize {
    int w, h;
};

// Anna Kowalski (GS-1, 10-session pass), `second` (GS-2), Ольга Ёлкина (GS-3,
// unlimited), Zoë Martin (GS-4, expired); an 18:00 class; a focus; coach PIN 2468.
inline void seed_studio(KioskStore& s, const Clock& clock, const std::string& second) {
    const std::string csv =
        "first_name,last_name,phone,email,member_code,prior_sessions,pass_sessions,pass_valid_from,pass_valid_until\n"
        "Anna,Kowalski,+48 601 555 010,anna@example.com,GS-1,3,10,2026-11-01,2026-12-31\n" +
        second +
        "Ольга,Ёлкина,+7 921 555 01 07,,GS-3,9,unlimited,2026-11-01,2026-12-31\n"
        "Zoë,Martin,+33 6 55 51 04 00,,GS-4,1,5,2026-10-01,2026-11-10\n";
    REQUIRE(s.import_clients(csv, false, clock).imported);
    ClassSession c;
    c.uid = "c18";
    c.starts_at = at(2026, 11, 20, 18, 0);
    c.title = "Upper back opening";
    c.coach = "Irina";
    s.upsert_class(c);
    s.set_focus({"2026-11-20", "Breath and ribs", "Let every exhale widen the ribs."});
    set_staff_pin(s, "coach", "2468");
}

struct KioskHarness {
    TempDir dir;
    FakeClock clock;
    KioskConfig cfg;
    std::unique_ptr<KioskApp> app;
    std::string size;
    std::string shot_prefix;

    explicit KioskHarness(Seconds now, std::string prefix = "") : clock(now), shot_prefix(std::move(prefix)) {
        cfg.db_path = dir.file("kiosk.db");
        cfg.fullscreen = false;
    }
    // Opens the app on the seeded database.
    void start(ScreenSize sz) {
        WindowSpec spec;
        spec.width = sz.w;
        spec.height = sz.h;
        spec.fullscreen = false;
        spec.software = true;
        app = std::make_unique<KioskApp>(cfg, clock, spec);
        size = std::to_string(sz.w) + "x" + std::to_string(sz.h);
    }
    void shot(const std::string& name) {
        std::filesystem::create_directories(STUDIO_SCREENSHOT_DIR);
        app->frame();
        app->frame(std::string(STUDIO_SCREENSHOT_DIR) + "/" + size + "-" + shot_prefix + name + ".png");
    }
    void tap(const std::string& id) {
        INFO("tap " << id);
        REQUIRE(app->tap(id));
    }
    void advance(Seconds s) {
        clock.advance(s);
        app->tick();
    }
    int count(const std::string& sql) { return app->store().db().execAndGet(sql).getInt(); }
    const FlowState& st() const { return app->state(); }
};

}  // namespace studio::test
