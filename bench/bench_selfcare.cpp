// Self-care benchmarks (not tests): what the start check (PRAGMA quick_check) adds
// to the kiosk's startup, and how long the daily backup takes, on a studio's
// database after years of use.
//
//   cmake --build build --target bench_selfcare && build/bench_selfcare
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/clock.h"
#include "core/log.h"
#include "store/kiosk_store.h"
#include "store/self_care.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

// `clients` clients and `checkins` check-ins spread over the past years, written directly.
void fill(const std::string& path, int clients, int checkins) {
    studio::KioskStore store(path);
    auto& db = store.db();
    SQLite::Transaction tx(db);
    SQLite::Statement c(db, "INSERT INTO clients (uid, member_code, first_name, last_name, phone, created_at, updated_at) "
                            "VALUES (?, ?, 'Client', ?, '+7 900 000 00 00', 0, 0)");
    for (int i = 1; i <= clients; ++i) {
        c.bind(1, "uid-" + std::to_string(i));
        c.bind(2, "GS-" + std::to_string(i));
        c.bind(3, "Surname" + std::to_string(i));
        c.exec();
        c.reset();
    }
    SQLite::Statement k(db, "INSERT INTO checkins (uuid, client_id, wall_time, local_date, clock_synced, source, "
                            "session_number, pass_state, synced_at) VALUES (?, ?, ?, ?, 1, 'self', ?, 'active', ?)");
    for (int i = 0; i < checkins; ++i) {
        const long long t = 1700000000LL + i * 600LL;
        k.bind(1, "uuid-" + std::to_string(i));
        k.bind(2, 1 + i % clients);
        k.bind(3, static_cast<int64_t>(t));
        k.bind(4, studio::local_date(t));
        k.bind(5, 1 + i / clients);
        k.bind(6, static_cast<int64_t>(t + 60));
        k.exec();
        k.reset();
    }
    tx.commit();
}

}  // namespace

int main() {
    const fs::path dir = fs::temp_directory_path() / "studio-bench-selfcare";
    fs::remove_all(dir);
    fs::create_directories(dir);
    studio::SystemClock clock;
    studio::set_log_level(studio::LogLevel::Warning);
    std::printf("%-34s %10s %14s %22s\n", "database", "size MB", "start check", "backup (incl. its check)");
    for (auto [clients, checkins] : {std::pair{300, 20000}, std::pair{2000, 200000}, std::pair{20000, 1000000}}) {
        const std::string db = (dir / ("kiosk-" + std::to_string(checkins) + ".db")).string();
        fill(db, clients, checkins);
        const double mb = static_cast<double>(fs::file_size(db)) / (1 << 20);
        // Three runs each, the best (the page cache warm, as on a running Pi after boot).
        double check = 1e9, backup = 1e9;
        for (int run = 0; run < 3; ++run) {
            auto t = Clock::now();
            const auto r = studio::check_at_start(db, clock);
            check = std::min(check, ms_since(t));
            if (r.replaced) std::printf("unexpected: the file failed its check\n");
            fs::remove_all(dir / "backups");
            t = Clock::now();
            const auto b = studio::daily_backup(db, (dir / "backups").string(), "2026-11-21", 7);
            backup = std::min(backup, ms_since(t));
            if (!b.error.empty()) std::printf("backup failed: %s\n", b.error.c_str());
        }
        char label[64];
        std::snprintf(label, sizeof label, "%d clients, %d check-ins", clients, checkins);
        std::printf("%-34s %10.1f %11.1f ms %19.1f ms\n", label, mb, check, backup);
    }
    fs::remove_all(dir);
    return 0;
}
