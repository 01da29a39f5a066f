// The coach and manager data on real SQLite files: headcounts, groups, undo and move
// with their outbox entries, weekly attendance and the summary CSVs.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>

#include "core/csv.h"
#include "store/kiosk_store.h"
#include "store/staff_store.h"
#include "../test_support.h"

using namespace studio;
using studio::test::at;
using studio::test::TempDir;

namespace {

ClientId add_client(KioskStore& s, const std::string& code, const std::string& first, const std::string& last,
                    int prior = 0) {
    Client c;
    c.first_name = first;
    c.last_name = last;
    c.member_code = code;
    c.prior_sessions = prior;
    return s.upsert_client(c);
}

ClassId add_class(KioskStore& s, const std::string& uid, Seconds starts, const std::string& title,
                  const std::string& coach = "Irina") {
    ClassSession c;
    c.uid = uid;
    c.starts_at = starts;
    c.title = title;
    c.coach = coach;
    return s.upsert_class(c);
}

// Checks in at `t` for `cls` (0: no class) and returns the new check-in's uuid.
std::string visit(KioskStore& s, ClientId who, Seconds t, ClassId cls, Source src = Source::Self) {
    FakeClock clock(t);
    const auto out = s.check_in(who, src, clock, RulesConfig{}, cls ? ClassPick::of(cls) : ClassPick::none());
    REQUIRE(out.recorded());
    return out.uuid;
}

int count(KioskStore& s, const std::string& sql) { return s.db().execAndGet(sql).getInt(); }

std::vector<std::string> outbox(KioskStore& s) {
    std::vector<std::string> out;
    SQLite::Statement q(s.db(), "SELECT kind || ':' || ref FROM outbox ORDER BY seq");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

bool is_voided(KioskStore& s, const std::string& uuid) {
    SQLite::Statement q(s.db(), "SELECT voided FROM checkins WHERE uuid = ?");
    q.bind(1, uuid);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getInt() != 0;
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(nothing thrown)";
}

}  // namespace

// ---- classes_on ------------------------------------------------------------------------

TEST_CASE("classes_on: the day's classes in start order with valid check-ins, then visits without a class") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    // Added out of order, plus classes just outside the day on either side.
    const ClassId evening = add_class(s, "eve", at(2026, 11, 20, 18, 0), "Upper back opening");
    const ClassId morning = add_class(s, "morn", at(2026, 11, 20, 10, 0), "Gentle start");
    add_class(s, "late-before", at(2026, 11, 19, 23, 30), "Night before");
    const ClassId next_day = add_class(s, "next", at(2026, 11, 21, 0, 0), "Saturday");
    const ClientId a = add_client(s, "A", "Anna", "K"), b = add_client(s, "B", "Boris", "L"),
                   c = add_client(s, "C", "Clara", "M"), d = add_client(s, "D", "Dan", "N");
    visit(s, a, at(2026, 11, 20, 9, 50), morning);
    visit(s, b, at(2026, 11, 20, 9, 55), morning);
    const std::string undone = visit(s, c, at(2026, 11, 20, 9, 58), morning);
    const std::string walk = visit(s, d, at(2026, 11, 20, 13, 0), 0);
    FakeClock clock(at(2026, 11, 20, 10, 5));
    void_checkin(s, undone, "coach", clock);

    auto day = classes_on(s, "2026-11-20");
    REQUIRE(day.size() == 3);
    CHECK(day[0].cls.id == morning);
    CHECK(day[0].cls.title == "Gentle start");
    CHECK(day[0].arrived == 2);   // Clara's was undone
    CHECK(day[1].cls.id == evening);
    CHECK(day[1].arrived == 0);
    CHECK(day[2].cls.id == 0);
    CHECK(day[2].cls.title.empty());
    CHECK(day[2].arrived == 1);

    SECTION("no visits without a class: no pseudo-row") {
        void_checkin(s, walk, "coach", clock);
        day = classes_on(s, "2026-11-20");
        REQUIRE(day.size() == 2);
        CHECK(day[1].cls.id == evening);
    }
    SECTION("a day with an empty class only") {
        const auto sat = classes_on(s, "2026-11-21");
        REQUIRE(sat.size() == 1);
        CHECK(sat[0].cls.id == next_day);
        CHECK(sat[0].arrived == 0);
        CHECK(classes_on(s, "2026-11-25").empty());
    }
    SECTION("a malformed date is refused") {
        CHECK_THROWS_AS(classes_on(s, "20.11.2026"), std::invalid_argument);
    }
}

