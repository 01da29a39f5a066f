// The kiosk looking after its database on real files: the start check that moves a
// damaged file aside and carries over what reads, daily backups with rotation, and
// a full disk (SQLITE_FULL from the VFS) that refuses a check-in and loses nothing.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <thread>

#include <unistd.h>

#include "core/log.h"
#include "store/demo_data.h"
#include "store/kiosk_store.h"
#include "store/self_care.h"
#include "../damage.h"
#include "../full_disk.h"
#include "../test_support.h"

using namespace studio;
using studio::test::at;
using studio::test::damage_page_of;
using studio::test::read_file;
using studio::test::TempDir;
using studio::test::write_file;
namespace fs = std::filesystem;

namespace {

int count(SQLite::Database& db, const std::string& sql) { return db.execAndGet(sql).getInt(); }

// A studio with history and some unsent check-ins, closed (so the WAL is checkpointed into the file).
struct Studio {
    int clients = 0, checkins = 0, outbox = 0;
};
Studio make_studio(const std::string& path, const Clock& clock) {
    Studio s;
    KioskStore store(path);
    load_demo_data(store, clock);
    int done = 0;
    for (const auto& e : store.search_entries()) {
        if (done == 5) break;
        if (store.check_in(e.client_id, Source::Self, clock, RulesConfig{}, ClassPick::none()).recorded()) ++done;
    }
    store.set_meta("sync.cursor", "12345");
    s.clients = count(store.db(), "SELECT count(*) FROM clients");
    s.checkins = count(store.db(), "SELECT count(*) FROM checkins");
    s.outbox = count(store.db(), "SELECT count(*) FROM outbox");
    return s;
}

std::vector<std::string> damaged_files(const TempDir& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir.path()))
        if (const auto name = e.path().filename().string();
            name.find(".damaged-") != std::string::npos && name.find("-wal") == std::string::npos &&
            name.find("-shm") == std::string::npos)
            out.push_back(e.path().string());
    return out;
}

}  // namespace

TEST_CASE("start check: a sound file passes untouched") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    make_studio(db, clock);
    const std::string before = read_file(db);

    const StartCheck r = check_at_start(db, clock);
    CHECK(r.existed);
    CHECK_FALSE(r.replaced);
    CHECK(r.problem.empty());
    CHECK(read_file(db) == before);
    CHECK(damaged_files(dir).empty());

    // No file yet: nothing to check, and none is created here (the store's migrations do that).
    const StartCheck none = check_at_start(dir.file("new.db"), clock);
    CHECK_FALSE(none.existed);
    CHECK_FALSE(fs::exists(dir.file("new.db")));
}

TEST_CASE("start check: a damaged index: the file is moved aside, everything is carried over, staff are told") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    const Studio before = make_studio(db, clock);
    REQUIRE(before.outbox >= 5);
    damage_page_of(db, "checkins_by_date");
    const std::string damaged_bytes = read_file(db);

    clock.advance(60);
    const StartCheck r = check_at_start(db, clock);
    REQUIRE(r.replaced);
    CHECK_FALSE(r.problem.empty());
    // Moved, never deleted: the same bytes under a dated name.
    REQUIRE(damaged_files(dir).size() == 1);
    CHECK(r.moved_to == damaged_files(dir).front());
    CHECK(r.moved_to.find("kiosk.db.damaged-20261120-1001") != std::string::npos);
    CHECK(read_file(r.moved_to) == damaged_bytes);

    CHECK(r.outbox_saved == before.outbox);
    CHECK(r.rows_lost == 0);
    CHECK(r.tables_lost == 0);

    KioskStore store(db);
    CHECK(store.db().execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(count(store.db(), "SELECT count(*) FROM clients") == before.clients);
    CHECK(count(store.db(), "SELECT count(*) FROM checkins") == before.checkins);
    CHECK(count(store.db(), "SELECT count(*) FROM outbox") == before.outbox);
    // The server sends everything again: the changes cursor starts over.
    CHECK_FALSE(store.meta("sync.cursor").has_value());
    // And the staff screens have something to say.
    const auto events = unseen_health_events(store);
    REQUIRE(events.size() == 1);
    CHECK(events[0].kind == "repaired");
    CHECK(events[0].saved == before.outbox);
    CHECK(events[0].detail == fs::path(r.moved_to).filename().string());
    mark_health_events_seen(store);
    CHECK(unseen_health_events(store).empty());
    // The fresh file takes check-ins.
    const auto first = store.search_entries().front();
    CHECK_NOTHROW(store.check_in(first.client_id, Source::Self, clock, RulesConfig{}, ClassPick::none()));
}

