// Coach and manager screens behind the staff door, driven headless like the public
// ones: real store, real screens, taps on named widgets, PNGs of each view.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <thread>

#include "core/texts.h"
#include "kiosk/staff_services.h"
#include "ui_harness.h"

using namespace studio;
using studio::test::at;
using studio::test::TempDir;

namespace {

using Size = studio::test::ScreenSize;

struct Staff : studio::test::KioskHarness {
    ClassId six = 0, seven = 0;

    explicit Staff(Size sz) : KioskHarness(at(2026, 11, 20, 18, 5), "staff-") {
        {
            KioskStore s(cfg.db_path);
            studio::test::seed_studio(s, clock, "Liam,O'Brien,+353 85 555 1050,,GS-2,0,,,\n");
            six = s.classes_between(at(2026, 11, 20, 0, 0), at(2026, 11, 21, 0, 0)).at(0).id;
            ClassSession c;
            c.uid = "c19";
            c.starts_at = at(2026, 11, 20, 19, 30);
            c.title = "Deep stretch";
            c.coach = "Marta";
            seven = s.upsert_class(c);
            set_staff_pin(s, "manager", "1357");
            for (const char* code : {"GS-1", "GS-2", "GS-3"})
                REQUIRE(s.check_in(s.client_by_code(code)->id, Source::Self, clock, RulesConfig{}).recorded());
        }
        start(sz);
    }
    void open_door(const std::string& pin) {
        REQUIRE(app->press("logo"));
        clock.advance(3);
        app->release();
        REQUIRE(app->state().screen == studio::Screen::StaffPin);
        for (char c : pin) tap(std::string("pin.") + c);
        tap("pin.ok");
        REQUIRE(app->state().screen == studio::Screen::Staff);
    }
};

}  // namespace

TEST_CASE("coach: today's group with sessions, milestones and pass alerts") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    Staff f(sz);
    f.open_door("2468");
    f.shot("menu");
    f.tap("staff.coach");
    REQUIRE(f.st().staff.view == StaffView::Coach);
    const StaffInfo& info = f.app->staff_info();
    CHECK(info.shown_class == f.six);   // the class open for check-in now
    REQUIRE(info.classes.size() >= 2);
    CHECK(info.classes[0].arrived == 3);
    REQUIRE(info.group.size() == 3);
    CHECK(info.group[0].name == "Anna Kowalski");   // staff see full names
    CHECK(info.group[0].session == 4);
    CHECK(info.group[0].milestone_key == "milestone.settling");
    CHECK(info.group[1].name == "Liam O'Brien");
    CHECK(info.group[1].milestone_key == "milestone.first");
    CHECK(info.group[1].pass_alert);
    CHECK(info.group[2].milestone_key == "milestone.tenth");
    CHECK_FALSE(info.group[2].pass_alert);
    f.shot("coach");
    f.tap("class.1");
    CHECK(f.app->staff_info().shown_class == f.seven);
    CHECK(f.app->staff_info().group.empty());
}

TEST_CASE("coach: check a client in by hand, undo it, and move another") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    Staff f(sz);
    f.open_door("2468");
    f.tap("staff.coach");

    f.tap("coach.checkin");
    REQUIRE(f.st().staff.view == StaffView::CoachSearch);
    f.app->type("zo");
    REQUIRE(f.app->staff_info().results.size() == 1);
    CHECK(f.app->staff_info().results[0].name == "Zoë Martin");
    f.shot("coach-search");
    f.tap("staff.result.0");
    CHECK(f.st().staff.view == StaffView::Coach);
    CHECK_THAT(f.st().staff.notice, Catch::Contains("Zoë Martin"));
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE source = 'coach' AND class_id = " + std::to_string(f.six)) == 1);
    REQUIRE(f.app->staff_info().group.size() == 4);
    CHECK(f.app->staff_info().group[3].pass_alert);   // Zoë's pass expired: flagged for the coach
    f.shot("coach-checked-in");

    // Undo Liam's (row 1): kept, voided, queued for the server.
    const std::string liam = f.app->staff_info().group[1].uuid;
    f.tap("row.1");
    CHECK(f.st().staff.selected_checkin == liam);
    f.tap("coach.undo");
    REQUIRE(f.st().staff.view == StaffView::CoachUndo);
    f.shot("coach-undo");
    f.tap("undo.confirm");
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE uuid = '" + liam + "' AND voided = 1 AND voided_by = 'coach' AND voided_at IS NOT NULL") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM outbox WHERE kind = 'void' AND ref = '" + liam + "'") == 1);
    CHECK(f.app->staff_info().group.size() == 3);

    // Move Anna (row 0) to the 19:30 class.
    const std::string anna = f.app->staff_info().group[0].uuid;
    f.tap("row.0");
    f.tap("coach.move");
    REQUIRE(f.st().staff.view == StaffView::CoachMove);
    f.shot("coach-move");
    f.tap("move.1");
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE uuid = '" + anna + "' AND voided = 1") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE voided = 0 AND class_id = " + std::to_string(f.seven) +
                  " AND session_number = 4") == 1);
    CHECK(f.app->staff_info().classes[1].arrived == 1);
}

