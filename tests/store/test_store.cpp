// The kiosk store on real SQLite files: migrations, durability settings, and the
// check-in write path with its outbox entry.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/database.h"
#include "store/kiosk_store.h"
#include "../test_support.h"

using namespace studio;
using studio::test::at;
using studio::test::TempDir;

namespace {

ClientId add_client(KioskStore& s, const std::string& code, int prior = 0) {
    Client c;
    c.first_name = "Anna";
    c.last_name = "Kowalski";
    c.phone = "+48 601 555 010";
    c.member_code = code;
    c.prior_sessions = prior;
    return s.upsert_client(c);
}

int count(KioskStore& s, const std::string& sql) { return s.db().execAndGet(sql).getInt(); }

}  // namespace

TEST_CASE("migrations: a fresh file gets the whole schema and records its version") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const int latest = latest_version(builtin_migrations("kiosk"));
    REQUIRE(latest >= 1);
    CHECK(schema_version(s.db()) == latest);
    CHECK(s.db().tableExists("clients"));
    CHECK(s.db().tableExists("checkins"));
    CHECK(s.db().tableExists("outbox"));
}

TEST_CASE("migrations: an older file is upgraded step by step, in one transaction") {
    TempDir dir;
    const std::string path = dir.file("k.db");
    const std::vector<Migration> v1 = {{1, "0001_a.sql", "CREATE TABLE a (x INTEGER);"}};
    open_database(path, v1)->exec("INSERT INTO a VALUES (42)");

    std::vector<Migration> v3 = v1;
    v3.push_back({2, "0002_b.sql", "ALTER TABLE a ADD COLUMN y TEXT DEFAULT 'b';"});
    v3.push_back({3, "0003_c.sql", "CREATE TABLE c (z INTEGER);"});
    auto db = open_database(path, v3);
    CHECK(schema_version(*db) == 3);
    CHECK(db->execAndGet("SELECT x || y FROM a").getString() == "42b");
    CHECK(db->tableExists("c"));

    SECTION("a failing step leaves the file at its old version, data intact") {
        db.reset();
        std::vector<Migration> broken = v3;
        broken.push_back({4, "0004_ok.sql", "CREATE TABLE d (q INTEGER);"});
        broken.push_back({5, "0005_bad.sql", "ALTER TABLE nowhere ADD COLUMN q;"});
        CHECK_THROWS_AS(open_database(path, broken), SchemaError);
        auto again = open_database(path, v3);
        CHECK(schema_version(*again) == 3);
        CHECK_FALSE(again->tableExists("d"));
        CHECK(again->execAndGet("SELECT x FROM a").getInt() == 42);
    }
}

TEST_CASE("migrations: a file from a newer program is refused and not touched") {
    TempDir dir;
    const std::string path = dir.file("new.db");
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        raw.exec("CREATE TABLE future (x); PRAGMA user_version = 99;");
    }
    const std::string before = studio::test::read_file(path);
    try {
        KioskStore s(path);
        FAIL("a newer schema was opened");
    } catch (const SchemaError& e) {
        CHECK_THAT(e.what(), Catch::Contains("newer") && Catch::Contains("99"));
    }
    CHECK(studio::test::read_file(path) == before);
    CHECK_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_CASE("durability: WAL, synchronous=FULL, foreign keys, busy timeout") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    CHECK(s.db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(s.db().execAndGet("PRAGMA synchronous").getInt() == 2);   // 2 = FULL
    CHECK(s.db().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(s.db().execAndGet("PRAGMA busy_timeout").getInt() >= 1000);
}

TEST_CASE("check-in: the visit and its outbox entry are written together") {
    TempDir dir;
    const std::string path = dir.file("k.db");
    KioskStore s(path);
    FakeClock clock(at(2026, 11, 20, 17, 50));
    const ClientId anna = add_client(s, "GS-1", 3);
    ClassSession c;
    c.uid = "c1";
    c.starts_at = at(2026, 11, 20, 18, 0);
    c.title = "Upper back opening";
    const ClassId six = s.upsert_class(c);

    const auto first = s.check_in(anna, Source::Self, clock, RulesConfig{});
    REQUIRE(first.recorded());
    CHECK(first.decision.session_number == 4);
    REQUIRE(first.cls);
    CHECK(first.cls->id == six);

    // What another connection (another process, after a crash) sees on disk.
    SQLite::Database other(path, SQLite::OPEN_READONLY);
    SQLite::Statement q(other,
                        "SELECT k.uuid, k.class_id, k.session_number, k.source, k.clock_synced, o.kind "
                        "FROM checkins k JOIN outbox o ON o.ref = k.uuid");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == first.uuid);
    CHECK(q.getColumn(1).getInt64() == six);
    CHECK(q.getColumn(2).getInt() == 4);
    CHECK(q.getColumn(3).getString() == "self");
    CHECK(q.getColumn(4).getInt() == 1);
    CHECK(q.getColumn(5).getString() == "checkin");
    CHECK_FALSE(q.executeStep());

    SECTION("a second attempt for the same class records nothing") {
        clock.advance(10 * 60);
        const auto again = s.check_in(anna, Source::Self, clock, RulesConfig{});
        CHECK_FALSE(again.recorded());
        CHECK(again.uuid.empty());
        CHECK(again.decision.session_number == 4);
        CHECK(count(s, "SELECT COUNT(*) FROM checkins") == 1);
        CHECK(count(s, "SELECT COUNT(*) FROM outbox") == 1);
    }
    SECTION("no class in the window: still recorded, without a class, once that day") {
        clock.set(at(2026, 11, 21, 13, 0));
        const auto walk = s.check_in(anna, Source::Cli, clock, RulesConfig{});
        CHECK(walk.recorded());
        CHECK_FALSE(walk.cls);
        CHECK(walk.decision.session_number == 5);
        clock.advance(3600);
        CHECK_FALSE(s.check_in(anna, Source::Cli, clock, RulesConfig{}).recorded());
        CHECK(count(s, "SELECT COUNT(*) FROM checkins WHERE class_id IS NULL") == 1);
    }
    SECTION("the clock's synchronisation is recorded with the visit") {
        FakeClock unsynced(at(2026, 11, 22, 10, 0), false);
        const auto v = s.check_in(anna, Source::Coach, unsynced, RulesConfig{});
        SQLite::Statement u(s.db(), "SELECT clock_synced, source FROM checkins WHERE uuid = ?");
        u.bind(1, v.uuid);
        REQUIRE(u.executeStep());
        CHECK(u.getColumn(0).getInt() == 0);
        CHECK(u.getColumn(1).getString() == "coach");
    }
    SECTION("a voided check-in no longer counts") {
        s.db().exec("UPDATE checkins SET voided = 1");
        const auto redo = s.check_in(anna, Source::Self, clock, RulesConfig{});
        CHECK(redo.recorded());
        CHECK(redo.decision.session_number == 4);
    }
}