TEST_CASE("start check: a damaged table: what reads is kept, what does not is counted") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    const Studio before = make_studio(db, clock);
    damage_page_of(db, "classes");

    const StartCheck r = check_at_start(db, clock);
    REQUIRE(r.replaced);
    KioskStore store(db);
    CHECK(store.db().execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(count(store.db(), "SELECT count(*) FROM classes") == 0);
    CHECK(count(store.db(), "SELECT count(*) FROM clients") == before.clients);
    CHECK(r.tables_lost + r.rows_lost > 0);
    // Check-ins without a class (all the unsent ones here) do not need the lost table.
    CHECK(r.outbox_saved == before.outbox);
    const auto events = unseen_health_events(store);
    REQUIRE(events.size() == 1);
    CHECK(events[0].lost == r.rows_lost + r.tables_lost);
}

TEST_CASE("start check: not a database at all: kept aside, a fresh one starts") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    write_file(db, std::string(8192, '\x01') + "this is not SQLite");
    write_file(db + "-wal", "stray wal");

    const StartCheck r = check_at_start(db, clock);
    REQUIRE(r.replaced);
    CHECK(read_file(r.moved_to) == std::string(8192, '\x01') + "this is not SQLite");
    CHECK(read_file(r.moved_to + "-wal") == "stray wal");   // its WAL went with it
    CHECK(r.outbox_saved == 0);
    KioskStore store(db);
    CHECK(count(store.db(), "SELECT count(*) FROM clients") == 0);
    CHECK(unseen_health_events(store).size() == 1);
}

TEST_CASE("start check: a file that is busy or unreadable is not called damaged") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    make_studio(db, clock);
    // Another process holds a write lock for longer than the busy timeout would wait?
    // Shorter here: an exclusive lock held while the check runs with its 5 s timeout
    // would make this test slow, so the lock is released after 300 ms: the check waits.
    SQLite::Database other(db, SQLite::OPEN_READWRITE);
    other.exec("BEGIN EXCLUSIVE");
    std::thread release([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        other.exec("COMMIT");
    });
    const StartCheck r = check_at_start(db, clock);
    release.join();
    CHECK_FALSE(r.replaced);
    CHECK(damaged_files(dir).empty());

    if (::geteuid() != 0) {   // root reads anything
        fs::permissions(db, fs::perms::none);
        CHECK_THROWS(check_at_start(db, clock));
        CHECK(damaged_files(dir).empty());
        fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
    }
}

TEST_CASE("backups: one verified copy a day, the newest N kept, nothing half-written left") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 1, 10, 0));
    const std::string db = dir.file("kiosk.db");
    const Studio s = make_studio(db, clock);
    KioskStore store(db);   // open while backing up, as the kiosk is
    const std::string backups = dir.file("backups");

    for (int day = 1; day <= 10; ++day) {
        const std::string date = "2026-11-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
        const BackupResult r = daily_backup(db, backups, date, 7);
        INFO(r.error);
        CHECK(r.made);
        CHECK(r.error.empty());
        CHECK(fs::exists(r.file));
        // A second call the same day finds the copy.
        const BackupResult again = daily_backup(db, backups, date, 7);
        CHECK_FALSE(again.made);
        CHECK(again.file == r.file);
    }
    const auto copies = list_backups(backups);
    REQUIRE(copies.size() == 7);
    CHECK(fs::path(copies.front()).filename() == "kiosk-2026-11-10.db");
    CHECK(fs::path(copies.back()).filename() == "kiosk-2026-11-04.db");
    for (const auto& e : fs::directory_iterator(backups)) CHECK(e.path().extension() == ".db");   // no .tmp, no -wal

    // A copy is a whole database on its own.
    SQLite::Database copy(copies.front(), SQLite::OPEN_READONLY);
    CHECK(copy.execAndGet("PRAGMA integrity_check").getString() == "ok");
    CHECK(copy.execAndGet("PRAGMA journal_mode").getString() == "delete");
    CHECK(count(copy, "SELECT count(*) FROM checkins") == s.checkins);
    CHECK(count(copy, "SELECT count(*) FROM outbox") == s.outbox);

    // Files that are not ours are left alone by the rotation.
    write_file(backups + "/notes.txt", "manager's notes");
    daily_backup(db, backups, "2026-11-11", 7);
    CHECK(fs::exists(backups + "/notes.txt"));
    CHECK(list_backups(backups).size() == 7);
}