TEST_CASE("coach: none of this is reachable from the public screens") {
    Staff f({800, 480});
    // Staff events on the public home do nothing.
    f.app->dispatch(ev::Staff{sev::OpenCoach{}});
    f.app->dispatch(ev::Staff{sev::ConfirmUndo{}});
    f.app->dispatch(ev::Staff{sev::PickClient{1}});
    CHECK(f.st().screen == studio::Screen::Home);
    CHECK(f.count("SELECT COUNT(*) FROM checkins WHERE voided = 1 OR source = 'coach'") == 0);
    f.app->frame();
    for (const auto& [id, r] : f.app->probe()) {
        INFO(id);
        CHECK(id.rfind("coach.", 0) != 0);
        CHECK(id.rfind("row.", 0) != 0);
    }
}

TEST_CASE("manager: only the manager PIN opens the manager screen") {
    Staff f({800, 480});
    f.open_door("2468");
    f.app->dispatch(ev::Staff{sev::OpenManager{}});
    CHECK(f.st().staff.view == StaffView::Menu);
    f.tap("back");
    f.open_door("1357");
    f.tap("staff.manager");
    CHECK(f.st().staff.view == StaffView::Manager);
}

TEST_CASE("manager: export attendance to a folder, with a clear message") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    Staff f(sz);
    f.open_door("1357");
    f.tap("staff.manager");
    REQUIRE_FALSE(f.app->staff_info().targets.empty());
    f.shot("manager-export");
    f.tap("export.start");
    for (int i = 0; i < 500 && f.st().staff.exporting; ++i) {   // bounded: at most ~5 s
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        f.app->tick();
    }
    REQUIRE_FALSE(f.st().staff.exporting);
    CHECK_FALSE(f.st().staff.notice_is_error);
    const std::string file = (std::filesystem::path(f.cfg.db_path).parent_path() / "exports" /
                              "attendance_2026-11-01_2026-11-20.csv").string();
    REQUIRE(std::filesystem::exists(file));
    const std::string csv = studio::test::read_file(file);
    CHECK(csv.rfind("date,time,class", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);   // header + 3 check-ins
    CHECK_THAT(f.st().staff.notice, Catch::Contains("3"));
    f.shot("manager-exported");

    SECTION("per client, and a drive pulled before the export") {
        f.tap("kind.1");
        f.tap("export.start");
        for (int i = 0; i < 500 && f.st().staff.exporting; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            f.app->tick();
        }
        CHECK(std::filesystem::exists(std::filesystem::path(file).parent_path() / "clients_2026-11-01_2026-11-20.csv"));
        // A folder that cannot exist (its parent is a file), as a pulled drive leaves it.
        studio::test::write_file(f.dir.file("not-a-folder"), "x");
        f.app->staff_services().export_fallback_dir = f.dir.file("not-a-folder") + "/exports";
        f.tap("tab.0");
        f.tap("export.start");
        for (int i = 0; i < 500 && f.st().staff.exporting; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            f.app->tick();
        }
        CHECK(f.st().staff.notice_is_error);
        CHECK(f.st().staff.notice == "export.no_folder");
    }
}