// ---- group_of --------------------------------------------------------------------------

TEST_CASE("group_of: arrival order, milestones and pass states as stored, undone visits left out") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Upper back opening");
    const ClientId anna = add_client(s, "A", "Anna", "K", 0);    // session 1, no pass
    const ClientId boris = add_client(s, "B", "Boris", "L", 4);  // session 5, active pass
    const ClientId clara = add_client(s, "C", "Clara", "M", 9);  // session 10, expired pass
    const ClientId dan = add_client(s, "D", "Dan", "N", 19);     // session 20, unlimited
    const ClientId eva = add_client(s, "E", "Eva", "O", 1);      // session 2, empty pass
    const ClientId fedor = add_client(s, "F", "Fedor", "P", 2);  // undone
    s.upsert_pass({0, boris, 8, "2026-11-01", "2026-11-30"});
    s.upsert_pass({0, clara, 8, "2026-10-01", "2026-10-31"});
    s.upsert_pass({0, dan, std::nullopt, "2026-11-01", "2026-12-31"});
    s.upsert_pass({0, eva, 0, "2026-11-01", "2026-11-30"});

    // Not in the order they were added, so the order can only come from arrival times.
    visit(s, clara, at(2026, 11, 20, 17, 40), six);
    const std::string f = visit(s, fedor, at(2026, 11, 20, 17, 41), six);
    visit(s, dan, at(2026, 11, 20, 17, 45), six, Source::Coach);
    visit(s, anna, at(2026, 11, 20, 17, 50), six);
    visit(s, eva, at(2026, 11, 20, 17, 55), six);
    visit(s, boris, at(2026, 11, 20, 18, 5), six);
    void_checkin(s, f, "coach", FakeClock(at(2026, 11, 20, 18, 6)));

    const auto g = group_of(s, six, "2026-11-20");
    REQUIRE(g.size() == 5);
    CHECK(g[0].client.id == clara);
    CHECK(g[0].client.first_name == "Clara");
    CHECK(g[0].arrived_at == at(2026, 11, 20, 17, 40));
    CHECK(g[0].session_number == 10);
    CHECK(g[0].milestone == Milestone::Tenth);
    CHECK(g[0].pass_state == "expired");

    CHECK(g[1].client.id == dan);
    CHECK(g[1].session_number == 20);
    CHECK(g[1].milestone == Milestone::Round);
    CHECK(g[1].pass_state == "unlimited");
    CHECK(g[1].source == Source::Coach);

    CHECK(g[2].client.id == anna);
    CHECK(g[2].milestone == Milestone::FirstVisit);
    CHECK(g[2].pass_state == "none");
    CHECK(g[2].source == Source::Self);

    CHECK(g[3].client.id == eva);
    CHECK(g[3].session_number == 2);
    CHECK(g[3].milestone == Milestone::None);
    CHECK(g[3].pass_state == "empty");

    CHECK(g[4].client.id == boris);
    CHECK(g[4].client.member_code == "B");
    CHECK(g[4].milestone == Milestone::Settling);
    CHECK(g[4].pass_state == "active");

    for (const auto& m : g) CHECK(m.checkin_uuid != f);
    CHECK(group_of(s, six + 100, "2026-11-20").empty());
}

TEST_CASE("group_of: class 0 lists the day's visits without a class only") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Evening");
    const ClientId a = add_client(s, "A", "Anna", "K"), b = add_client(s, "B", "Boris", "L"),
                   c = add_client(s, "C", "Clara", "M");
    const std::string late = visit(s, a, at(2026, 11, 20, 15, 0), 0);
    const std::string early = visit(s, b, at(2026, 11, 20, 11, 0), 0);
    visit(s, c, at(2026, 11, 20, 17, 50), six);                  // in a class: not listed
    visit(s, a, at(2026, 11, 21, 11, 0), 0);                     // another day: not listed

    const auto g = group_of(s, 0, "2026-11-20");
    REQUIRE(g.size() == 2);
    CHECK(g[0].checkin_uuid == early);
    CHECK(g[1].checkin_uuid == late);
    CHECK(group_of(s, 0, "2026-11-22").empty());
    CHECK_THROWS_AS(group_of(s, 0, "yesterday"), std::invalid_argument);
}

