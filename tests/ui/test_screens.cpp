// The real kiosk screens, headless (SDL dummy driver, software renderer), driven
// by taps on named widgets. Each test asserts on the database and the flow state,
// and writes PNGs of what it saw at 800x480 and 1280x800 into build/screenshots.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "core/texts.h"
#include "ui_harness.h"

using namespace studio;
using studio::test::at;
using studio::test::TempDir;

namespace {

using Screen2 = studio::test::ScreenSize;

struct Fixture : studio::test::KioskHarness {
    explicit Fixture(Screen2 sz) : KioskHarness(at(2026, 11, 20, 17, 50)) {
        {
            KioskStore s(cfg.db_path);
            studio::test::seed_studio(s, clock, "Anna,Karlsson,+46 73 555 1124,,GS-2,0,,,\n");
        }
        start(sz);
    }
};

}  // namespace

TEST_CASE("screens: type a name on the on-screen keyboard, tap it, done") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1280, 800});
    Fixture f(sz);
    f.shot("home");
    CHECK(f.app->info().focus_title == "Breath and ribs");
    CHECK_THAT(f.app->info().next_class, Catch::Contains("Upper back opening") && Catch::Contains("18:00"));
    for (const char* k : {"key.a", "key.n", "key.n", "key.a", "key.space", "key.k", "key.o"}) f.tap(k);
    CHECK(f.app->state().query == "anna ko");
    REQUIRE(f.app->state().results.size() == 1);
    CHECK(f.app->state().results[0].display == "Anna K.");
    f.tap("key.backspace");
    f.tap("key.backspace");
    REQUIRE(f.app->state().results.size() == 2);   // both Annas K.
    f.shot("results");
    f.tap("key.k");
    f.tap("key.o");
    f.tap("result.0");
    REQUIRE(f.app->state().screen == studio::Screen::Done);
    const auto& d = f.app->state().done;
    CHECK(d.welcome == "Welcome, Anna");
    CHECK(d.session == "Session 4");
    CHECK(d.pass_line == builtin_texts().format(Lang::En, "pass.left", {{"left", "9"}}));   // prior sessions do not use the pass
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE source = 'self' AND session_number = 4") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM outbox WHERE kind = 'checkin'") == 1);
    f.shot("done");
    f.advance(8);
    CHECK(f.app->state().screen == studio::Screen::Home);
    f.advance(30 * 60);   // 18:28: the 18:00 class is no longer "next"
    CHECK(f.app->info().next_class.empty());
}

TEST_CASE("screens: phone digits find the client") {
    Fixture f({800, 480});
    f.tap("key.mode");
    CHECK(f.app->state().layout == KeyLayout::Digits);
    for (const char* k : {"key.1", "key.1", "key.2", "key.4"}) f.tap(k);
    REQUIRE(f.app->state().results.size() == 1);
    CHECK(f.app->state().results[0].display == "Anna K.");
    f.tap("result.0");
    CHECK(f.app->state().done.session == "Session 1");
}

TEST_CASE("screens: the scanner checks in by member code and Enter") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1280, 800});
    Fixture f(sz);
    f.app->type("gs-3");
    f.app->press_enter();
    f.app->frame();
    REQUIRE(f.app->state().screen == studio::Screen::Done);
    CHECK(f.app->state().done.session == "Session 10");
    CHECK(f.count("SELECT COUNT(*) FROM checkins") == 1);
    f.shot("scanner-done");

    SECTION("again: already checked in, kindly, and nothing recorded") {
        f.tap("done");
        f.app->type("GS-3");
        f.app->press_enter();
        CHECK(f.app->state().done.already);
        CHECK_THAT(f.app->state().done.messages.at(0), Catch::Contains("already checked in"));
        CHECK(f.count("SELECT COUNT(*) FROM checkins") == 1);
        f.shot("already");
    }
    SECTION("an unknown code says so and records nothing") {
        f.tap("done");
        f.app->type("NOPE-1");
        f.app->press_enter();
        CHECK(f.app->state().screen == studio::Screen::Home);
        CHECK(f.app->state().notice == "home.code_unknown");
        CHECK(f.count("SELECT COUNT(*) FROM checkins") == 1);
    }
}

TEST_CASE("screens: an expired pass still checks in, with a gentle note") {
    Fixture f({800, 480});
    f.app->type("zo");
    f.tap("result.0");
    REQUIRE(f.app->state().screen == studio::Screen::Done);
    CHECK(f.app->state().done.pass_attention);
    CHECK_THAT(f.app->state().done.pass_line, Catch::Contains("coach"));
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE pass_state = 'expired'") == 1);
    f.shot("expired-pass");
}

TEST_CASE("screens: first time here: register on the keyboard and check in") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1280, 800});
    Fixture f(sz);
    f.tap("first_time");
    CHECK(f.app->state().screen == studio::Screen::Register);
    f.tap("key.V");   // capitals at the start of a name
    for (const char* k : {"key.e", "key.r", "key.a"}) f.tap(k);
    f.tap("reg.last");
    f.app->type("Nowak");
    f.tap("reg.phone");
    for (const char* k : {"key.5", "key.5", "key.5", "key.0", "key.1"}) f.tap(k);
    CHECK(f.app->state().reg_first == "Vera");
    CHECK(f.app->state().reg_phone == "55501");
    f.tap("reg.submit");
    CHECK(f.app->state().notice == "register.need_consent");
    f.shot("register");
    f.tap("reg.consent");
    f.tap("reg.submit");
    REQUIRE(f.app->state().screen == studio::Screen::Done);
    const auto& d = f.app->state().done;
    CHECK(d.session == "Session 1");
    REQUIRE(d.messages.size() >= 2);
    CHECK_THAT(d.messages.back(), Catch::Contains("pain"));   // the safety note on a first visit
    CHECK(f.count("SELECT COUNT(*) FROM clients WHERE first_name = 'Vera' AND last_name = 'Nowak' AND phone = '55501'") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM outbox WHERE kind = 'client'") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM checkins") == 1);
    f.shot("first-visit-done");
}