TEST_CASE("manager: chart, sync health, focus override and PIN change") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    Staff f(sz);
    f.open_door("1357");
    f.tap("staff.manager");

    f.tap("tab.1");
    const auto& weeks = f.app->staff_info().weeks;
    REQUIRE(weeks.size() == 8);
    CHECK(weeks.back().second == 3);
    f.shot("manager-chart");
    f.tap("chart.1");
    CHECK(f.app->staff_info().weekdays[4] == 3);   // a Friday
    f.shot("manager-weekdays");

    f.tap("tab.2");
    CHECK(f.app->staff_info().pending == 3);
    f.tap("sync.now");
    CHECK(f.st().staff.notice == "manager.sync_off");   // no server configured here
    f.shot("manager-sync");

    f.tap("tab.3");
    f.tap("focus.title");
    f.app->type("Neck and shoulders");
    f.tap("focus.body");
    f.app->type("Soften the top of the shoulders.");
    f.shot("manager-focus");
    f.tap("focus.save");
    CHECK(f.app->store().focus_on("2026-11-20")->title == "Neck and shoulders");

    f.tap("tab.4");
    for (char c : std::string("9753")) f.tap(std::string("newpin.") + c);
    f.tap("newpin.ok");
    for (char c : std::string("9754")) f.tap(std::string("newpin.") + c);
    f.tap("newpin.ok");
    CHECK(f.st().staff.notice == "manager.pin_mismatch");
    CHECK(check_staff_pin(f.app->store(), "2468") == std::optional<std::string>("coach"));
    for (char c : std::string("9753")) f.tap(std::string("newpin.") + c);
    f.tap("newpin.ok");
    for (char c : std::string("9753")) f.tap(std::string("newpin.") + c);
    f.shot("manager-pins");
    f.tap("newpin.ok");
    CHECK(f.st().staff.notice == "manager.pin_saved");
    CHECK(check_staff_pin(f.app->store(), "9753") == std::optional<std::string>("coach"));
    CHECK_FALSE(check_staff_pin(f.app->store(), "2468"));
}

TEST_CASE("a coach's tablet starts on the coach screen and stays there") {
    Staff f({1280, 800});
    f.app->start_as_coach_device();
    CHECK(f.st().screen == studio::Screen::Staff);
    CHECK(f.st().staff.view == StaffView::Coach);
    CHECK(f.app->staff_info().group.size() == 3);
    f.app->frame();
    CHECK(f.app->probe().count("back") == 0);
    f.clock.advance(3600);
    f.app->tick();
    CHECK(f.st().staff.view == StaffView::Coach);
    f.tap("coach.checkin");
    f.clock.advance(121);
    f.app->tick();
    CHECK(f.st().staff.view == StaffView::Coach);   // a half-done search is dropped, the coach screen stays
    f.shot("coach-tablet");
}

TEST_CASE("staff screens: finger-sized targets, nothing overlapping") {
    auto sz = GENERATE(Size{800, 480}, Size{1280, 800});
    Staff f(sz);
    const float min_px = 48 * f.app->metrics().s - 0.5f;
    auto check_view = [&](const std::string& name) {
        f.app->frame();
        for (const auto& [id, r] : f.app->probe()) {
            INFO(name << ": " << id << " " << r.width() << "x" << r.height());
            CHECK(r.height() >= min_px);
            CHECK(r.width() >= min_px);
            CHECK(r.y1 <= f.app->metrics().h + 0.5f);
            CHECK(r.x1 <= f.app->metrics().w + 0.5f);
        }
        const Probe p = f.app->probe();
        for (auto a = p.begin(); a != p.end(); ++a)
            for (auto b = std::next(a); b != p.end(); ++b) {
                const bool overlap = a->second.x0 < b->second.x1 - 0.5f && b->second.x0 < a->second.x1 - 0.5f &&
                                     a->second.y0 < b->second.y1 - 0.5f && b->second.y0 < a->second.y1 - 0.5f;
                INFO(name << ": " << a->first << " overlaps " << b->first);
                CHECK_FALSE(overlap);
            }
    };
    f.open_door("1357");
    check_view("menu");
    f.tap("staff.coach");
    check_view("coach");
    f.tap("coach.checkin");
    check_view("search");
    f.tap("back");
    f.tap("back");
    f.tap("staff.manager");
    for (int t = 0; t < 5; ++t) {
        f.tap("tab." + std::to_string(t));
        check_view("manager tab " + std::to_string(t));
    }
}