// ---- void_checkin --------------------------------------------------------------------

TEST_CASE("void: the check-in is marked undone and a 'void' entry is queued with it") {
    TempDir dir;
    const std::string path = dir.file("k.db");
    KioskStore s(path);
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Evening");
    const ClientId anna = add_client(s, "A", "Anna", "K", 3);
    const std::string uuid = visit(s, anna, at(2026, 11, 20, 17, 50), six);
    FakeClock clock(at(2026, 11, 20, 17, 52));

    void_checkin(s, uuid, "coach", clock);

    // As another connection sees the file.
    SQLite::Database other(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(other, "SELECT voided, voided_at, voided_by FROM checkins WHERE uuid = ?");
    q.bind(1, uuid);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
    CHECK(q.getColumn(1).getInt64() == at(2026, 11, 20, 17, 52));
    CHECK(q.getColumn(2).getString() == "coach");
    CHECK(outbox(s) == std::vector<std::string>{"checkin:" + uuid, "void:" + uuid});

    SECTION("undoing twice is refused and queues nothing more") {
        CHECK(message_of([&] { void_checkin(s, uuid, "manager", clock); }) == "already undone");
        CHECK(outbox(s).size() == 2);
        CHECK(other.execAndGet("SELECT voided_by FROM checkins").getString() == "coach");
    }
    SECTION("the undone visit no longer counts: checking in again gives the same number") {
        FakeClock again(at(2026, 11, 20, 17, 55));
        const auto redo = s.check_in(anna, Source::Self, again, RulesConfig{});
        REQUIRE(redo.recorded());
        REQUIRE(redo.cls);
        CHECK(redo.cls->id == six);
        CHECK(redo.decision.session_number == 4);
    }
    SECTION("an unknown check-in is refused") {
        CHECK(message_of([&] { void_checkin(s, "no-such-uuid", "coach", clock); }) == "no such check-in");
    }
    SECTION("a role is required") {
        CHECK_THROWS_AS(void_checkin(s, uuid, "", clock), std::invalid_argument);
    }
}

TEST_CASE("void: when the outbox write fails, the check-in stays valid") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClientId anna = add_client(s, "A", "Anna", "K");
    const std::string uuid = visit(s, anna, at(2026, 11, 20, 12, 0), 0);
    s.db().exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");

    CHECK_THROWS_AS(void_checkin(s, uuid, "coach", FakeClock(at(2026, 11, 20, 12, 5))), SQLite::Exception);
    CHECK_FALSE(is_voided(s, uuid));
    CHECK(count(s, "SELECT COUNT(*) FROM checkins WHERE voided_at IS NOT NULL OR voided_by IS NOT NULL") == 0);
    CHECK(outbox(s) == std::vector<std::string>{"checkin:" + uuid});

    s.db().exec("DROP TRIGGER fail_outbox");
    void_checkin(s, uuid, "coach", FakeClock(at(2026, 11, 20, 12, 6)));
    CHECK(is_voided(s, uuid));
}

// ---- move_checkin --------------------------------------------------------------------