TEST_CASE("backups: a failure leaves no partial copy and says why") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 1, 10, 0));
    const std::string db = dir.file("kiosk.db");
    make_studio(db, clock);
    const std::string backups = dir.file("backups");
    studio::test::FullDisk disk;
    disk.set(true);
    std::vector<std::string> logged;
    set_log_sink([&](LogLevel, const std::string& m) { logged.push_back(m); });
    const BackupResult r = daily_backup(db, backups, "2026-11-01", 7);
    set_log_sink({});
    disk.set(false);
    CHECK_FALSE(r.made);
    CHECK_FALSE(r.error.empty());
    CHECK(list_backups(backups).empty());
    for (const auto& e : fs::directory_iterator(backups)) FAIL("left behind: " << e.path());
    REQUIRE_FALSE(logged.empty());
    CHECK(logged.back().find("daily backup failed") != std::string::npos);
    // And the next attempt, with space again, works.
    CHECK(daily_backup(db, backups, "2026-11-01", 7).made);
}

TEST_CASE("backups: the thread makes one copy per day as the date changes, and stops promptly") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 1, 10, 0));
    const std::string db = dir.file("kiosk.db");
    make_studio(db, clock);
    const std::string backups = dir.file("backups");
    {
        DailyBackups thread(db, backups, 3, clock, std::chrono::milliseconds(0), std::chrono::milliseconds(10));
        // runs() counts finished attempts (copy and rotation): one per new date.
        auto wait_for_runs = [&](int n) {
            for (int i = 0; i < 500 && thread.runs() < n; ++i)   // bounded: 5 s
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            return thread.runs();
        };
        CHECK(wait_for_runs(1) == 1);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));   // several wake-ups, same day: nothing new
        CHECK(thread.runs() == 1);
        CHECK(list_backups(backups).size() == 1);
        for (int day = 2; day <= 5; ++day) {
            clock.advance(24 * 3600);
            REQUIRE(wait_for_runs(day) == day);
            CHECK(list_backups(backups).size() == std::min<std::size_t>(static_cast<std::size_t>(day), 3));
            CHECK(fs::path(list_backups(backups).front()).filename() == "kiosk-2026-11-0" + std::to_string(day) + ".db");
        }
        CHECK(thread.last().error.empty());
    }   // the destructor joins: a hang here would time the test out
    CHECK(list_backups(backups).size() == 3);
}

TEST_CASE("full disk: the check-in is refused with SQLITE_FULL, nothing half-written, and works again after") {
    TempDir dir;
    FakeClock clock(at(2026, 11, 20, 10, 0));
    const std::string db = dir.file("kiosk.db");
    make_studio(db, clock);
    studio::test::FullDisk disk;
    KioskStore store(db);
    const int checkins = count(store.db(), "SELECT count(*) FROM checkins");
    const int outbox = count(store.db(), "SELECT count(*) FROM outbox");
    const auto clients = store.search_entries();
    const ClientId who = clients.back().client_id;

    disk.set(true);
    bool full = false;
    try {
        store.check_in(who, Source::Self, clock, RulesConfig{}, ClassPick::none());
        FAIL("a check-in was confirmed on a full disk");
    } catch (const std::exception& e) {
        full = is_disk_full(e);
    }
    CHECK(full);
    CHECK(studio::test::FullDisk::refused() > 0);
    disk.set(false);

    CHECK(count(store.db(), "SELECT count(*) FROM checkins") == checkins);
    CHECK(count(store.db(), "SELECT count(*) FROM outbox") == outbox);
    CHECK(store.db().execAndGet("PRAGMA integrity_check").getString() == "ok");
    const auto again = store.check_in(who, Source::Self, clock, RulesConfig{}, ClassPick::none());
    CHECK(again.recorded());
    CHECK(count(store.db(), "SELECT count(*) FROM checkins") == checkins + 1);
    CHECK(count(store.db(), "SELECT count(*) FROM outbox") == outbox + 1);
}