TEST_CASE("screens: Russian, Cyrillic keyboard and accent-free search") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1280, 800});
    Fixture f(sz);
    f.tap("lang.ru");
    CHECK(f.app->state().layout == KeyLayout::Cyrillic);
    f.tap("key.е");   // е finds Ёлкина
    f.tap("key.л");
    REQUIRE(f.app->state().results.size() == 1);
    CHECK(f.app->state().results[0].display == "Ольга Ё.");
    f.shot("results-ru");
    f.tap("result.0");
    CHECK(f.app->state().done.welcome == builtin_texts().format(Lang::Ru, "checkin.welcome", {{"name", "Ольга"}}));
    CHECK_THAT(f.app->state().done.welcome, Catch::EndsWith("Ольга"));
    f.shot("done-ru");
}

TEST_CASE("screens: idle reset clears what was typed and the language") {
    Fixture f({800, 480});
    f.tap("lang.ru");
    f.app->type("ан");
    f.advance(19);
    CHECK(f.app->state().query == "ан");
    f.advance(1);
    CHECK(f.app->state().query.empty());
    CHECK(f.app->state().results.empty());
    CHECK(f.app->state().lang == Lang::En);
    f.tap("first_time");
    f.app->type("Vera");
    f.advance(20);
    CHECK(f.app->state().screen == studio::Screen::Home);
    CHECK(f.app->state().reg_first.empty());
}

TEST_CASE("screens: the staff door: hold the logo, PIN, lock after five wrong tries") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1280, 800});
    Fixture f(sz);
    REQUIRE(f.app->press("logo"));
    f.advance(3);
    f.app->release();
    REQUIRE(f.app->state().screen == studio::Screen::StaffPin);
    f.shot("pin");
    auto enter = [&](const std::string& pin) {
        for (char c : pin) f.tap(std::string("pin.") + c);
        f.tap("pin.ok");
    };
    for (int i = 0; i < 5; ++i) enter("1111");
    CHECK(f.app->state().pin_lock.locked(f.clock.monotonic_ms()));
    enter("2468");   // even the right PIN is refused while locked
    CHECK(f.app->state().screen == studio::Screen::StaffPin);
    CHECK(f.app->store().meta("pin.lock").value_or("").find("locked") != std::string::npos);
    f.shot("pin-locked");
    f.advance(15);
    f.tap("back");
    f.advance(46);
    REQUIRE(f.app->press("logo"));
    f.advance(3);
    f.app->release();
    enter("2468");
    REQUIRE(f.app->state().screen == studio::Screen::Staff);
    f.shot("staff");
    CHECK_FALSE(f.app->quitting());
    f.tap("staff.exit");
    CHECK(f.app->quitting());
    // The PIN is stored hashed, never as typed.
    CHECK(f.app->store().meta("pin.coach").value_or("").find("2468") == std::string::npos);
}

TEST_CASE("screens: every touch target is finger-sized and nothing overlaps") {
    auto sz = GENERATE(Screen2{800, 480}, Screen2{1024, 600}, Screen2{1280, 800}, Screen2{1920, 1080});
    Fixture f(sz);
    const float min_px = 48 * f.app->metrics().s - 0.5f;
    auto check_screen = [&](const std::string& name) {
        f.app->frame();
        const Probe p = f.app->probe();
        REQUIRE_FALSE(p.empty());
        for (const auto& [id, r] : p) {
            INFO(name << ": " << id << " " << r.width() << "x" << r.height());
            CHECK(r.width() >= min_px);
            CHECK(r.height() >= min_px);
            CHECK(r.x0 >= 0);
            CHECK(r.y0 >= 0);
            CHECK(r.x1 <= f.app->metrics().w + 0.5f);
            CHECK(r.y1 <= f.app->metrics().h + 0.5f);
        }
        for (auto a = p.begin(); a != p.end(); ++a)
            for (auto b = std::next(a); b != p.end(); ++b) {
                if (a->first == "done" || b->first == "done") continue;   // the whole-screen "finish" tap
                const bool overlap = a->second.x0 < b->second.x1 - 0.5f && b->second.x0 < a->second.x1 - 0.5f &&
                                     a->second.y0 < b->second.y1 - 0.5f && b->second.y0 < a->second.y1 - 0.5f;
                INFO(name << ": " << a->first << " overlaps " << b->first);
                CHECK_FALSE(overlap);
            }
    };
    check_screen("home");
    f.app->type("an");
    check_screen("results");
    f.tap("lang.ru");
    check_screen("home-ru");
    f.tap("first_time");
    check_screen("register");
    f.tap("reg.phone");
    check_screen("register-digits");
    f.tap("back");
    f.app->type("gs-1");
    f.app->press_enter();
    check_screen("done");
}