TEST_CASE("move: the old check-in is undone and the same visit recorded in the target class") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Evening");
    const ClassId seven = add_class(s, "c7", at(2026, 11, 20, 19, 0), "Late");
    const ClassId saturday = add_class(s, "sat", at(2026, 11, 21, 10, 0), "Saturday");
    const ClientId anna = add_client(s, "A", "Anna", "K", 3);
    s.upsert_pass({0, anna, 8, "2026-11-01", "2026-11-30"});
    FakeClock door(at(2026, 11, 20, 17, 50), false);   // an unsynchronised clock, to see it copied
    const auto first = s.check_in(anna, Source::Self, door, RulesConfig{});
    REQUIRE(first.recorded());
    REQUIRE(first.cls->id == six);
    const std::string old = first.uuid;
    FakeClock coach(at(2026, 11, 20, 18, 10));

    const std::string moved = move_checkin(s, old, ClassPick::of(seven), "coach", coach);

    CHECK(moved != old);
    CHECK(is_voided(s, old));
    CHECK(s.db().execAndGet("SELECT voided_by FROM checkins WHERE uuid = '" + old + "'").getString() == "coach");
    SQLite::Statement q(s.db(),
                        "SELECT client_id, class_id, wall_time, local_date, clock_synced, session_number, pass_state, "
                        "source, voided FROM checkins WHERE uuid = ?");
    q.bind(1, moved);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt64() == anna);
    CHECK(q.getColumn(1).getInt64() == seven);
    CHECK(q.getColumn(2).getInt64() == at(2026, 11, 20, 17, 50));
    CHECK(q.getColumn(3).getString() == "2026-11-20");
    CHECK(q.getColumn(4).getInt() == 0);
    CHECK(q.getColumn(5).getInt() == 4);
    CHECK(q.getColumn(6).getString() == "active");
    CHECK(q.getColumn(7).getString() == "coach");
    CHECK(q.getColumn(8).getInt() == 0);
    CHECK(outbox(s) == std::vector<std::string>{"checkin:" + old, "void:" + old, "checkin:" + moved});

    CHECK(group_of(s, six, "2026-11-20").empty());
    const auto late = group_of(s, seven, "2026-11-20");
    REQUIRE(late.size() == 1);
    CHECK(late[0].checkin_uuid == moved);
    CHECK(late[0].session_number == 4);

    SECTION("the move adds no visit: the next one is number 5") {
        FakeClock tomorrow(at(2026, 11, 21, 9, 50));
        const auto next = s.check_in(anna, Source::Self, tomorrow, RulesConfig{});
        REQUIRE(next.recorded());
        CHECK(next.decision.session_number == 5);
    }
    SECTION("moving into the class it is already in is refused") {
        CHECK(message_of([&] { move_checkin(s, moved, ClassPick::of(seven), "coach", coach); }) ==
              "the check-in is already in that class");
        CHECK(outbox(s).size() == 3);
    }
    SECTION("moving an undone check-in is refused") {
        CHECK(message_of([&] { move_checkin(s, old, ClassPick::of(six), "coach", coach); }) == "already undone");
    }
    SECTION("to no class, and then a second visit without a class that day is refused") {
        const std::string none = move_checkin(s, moved, ClassPick::none(), "coach", coach);
        CHECK(s.db().execAndGet("SELECT class_id IS NULL FROM checkins WHERE uuid = '" + none + "'").getInt() == 1);
        CHECK(classes_on(s, "2026-11-20").back().cls.id == 0);
        CHECK(message_of([&] { move_checkin(s, none, ClassPick::none(), "coach", coach); }) ==
              "the check-in already has no class");
        const std::string other = visit(s, anna, at(2026, 11, 20, 18, 55), seven);
        CHECK(message_of([&] { move_checkin(s, other, ClassPick::none(), "coach", coach); }) ==
              "the client already has a visit without a class that day");
        CHECK_FALSE(is_voided(s, other));
    }
    SECTION("a class on another day, or one that does not exist, is refused") {
        CHECK(message_of([&] { move_checkin(s, moved, ClassPick::of(saturday), "coach", coach); }) ==
              "that class is on another day");
        CHECK(message_of([&] { move_checkin(s, moved, ClassPick::of(saturday + 100), "coach", coach); }) ==
              "no such class");
        CHECK_FALSE(is_voided(s, moved));
    }
}

TEST_CASE("move: refused into a class the client is already checked in for; nothing changes") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Evening");
    const ClassId seven = add_class(s, "c7", at(2026, 11, 20, 19, 0), "Late");
    const ClientId anna = add_client(s, "A", "Anna", "K");
    const std::string in_six = visit(s, anna, at(2026, 11, 20, 17, 50), six);
    const std::string in_seven = visit(s, anna, at(2026, 11, 20, 18, 50), seven);

    CHECK(message_of([&] { move_checkin(s, in_six, ClassPick::of(seven), "coach", FakeClock(at(2026, 11, 20, 19, 0))); }) ==
          "the client is already checked in for that class");
    CHECK_FALSE(is_voided(s, in_six));
    CHECK_FALSE(is_voided(s, in_seven));
    CHECK(count(s, "SELECT COUNT(*) FROM checkins") == 2);
    CHECK(outbox(s).size() == 2);
}

