// Self-care
//  - check_at_start: quick_check, move a damaged file aside, carry over what reads
//  - daily_backup / list_backups: online backup API, verified, rotated
//  - health events for the staff screens
#include "store/self_care.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <set>
#include <system_error>

#include "core/log.h"
#include "store/database.h"
#include "store/kiosk_store.h"

namespace studio {

namespace {

namespace fs = std::filesystem;

// Result codes that mean "the bytes are wrong", as opposed to busy, locked, missing
// permissions or a full disk (which moving the file aside would not fix).
bool is_damage(const SQLite::Exception& e) {
    const int primary = e.getErrorCode() & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

std::string first_quick_check_problem(SQLite::Database& db) {
    SQLite::Statement q(db, "PRAGMA quick_check");
    std::vector<std::string> lines;
    while (q.executeStep() && lines.size() < 2) lines.push_back(q.getColumn(0).getString());
    if (lines.size() == 1 && lines[0] == "ok") return "";
    return lines.empty() ? "quick_check gave no answer" : lines[0];
}

std::string stamp(Seconds t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
    return buf;
}

std::vector<std::string> columns_of(SQLite::Database& db, const std::string& table) {
    std::vector<std::string> cols;
    SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?)");
    q.bind(1, table);
    while (q.executeStep()) cols.push_back(q.getColumn(0).getString());
    return cols;
}

struct Salvage {
    int outbox = 0, rows = 0, lost = 0, tables_lost = 0;
};

// Copies every row of `table` that can be read from `old` into `fresh` (columns
// both schemas have). Reading stops at the first damaged page of the table.
void copy_table(SQLite::Database& old, SQLite::Database& fresh, const std::string& table, Salvage& s) {
    std::vector<std::string> common;
    try {
        const auto have = columns_of(old, table);
        for (const auto& c : columns_of(fresh, table))
            if (std::find(have.begin(), have.end(), c) != have.end()) common.push_back(c);
    } catch (const SQLite::Exception&) {
        ++s.tables_lost;   // the schema itself cannot be read
        return;
    }
    if (common.empty()) return;   // a table the old file's (older) schema did not have
    std::string list, marks;
    for (const auto& c : common) {
        list += (list.empty() ? "" : ", ") + c;
        marks += marks.empty() ? "?" : ", ?";
    }
    // The changes cursor is not carried over: the server sends everything again,
    // which also brings back whatever could not be read here.
    const std::string where = table == "meta" ? " WHERE key NOT LIKE 'sync.cursor%'" : "";
    SQLite::Statement ins(fresh, "INSERT OR IGNORE INTO " + table + " (" + list + ") VALUES (" + marks + ")");
    try {
        SQLite::Statement q(old, "SELECT " + list + " FROM " + table + where);
        while (q.executeStep()) {
            for (int i = 0; i < static_cast<int>(common.size()); ++i) {
                const SQLite::Column col = q.getColumn(i);
                switch (col.getType()) {
                    case SQLITE_INTEGER: ins.bind(i + 1, col.getInt64()); break;
                    case SQLITE_FLOAT: ins.bind(i + 1, col.getDouble()); break;
                    case SQLITE_NULL: ins.bind(i + 1); break;
                    case SQLITE_BLOB: ins.bind(i + 1, col.getBlob(), col.getBytes()); break;
                    default: ins.bind(i + 1, col.getString()); break;
                }
            }
            try {
                const int n = ins.exec();
                if (n == 0) ++s.lost;
                else if (table == "outbox") ++s.outbox;
                else ++s.rows;
            } catch (const SQLite::Exception&) {
                ++s.lost;   // e.g. a check-in whose client could not be read
            }
            ins.reset();
            ins.clearBindings();
        }
    } catch (const SQLite::Exception& e) {
        if (!is_damage(e)) throw;
        if (s.rows == 0 && s.outbox == 0) ++s.tables_lost;
        else ++s.lost;   // the rest of this table is behind a damaged page
    }
}

void fsync_path(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

StartCheck check_at_start(const std::string& path, const Clock& clock) {
    StartCheck r;
    std::error_code ec;
    if (!fs::exists(path, ec) || fs::file_size(path, ec) == 0) return r;   // nothing yet: migrations make it
    r.existed = true;
    try {
        // Read-only: a damaged file's -wal may hold the last check-ins, and a
        // read-write close would checkpoint it into the damaged file or drop it.
        // (A -wal left by a power cut is read here too, without being changed.)
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        r.problem = first_quick_check_problem(db);
    } catch (const SQLite::Exception& e) {
        if (!is_damage(e)) throw;   // busy, permissions, full disk: not a damaged file
        r.problem = e.what();
    }
    if (r.problem.empty()) return r;
    std::replace(r.problem.begin(), r.problem.end(), '\n', ' ');   // one journal line

    // Move aside: the file, its -wal (unsent check-ins may live there) and -shm.
    r.replaced = true;
    r.moved_to = path + ".damaged-" + stamp(clock.now());
    for (int n = 2; fs::exists(r.moved_to, ec); ++n) r.moved_to = path + ".damaged-" + stamp(clock.now()) + "-" + std::to_string(n);
    fs::rename(path, r.moved_to);
    for (const char* suffix : {"-wal", "-shm"})
        if (fs::exists(path + suffix, ec)) fs::rename(path + suffix, r.moved_to + suffix);
    const std::string dir = fs::path(path).has_parent_path() ? fs::path(path).parent_path().string() : ".";
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    log_error("database failed its start check (" + r.problem + "); moved to " + r.moved_to +
              ", starting a fresh one");

    auto fresh = open_kiosk_database(path);
    Salvage s;
    try {
        SQLite::Database old(r.moved_to, SQLite::OPEN_READONLY);
        old.setBusyTimeout(1000);
        SQLite::Transaction tx(*fresh);
        for (const char* table : {"clients", "passes", "classes", "day_focus", "checkins", "outbox", "meta",
                                  "sync_rejected", "health_events"})
            copy_table(old, *fresh, table, s);
        tx.commit();
    } catch (const SQLite::Exception& e) {
        if (!is_damage(e)) throw;
        ++s.tables_lost;   // not a database at all: nothing to carry over
    }
    // Outbox entries whose check-in or client could not be read cannot be sent:
    // count them as lost (the sync drops them with a reason the staff can see).
    const int orphaned = fresh->execAndGet(
        "SELECT count(*) FROM outbox o WHERE "
        "(o.kind IN ('checkin', 'void') AND NOT EXISTS (SELECT 1 FROM checkins k WHERE k.uuid = o.ref)) OR "
        "(o.kind = 'client' AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.uid = o.ref))").getInt();
    r.outbox_saved = s.outbox - orphaned;
    r.rows_saved = s.rows;
    r.rows_lost = s.lost + orphaned;
    r.tables_lost = s.tables_lost;

    SQLite::Statement ev(*fresh, "INSERT INTO health_events (at, kind, detail, saved, lost) VALUES (?, 'repaired', ?, ?, ?)");
    ev.bind(1, static_cast<int64_t>(clock.now()));
    ev.bind(2, fs::path(r.moved_to).filename().string());
    ev.bind(3, r.outbox_saved);
    ev.bind(4, r.rows_lost + r.tables_lost);
    ev.exec();
    log_warning("fresh database: " + std::to_string(r.outbox_saved) + " unsent entries and " +
                std::to_string(r.rows_saved) + " other rows carried over; " + std::to_string(r.rows_lost) +
                " rows and " + std::to_string(r.tables_lost) + " tables could not be read");
    return r;
}

// ---- backups ---------------------------------------------------------------------

namespace {

bool is_backup_name(const std::string& name) {
    // kiosk-YYYY-MM-DD.db
    if (name.size() != 19 || name.rfind("kiosk-", 0) != 0 || name.substr(16) != ".db") return false;
    for (std::size_t i = 6; i < 16; ++i)
        if (i == 10 || i == 13 ? name[i] != '-' : !std::isdigit(static_cast<unsigned char>(name[i]))) return false;
    return true;
}

}  // namespace

std::vector<std::string> list_backups(const std::string& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && is_backup_name(e.path().filename().string())) out.push_back(e.path().string());
    std::sort(out.rbegin(), out.rend());   // the date is in the name: newest first
    return out;
}

BackupResult daily_backup(const std::string& db_path, const std::string& dir, const std::string& date, int keep) {
    BackupResult r;
    std::error_code ec;
    r.file = (fs::path(dir) / ("kiosk-" + date + ".db")).string();
    const std::string tmp = r.file + ".tmp";
    try {
        fs::create_directories(dir);
        if (!fs::exists(r.file, ec)) {
            fs::remove(tmp, ec);   // a copy cut short by a power cut or a full disk
            {
                SQLite::Database src(db_path, SQLite::OPEN_READONLY);
                src.setBusyTimeout(5000);
                SQLite::Database dst(tmp, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                SQLite::Backup backup(dst, src);
                backup.executeStep(-1);   // one step: a consistent snapshot; in WAL mode writers go on
            }
            {
                // A copy is one self-contained file: no -wal beside it.
                SQLite::Database copy(tmp, SQLite::OPEN_READWRITE);
                copy.exec("PRAGMA journal_mode=DELETE");
                const std::string problem = first_quick_check_problem(copy);
                if (!problem.empty()) throw std::runtime_error("the copy failed its check: " + problem);
            }
            fsync_path(tmp, O_RDONLY);
            fs::rename(tmp, r.file);
            fsync_path(dir, O_RDONLY | O_DIRECTORY);
            r.made = true;
        }
    } catch (const std::exception& e) {
        fs::remove(tmp, ec);
        r.error = e.what();
        log_error("daily backup failed: " + r.error);
        return r;
    }
    const auto all = list_backups(dir);
    for (std::size_t i = static_cast<std::size_t>(std::max(keep, 1)); i < all.size(); ++i)
        if (fs::remove(all[i], ec)) ++r.removed;
    if (r.made) log_info("daily backup written: " + r.file);
    return r;
}

// ---- health events ---------------------------------------------------------------

std::vector<HealthEvent> unseen_health_events(KioskStore& store) {
    std::vector<HealthEvent> out;
    SQLite::Statement q(store.db(),
                        "SELECT id, at, kind, detail, saved, lost FROM health_events WHERE seen = 0 ORDER BY id DESC");
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getInt(), q.getColumn(5).getInt()});
    return out;
}

void mark_health_events_seen(KioskStore& store) { store.db().exec("UPDATE health_events SET seen = 1 WHERE seen = 0"); }

void add_health_event(SQLite::Database& db, const HealthEvent& e) {
    SQLite::Statement q(db, "INSERT INTO health_events (at, kind, detail, saved, lost) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(e.at));
    q.bind(2, e.kind);
    q.bind(3, e.detail);
    q.bind(4, e.saved);
    q.bind(5, e.lost);
    q.exec();
}

bool is_disk_full(const std::exception& e) {
    if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) return (s->getErrorCode() & 0xff) == SQLITE_FULL;
    if (const auto* f = dynamic_cast<const fs::filesystem_error*>(&e)) return f->code() == std::errc::no_space_on_device;
    if (const auto* y = dynamic_cast<const std::system_error*>(&e)) return y->code() == std::errc::no_space_on_device;
    return false;
}

long long free_bytes(const std::string& path) {
    struct statvfs v{};
    if (::statvfs(path.c_str(), &v) != 0) return -1;
    return static_cast<long long>(v.f_bavail) * static_cast<long long>(v.f_frsize);
}

// ---- the backup thread -------------------------------------------------------------

DailyBackups::DailyBackups(std::string db_path, std::string dir, int keep, const Clock& clock,
                           std::chrono::milliseconds first_after, std::chrono::milliseconds every)
    : db_path_(std::move(db_path)), dir_(std::move(dir)), keep_(keep), clock_(clock) {
    thread_ = std::thread([this, first_after, every] { loop(first_after, every); });
}

DailyBackups::~DailyBackups() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

int DailyBackups::runs() const {
    std::lock_guard lock(mu_);
    return runs_;
}

BackupResult DailyBackups::last() const {
    std::lock_guard lock(mu_);
    return last_;
}

void DailyBackups::loop(std::chrono::milliseconds first_after, std::chrono::milliseconds every) {
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, first_after, [this] { return stop_; })) return;
    std::string done_for;     // the date of the last copy made or found
    std::string noted_for;    // the date a failure was last noted for the staff (once a day)
    while (!stop_) {
        const std::string today = local_date(clock_.now());
        if (today != done_for) {
            lock.unlock();
            BackupResult r = daily_backup(db_path_, dir_, today, keep_);
            if (!r.error.empty() && noted_for != today) {
                noted_for = today;
                try {
                    SQLite::Database db(db_path_, SQLite::OPEN_READWRITE);
                    db.setBusyTimeout(2000);
                    add_health_event(db, {0, clock_.now(), "backup_failed", r.error.substr(0, 200), 0, 0});
                } catch (const std::exception&) {
                    // A full disk cannot take the note either; the journal has it.
                }
            }
            lock.lock();
            ++runs_;
            last_ = r;
            if (r.error.empty()) done_for = today;
        }
        cv_.wait_for(lock, every, [this] { return stop_; });
    }
}

}  // namespace studio
