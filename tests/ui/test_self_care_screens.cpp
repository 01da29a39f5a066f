// Self-care as people see it, on the real screens headless: a full disk (the
// client is told to ask the coach, the staff see why), a database replaced at
// start (staff see it until a manager acknowledges it), and logs without personal data.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <mutex>

#include "core/log.h"
#include "store/self_care.h"
#include "ui/staff_flow.h"
#include "ui_harness.h"
#include "../damage.h"
#include "../full_disk.h"

using namespace studio;
using studio::test::at;
using Size = studio::test::ScreenSize;

namespace {

// Every log line of the test, to check none carries personal data.
struct LogCapture {
    std::mutex mu;
    std::vector<std::string> lines;
    LogCapture() {
        set_log_sink([this](LogLevel, const std::string& m) {
            std::lock_guard lock(mu);
            lines.push_back(m);
        });
    }
    ~LogCapture() { set_log_sink({}); }
    std::string all() {
        std::lock_guard lock(mu);
        std::string s;
        for (const auto& l : lines) s += l + "\n";
        return s;
    }
};

void check_no_personal_data(const std::string& logs) {
    INFO(logs);
    for (const char* secret : {"Anna", "Kowalski", "Liam", "O'Brien", "601 555", "555 010", "anna@example.com",
                               "Ольга", "Ёлкина", "Zoë", "GS-1", "2468", "1357"})
        CHECK(logs.find(secret) == std::string::npos);
}

struct Studio : studio::test::KioskHarness {
    explicit Studio() : KioskHarness(at(2026, 11, 20, 18, 5), "health-") {
        KioskStore s(cfg.db_path);
        studio::test::seed_studio(s, clock, "Liam,O'Brien,+353 85 555 1050,,GS-2,0,,,\n");
        set_staff_pin(s, "manager", "1357");
    }
    void open_door(const std::string& pin) {
        REQUIRE(app->press("logo"));
        clock.advance(3);
        app->release();
        REQUIRE(app->state().screen == Screen::StaffPin);
        for (char c : pin) tap(std::string("pin.") + c);
        tap("pin.ok");
        REQUIRE(app->state().screen == Screen::Staff);
    }
    void scan(const std::string& code) {
        app->type(code);
        app->press_enter();
        app->frame();
    }
    std::string alerts() const {
        std::string s;
        for (const auto& a : app->staff_info().alerts) s += a + "\n";
        return s;
    }
};

}  // namespace

TEST_CASE("full disk: the client is asked to tell the coach, staff see why, and check-ins resume with space") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    LogCapture logs;
    Studio f;
    studio::test::FullDisk disk;
    f.start(sz);
    const int before = f.count("SELECT count(*) FROM checkins");

    disk.set(true);
    f.scan("GS-1");
    CHECK(f.st().notice == "error.checkin");
    CHECK(f.st().screen != Screen::Done);
    f.shot("public-storage-full");
    disk.set(false);
    CHECK(f.count("SELECT count(*) FROM checkins") == before);

    f.open_door("1357");
    CHECK(f.alerts().find("Storage is full: 1 check-in(s) refused since 18:05") != std::string::npos);
    f.shot("menu-storage-full");
    f.tap("staff.back");

    f.scan("GS-1");
    CHECK(f.st().screen == Screen::Done);
    CHECK(f.count("SELECT count(*) FROM checkins") == before + 1);
    f.advance(30);
    f.open_door("1357");
    CHECK(f.alerts().find("Storage is full") == std::string::npos);

    const std::string all = logs.all();
    CHECK(all.find("check-in refused: the storage is full") != std::string::npos);
    check_no_personal_data(all);
}

TEST_CASE("a database replaced at start: staff see it until a manager acknowledges it") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    LogCapture logs;
    Studio f;
    {
        KioskStore s(f.cfg.db_path);
        REQUIRE(s.check_in(s.client_by_code("GS-2")->id, Source::Self, f.clock, RulesConfig{}).recorded());
    }
    studio::test::damage_page_of(f.cfg.db_path, "checkins_by_date");
    f.start(sz);
    // The unsent check-in came through, and the kiosk works.
    CHECK(f.count("SELECT count(*) FROM outbox") == 1);
    CHECK(f.count("SELECT count(*) FROM checkins") == 1);

    f.open_door("2468");   // a coach sees it too
    CHECK(f.alerts().find("The database was damaged and replaced") != std::string::npos);
    CHECK(f.alerts().find("1 unsent entries recovered") != std::string::npos);
    f.shot("menu-repaired");
    // Only a manager can acknowledge.
    f.app->dispatch(ev::Staff{sev::AckHealth{}});
    CHECK_FALSE(unseen_health_events(f.app->store()).empty());
    f.tap("staff.back");

    f.open_door("1357");
    f.tap("staff.manager");
    f.tap("tab.2");
    CHECK(f.app->staff_info().alerts_to_ack);
    CHECK_FALSE(f.app->staff_info().storage_free.empty());
    f.shot("manager-health");
    f.app->frame();
    {
        // With the alerts shown, the tab's buttons still fit and do not overlap.
        const Probe p = f.app->probe();
        for (auto a = p.begin(); a != p.end(); ++a) {
            CHECK(a->second.y1 <= f.app->metrics().h + 0.5f);
            for (auto b = std::next(a); b != p.end(); ++b) {
                INFO(a->first << " overlaps " << b->first);
                CHECK_FALSE((a->second.x0 < b->second.x1 - 0.5f && b->second.x0 < a->second.x1 - 0.5f &&
                             a->second.y0 < b->second.y1 - 0.5f && b->second.y0 < a->second.y1 - 0.5f));
            }
        }
    }
    f.tap("lang.ru");
    CHECK(f.alerts().find("База данных была повреждена") != std::string::npos);
    f.shot("manager-health-ru");
    f.tap("lang.en");
    f.tap("health.ack");
    CHECK(unseen_health_events(f.app->store()).empty());
    CHECK_FALSE(f.app->staff_info().alerts_to_ack);
    CHECK(f.alerts().find("damaged") == std::string::npos);
    check_no_personal_data(logs.all());
}