TEST_CASE("move: when the new check-in's outbox entry fails, the old one stays valid") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Evening");
    const ClassId seven = add_class(s, "c7", at(2026, 11, 20, 19, 0), "Late");
    const ClientId anna = add_client(s, "A", "Anna", "K");
    const std::string old = visit(s, anna, at(2026, 11, 20, 17, 50), six);
    // Only the last write of the move fails: the void and its entry were already written.
    s.db().exec("CREATE TRIGGER fail_checkin_entry BEFORE INSERT ON outbox WHEN NEW.kind = 'checkin' "
                "BEGIN SELECT RAISE(ABORT, 'disk full'); END");

    CHECK_THROWS_AS(move_checkin(s, old, ClassPick::of(seven), "coach", FakeClock(at(2026, 11, 20, 18, 5))),
                    SQLite::Exception);
    CHECK_FALSE(is_voided(s, old));
    CHECK(count(s, "SELECT COUNT(*) FROM checkins") == 1);
    CHECK(outbox(s) == std::vector<std::string>{"checkin:" + old});
}

// ---- attendance by week and weekday ----------------------------------------------------

TEST_CASE("attendance: eight weeks ending with today's week, Monday first, across a month boundary") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    std::vector<ClientId> c;
    for (int i = 0; i < 4; ++i) c.push_back(add_client(s, "C" + std::to_string(i), "Client", std::to_string(i)));
    visit(s, c[0], at(2026, 10, 11, 12, 0), 0);   // Sunday before the first week: out
    visit(s, c[0], at(2026, 10, 12, 12, 0), 0);   // Monday, the first day of the first week
    visit(s, c[0], at(2026, 11, 29, 12, 0), 0);   // Sunday 29 November
    visit(s, c[1], at(2026, 11, 29, 12, 0), 0);
    visit(s, c[0], at(2026, 11, 30, 12, 0), 0);   // Monday 30 November: this week
    visit(s, c[0], at(2026, 12, 1, 12, 0), 0);    // Tuesday 1 December: same week
    visit(s, c[1], at(2026, 12, 1, 12, 0), 0);
    const std::string undone = visit(s, c[2], at(2026, 12, 1, 12, 0), 0);
    void_checkin(s, undone, "manager", FakeClock(at(2026, 12, 1, 13, 0)));
    visit(s, c[0], at(2026, 12, 2, 0, 30), 0);    // Wednesday, today, just after midnight
    visit(s, c[3], at(2026, 12, 7, 12, 0), 0);    // next Monday: out

    const auto weeks = attendance_by_week(s, "2026-12-02");
    REQUIRE(weeks.size() == 8);
    CHECK(weeks.front().week_start == "2026-10-12");
    CHECK(weeks[1].week_start == "2026-10-19");
    CHECK(weeks[6].week_start == "2026-11-23");
    CHECK(weeks.back().week_start == "2026-11-30");
    std::vector<int> counts;
    for (const auto& w : weeks) counts.push_back(w.count);
    CHECK(counts == std::vector<int>{1, 0, 0, 0, 0, 0, 2, 4});

    const auto days = attendance_by_weekday(s, "2026-12-02");
    CHECK(days == std::array<int, 7>{2, 2, 1, 0, 0, 0, 2});   // Mon .. Sun

    SECTION("any day of the week gives the same weeks") {
        CHECK(attendance_by_week(s, "2026-11-30").back().count == 4);
        CHECK(attendance_by_week(s, "2026-12-06").back().count == 4);
        CHECK(attendance_by_week(s, "2026-12-07").back().week_start == "2026-12-07");
        CHECK(attendance_by_week(s, "2026-12-07").back().count == 1);
    }
    SECTION("fewer weeks") {
        const auto one = attendance_by_week(s, "2026-12-02", 1);
        REQUIRE(one.size() == 1);
        CHECK(one[0].week_start == "2026-11-30");
        CHECK(one[0].count == 4);
        CHECK(attendance_by_weekday(s, "2026-12-02", 1) == std::array<int, 7>{1, 2, 1, 0, 0, 0, 0});
    }
    SECTION("bad input is refused") {
        CHECK_THROWS_AS(attendance_by_week(s, "2026-02-30"), std::invalid_argument);
        CHECK_THROWS_AS(attendance_by_week(s, "2026-12-02", 0), std::invalid_argument);
        CHECK_THROWS_AS(attendance_by_weekday(s, "", 8), std::invalid_argument);
    }
}

