// Crash at random points, with real processes and SIGKILL:
//  - kiosk_crash_loop: a real kiosk process (sync_test_kiosk: the kiosk's command
//    line without screens) checks clients in and runs `sync --once`, and is killed
//    at random moments; the in-process server stays up.
//  - server_crash_loop: a real `studio-server serve` process is killed at random
//    moments while a kiosk pushes its outbox in small batches, then restarted on the
//    same port and database.
// After every kill the dead side's SQLite file passes `PRAGMA integrity_check`;
// at the end, with nothing killed, the kiosk drains its outbox and every check-in
// the kiosk confirmed (its process printed "check-in <uuid>" before it ended) is on
// the server exactly once, and nothing is there twice.
// Used by tests/sync/test_crash.cpp (a short run) and by crash_loop (long runs:
// scripts/crash-loop).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace studio::test {

struct CrashReport {
    std::string what;                // "kiosk" or "server"
    std::uint64_t seed = 0;
    int rounds = 0;
    int kills = 0;                   // SIGKILLs that hit a live process
    int kills_mid_checkin = 0;       // kiosk: a `checkin` process
    int kills_mid_sync = 0;          // kiosk: a `sync --once` process; server: while a pass was running and failed
    int kills_after_store = 0;       // the server had stored check-ins the kiosk had not yet heard back about
    int confirmed = 0;               // check-ins confirmed (kiosk: printed; server loop: committed locally)
    int recorded = 0;                // check-ins in the kiosk's database (confirmed or not)
    int delivered = 0;               // of those, on the server (exactly once each)
    int duplicates = 0;              // a visit counted twice on the server, or a superseded copy
    int missing = 0;                 // confirmed (or recorded) check-ins not on the server
    int integrity_failures = 0;      // PRAGMA integrity_check not "ok" after a kill
    int drain_passes = 0;            // sync passes needed at the end
    std::vector<std::string> problems;   // the first few, with details
    bool ok() const;
    std::string summary() const;
};

// A `studio-server serve` process (STUDIO_SERVER_BIN) on `db` with the config file
// `conf`; its stderr (the request log) is appended to `err_file`. start_server waits
// for the line that names the port, retrying briefly while the port is not free.
struct ServerProcess {
    int pid = -1;
    int port = 0;
};
ServerProcess start_server(const std::string& db, const std::string& conf, const std::string& err_file);
// SIGTERM, then SIGKILL if it has not stopped within 5 s.
void stop_server(ServerProcess& s);

// `log`: progress lines (nullptr: quiet).
CrashReport kiosk_crash_loop(int rounds, std::uint64_t seed, std::ostream* log = nullptr);
CrashReport server_crash_loop(int rounds, std::uint64_t seed, std::ostream* log = nullptr);

}  // namespace studio::test