TEST_CASE("the file itself refuses a second check-in for the same class") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    const ClientId anna = add_client(s, "GS-1");
    ClassSession c;
    c.uid = "c1";
    c.starts_at = 1000;
    const ClassId id = s.upsert_class(c);
    const std::string insert =
        "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, source, "
        "session_number, pass_state) VALUES ('%s', " + std::to_string(anna) + ", " + std::to_string(id) +
        ", 1000, '2026-11-20', 1, 'self', 1, 'none')";
    auto sql = [&](const char* uuid) {
        std::string q = insert;
        q.replace(q.find("%s"), 2, uuid);
        return q;
    };
    s.db().exec(sql("a"));
    CHECK_THROWS_AS(s.db().exec(sql("b")), SQLite::Exception);
}

TEST_CASE("a failed check-in leaves neither a visit nor an outbox entry") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(at(2026, 11, 20, 12, 0));
    // A trigger stands in for a write that fails halfway (a full disk, an I/O error).
    s.db().exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const ClientId anna = add_client(s, "GS-1");
    CHECK_THROWS(s.check_in(anna, Source::Self, clock, RulesConfig{}));
    CHECK(count(s, "SELECT COUNT(*) FROM checkins") == 0);
    CHECK(count(s, "SELECT COUNT(*) FROM outbox") == 0);
    s.db().exec("DROP TRIGGER fail_outbox");
    CHECK(s.check_in(anna, Source::Self, clock, RulesConfig{}).recorded());
}

TEST_CASE("pass state is stored with each check-in and drives the flag") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(at(2026, 11, 20, 12, 0));
    const ClientId anna = add_client(s, "GS-1");
    s.upsert_pass({0, anna, 2, "2026-11-01", "2026-11-30"});
    CHECK(s.check_in(anna, Source::Self, clock, RulesConfig{}).decision.pass.sessions_left == 1);
    clock.advance(86400);
    auto last = s.check_in(anna, Source::Self, clock, RulesConfig{});
    CHECK(last.decision.pass.kind == PassKind::Active);
    CHECK(last.decision.pass.sessions_left == 0);
    clock.advance(86400);
    auto over = s.check_in(anna, Source::Self, clock, RulesConfig{});
    CHECK(over.recorded());
    CHECK(over.decision.pass.kind == PassKind::Empty);
    CHECK(s.db().execAndGet("SELECT pass_state FROM checkins ORDER BY wall_time DESC LIMIT 1").getString() == "empty");
}

TEST_CASE("status counts clients, today's check-ins and pending sync entries") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(at(2026, 11, 20, 12, 0));
    const ClientId a = add_client(s, "GS-1"), b = add_client(s, "GS-2");
    s.check_in(a, Source::Self, clock, RulesConfig{});
    s.check_in(b, Source::Self, clock, RulesConfig{});
    clock.advance(86400);
    s.check_in(a, Source::Self, clock, RulesConfig{});
    s.create_walk_in("Olga", "Ёлкина", "", clock);
    const auto st = s.status(clock);
    CHECK(st.clients == 3);
    CHECK(st.checkins_today == 1);
    CHECK(st.pending_sync == 4);   // three check-ins and the new client
}