// ---- summaries -------------------------------------------------------------------------

TEST_CASE("client summary: one row per client who came, read back as CSV") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClientId anna = add_client(s, "GS-1", "Anna", "Kowalska, Jr", 3);
    const ClientId boris = add_client(s, "GS-2", "=Boris", "Adams");
    const ClientId clara = add_client(s, "GS-3", "Clara", "Zorina");   // only outside the range
    s.upsert_pass({0, anna, 2, "2026-11-01", "2026-11-30"});
    visit(s, anna, at(2026, 10, 31, 12, 0), 0);   // before the range: counts for the session number only
    visit(s, anna, at(2026, 11, 3, 12, 0), 0);
    visit(s, anna, at(2026, 11, 10, 12, 0), 0);
    visit(s, anna, at(2026, 11, 17, 12, 0), 0);   // the pass is used up by now
    const std::string undone = visit(s, boris, at(2026, 11, 5, 12, 0), 0);
    void_checkin(s, undone, "coach", FakeClock(at(2026, 11, 5, 12, 5)));
    visit(s, boris, at(2026, 11, 6, 12, 0), 0);   // session 1 again: the undone one does not count
    visit(s, clara, at(2026, 12, 1, 12, 0), 0);

    const auto rows = parse_csv(client_summary_csv(s, "2026-11-01", "2026-11-30"));
    REQUIRE(rows.size() == 3);
    for (const auto& r : rows) CHECK(r.error.empty());
    CHECK(rows[0].fields == std::vector<std::string>{"first_name", "last_name", "member_code", "visits", "first_visit",
                                                     "last_visit", "last_session_number", "last_pass_state"});
    // By last name: Adams before Kowalska. The formula guard on "=Boris".
    CHECK(rows[1].fields == std::vector<std::string>{"'=Boris", "Adams", "GS-2", "1", "2026-11-06", "2026-11-06", "1",
                                                     "none"});
    CHECK(rows[2].fields == std::vector<std::string>{"Anna", "Kowalska, Jr", "GS-1", "3", "2026-11-03", "2026-11-17",
                                                     "7", "empty"});

    CHECK(parse_csv(client_summary_csv(s, "2026-01-01", "2026-01-31")).size() == 1);   // the header alone
    CHECK_THROWS_AS(client_summary_csv(s, "2026-11-30", "2026-11-01"), std::invalid_argument);
}

TEST_CASE("class summary: every class in the range with its headcount, read back as CSV") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClassId six = add_class(s, "c6", at(2026, 11, 20, 18, 0), "Upper back, gently", "Irina");
    add_class(s, "c1", at(2026, 11, 1, 9, 30), "Morning", "Oleg");
    add_class(s, "c0", at(2026, 10, 31, 23, 59), "Before", "Oleg");    // the day before the range
    add_class(s, "c9", at(2026, 12, 1, 0, 0), "After", "Oleg");         // the day after
    const ClientId a = add_client(s, "A", "Anna", "K"), b = add_client(s, "B", "Boris", "L");
    visit(s, a, at(2026, 11, 20, 17, 50), six);
    const std::string undone = visit(s, b, at(2026, 11, 20, 17, 51), six);
    void_checkin(s, undone, "coach", FakeClock(at(2026, 11, 20, 17, 52)));

    const auto rows = parse_csv(class_summary_csv(s, "2026-11-01", "2026-11-30"));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == std::vector<std::string>{"date", "start", "class", "coach", "arrived"});
    CHECK(rows[1].fields == std::vector<std::string>{"2026-11-01", "09:30", "Morning", "Oleg", "0"});
    CHECK(rows[2].fields == std::vector<std::string>{"2026-11-20", "18:00", "Upper back, gently", "Irina", "1"});
    CHECK(class_summary_csv(s, "2026-11-01", "2026-11-01").find("\r\n") != std::string::npos);
    CHECK_THROWS_AS(class_summary_csv(s, "2026-11-01", "Nov 30"), std::invalid_argument);
}
