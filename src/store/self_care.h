// The kiosk looking after its own database: a check at every start that replaces
// a damaged file (moved aside, never deleted) and carries over what can still be
// read, and daily online backups with rotation.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"

namespace studio {

class KioskStore;
}  // namespace studio
namespace SQLite {
class Database;
}
namespace studio {

struct StartCheck {
    bool existed = false;        // there was a file to check
    bool replaced = false;       // it failed the check and a fresh one took its place
    std::string problem;         // quick_check's first complaint, or why the file could not be opened
    std::string moved_to;        // where the damaged file (and its -wal) now is
    int outbox_saved = 0;        // unsent entries carried over to the fresh file
    int rows_saved = 0;          // other rows carried over (clients, passes, classes, check-ins, settings)
    int rows_lost = 0;           // rows that could not be read or no longer fit
    int tables_lost = 0;         // tables that could not be read at all
};

// Runs `PRAGMA quick_check` on the kiosk database at `path` before anything else
// opens it. A file that fails (or is not a database at all) is renamed to
// "<path>.damaged-YYYYMMDD-HHMMSS" with its -wal and -shm, a fresh database is
// created at `path`, every readable row of the old one is copied over (the outbox
// first of all: it holds the only copy of unsent check-ins), the sync cursor is
// reset so the server's data comes again, and a 'repaired' health event is written
// for the staff screens. A file that passes is not changed.
// Throws only when the fresh database cannot be created.
StartCheck check_at_start(const std::string& path, const Clock& clock);

struct BackupResult {
    bool made = false;           // a new copy was written now
    std::string file;            // today's copy (made now or earlier)
    std::string error;           // why no copy could be made; empty on success
    int removed = 0;             // old copies deleted by rotation
};

// Today's copy of the database at `db_path`, as `dir`/kiosk-YYYY-MM-DD.db, made with
// SQLite's online backup API (check-ins go on meanwhile): written to a temporary
// file, checked with quick_check, fsynced and renamed, so a copy that exists is whole.
// Does nothing if today's copy exists. Keeps the newest `keep` copies. A failure
// is returned, and recorded as a 'backup_failed' health event when possible.
BackupResult daily_backup(const std::string& db_path, const std::string& dir, const std::string& date, int keep);

// The copies in `dir`, newest first.
std::vector<std::string> list_backups(const std::string& dir);

struct HealthEvent {
    long long id = 0;
    Seconds at = 0;
    std::string kind;
    std::string detail;
    int saved = 0;
    int lost = 0;
};

// Unacknowledged events, newest first; and the acknowledgement.
std::vector<HealthEvent> unseen_health_events(KioskStore& store);
void mark_health_events_seen(KioskStore& store);
void add_health_event(SQLite::Database& db, const HealthEvent& e);

// True when `e` says the disk (or SQLite's page limit) is full: SQLITE_FULL, ENOSPC.
bool is_disk_full(const std::exception& e);

// Free bytes on the file system holding `path` (-1 when unknown).
long long free_bytes(const std::string& path);

// daily_backup on a thread of its own: `first_after` the start (so the first
// minutes belong to the screens and the first sync), then whenever the date has
// changed, checked every `every`. A failure is also written as a health event.
class DailyBackups {
public:
    DailyBackups(std::string db_path, std::string dir, int keep, const Clock& clock,
                 std::chrono::milliseconds first_after = std::chrono::minutes(2),
                 std::chrono::milliseconds every = std::chrono::minutes(15));
    ~DailyBackups();   // stops promptly, even mid-wait
    DailyBackups(const DailyBackups&) = delete;
    DailyBackups& operator=(const DailyBackups&) = delete;
    int runs() const;                  // backups attempted so far (tests)
    BackupResult last() const;

private:
    void loop(std::chrono::milliseconds first_after, std::chrono::milliseconds every);
    const std::string db_path_, dir_;
    const int keep_;
    const Clock& clock_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    int runs_ = 0;
    BackupResult last_;
    std::thread thread_;
};

}  // namespace studio
