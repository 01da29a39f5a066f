#include "crash_harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>
#include <set>
#include <sstream>

#include "sync_fixture.h"

namespace studio::test {

namespace {

using SteadyClock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

// ---- processes ---------------------------------------------------------------------

struct ChildRun {
    std::string out;
    bool killed = false;      // our SIGKILL ended it
    bool hung = false;        // still running at the hard limit (then killed too)
    int exit_code = -1;       // when it exited by itself
    Ms took{0};
};

pid_t spawn(const std::vector<std::string>& args, int out_fd, const std::string& err_file) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid == 0) {
        // Between fork and exec: async-signal-safe calls only. If the harness itself
        // dies, its children die with it instead of serving on as orphans.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (err >= 0) dup2(err, 2);
        if (out_fd >= 0) dup2(out_fd, 1);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

// Runs `args`, collecting stdout; SIGKILLs it `kill_after` after the start (when
// given), or at `limit` in any case.
ChildRun run_child(const std::vector<std::string>& args, std::optional<Ms> kill_after, const std::string& err_file,
                   Ms limit = Ms(20000)) {
    ChildRun run;
    int p[2];
    if (pipe(p) != 0) throw std::runtime_error("pipe failed");
    const auto t0 = SteadyClock::now();
    const pid_t pid = spawn(args, p[1], err_file);
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        throw std::runtime_error("fork failed");
    }
    bool sent = false;
    char buf[4096];
    for (;;) {
        const auto now = SteadyClock::now();
        if (!sent && kill_after && now - t0 >= *kill_after) {
            kill(pid, SIGKILL);
            sent = true;
        }
        if (!sent && now - t0 >= limit) {
            kill(pid, SIGKILL);
            sent = run.hung = true;
        }
        pollfd q{p[0], POLLIN, 0};
        if (poll(&q, 1, 1) <= 0) continue;
        const ssize_t n = read(p[0], buf, sizeof buf);
        if (n <= 0) break;   // the child's stdout closed: it has ended (or is ending)
        run.out.append(buf, static_cast<std::size_t>(n));
    }
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    run.took = std::chrono::duration_cast<Ms>(SteadyClock::now() - t0);
    run.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL && !run.hung;
    if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
    return run;
}

std::string tail_of(const std::string& file, std::size_t n = 300) {
    const std::string s = read_file(file);
    return s.size() > n ? s.substr(s.size() - n) : s;
}

}  // namespace

ServerProcess start_server(const std::string& db, const std::string& conf, const std::string& err_file) {
    for (int attempt = 0; attempt < 40; ++attempt) {
        int p[2];
        if (pipe(p) != 0) throw std::runtime_error("pipe failed");
        ServerProcess s;
        s.pid = spawn({STUDIO_SERVER_BIN, "--db", db, "--config", conf, "serve"}, p[1], err_file);
        close(p[1]);
        std::string line;
        char c;
        pollfd q{p[0], POLLIN, 0};
        while (line.find('\n') == std::string::npos && poll(&q, 1, 5000) > 0 && read(p[0], &c, 1) == 1) line += c;
        close(p[0]);
        const auto at = line.find("127.0.0.1:");
        if (at != std::string::npos) {
            s.port = std::atoi(line.c_str() + at + 10);
            if (s.port > 0) return s;
        }
        // Could not start (the port not free again yet): reap it and retry shortly.
        kill(s.pid, SIGKILL);
        waitpid(s.pid, nullptr, 0);
        std::this_thread::sleep_for(Ms(50));
    }
    throw std::runtime_error("studio-server did not start: " + tail_of(err_file));
}

void stop_server(ServerProcess& s) {
    if (s.pid <= 0) return;
    kill(s.pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 500 && waitpid(s.pid, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(Ms(10));
    if (kill(s.pid, 0) == 0) {
        kill(s.pid, SIGKILL);
        waitpid(s.pid, &status, 0);
    }
    s.pid = -1;
}

namespace {

// ---- databases -------------------------------------------------------------------------

// Opened read-write, as the restarted program would: that replays (or discards) the
// WAL a killed writer left behind.
std::string integrity(const std::string& path) {
    try {
        SQLite::Database db(path, SQLite::OPEN_READWRITE);
        db.exec("PRAGMA busy_timeout = 5000");
        return db.execAndGet("PRAGMA integrity_check").getString();
    } catch (const std::exception& e) {
        return e.what();
    }
}

std::set<std::string> column(const std::string& path, const std::string& sql) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.exec("PRAGMA busy_timeout = 5000");
    SQLite::Statement q(db, sql);
    std::set<std::string> out;
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    return out;
}

int number(const std::string& path, const std::string& sql) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.exec("PRAGMA busy_timeout = 5000");
    return db.execAndGet(sql).getInt();
}

// Every check-in the kiosk recorded, against the server's rows.
void compare(CrashReport& rep, const std::string& kiosk_db, const std::string& server_db,
             const std::set<std::string>& confirmed) {
    const auto local = column(kiosk_db, "SELECT uuid FROM checkins WHERE origin = 'local'");
    const auto remote = column(server_db, "SELECT uuid FROM checkins");
    rep.recorded = static_cast<int>(local.size());
    for (const auto& u : local) {
        if (remote.count(u)) ++rep.delivered;
        else {
            ++rep.missing;
            if (rep.problems.size() < 8) rep.problems.push_back("recorded but not on the server: " + u);
        }
    }
    for (const auto& u : confirmed)
        if (!local.count(u)) {
            ++rep.missing;
            if (rep.problems.size() < 8) rep.problems.push_back("confirmed but gone from the kiosk: " + u);
        }
    for (const auto& u : remote)
        if (!local.count(u)) {
            ++rep.duplicates;
            if (rep.problems.size() < 8) rep.problems.push_back("on the server, unknown to the kiosk: " + u);
        }
    // uuids are unique on the server; a visit counted twice would be two uuids for one
    // client and day (or class), or a copy set aside as superseded.
    rep.duplicates += number(server_db, "SELECT COUNT(*) FROM superseded_checkins");
    rep.duplicates += number(server_db,
                             "SELECT COUNT(*) FROM (SELECT client_id FROM checkins WHERE voided = 0 GROUP BY client_id, "
                             "local_date, COALESCE(class_id, 0) HAVING COUNT(*) > 1)");
    const int left = number(kiosk_db, "SELECT COUNT(*) FROM outbox");
    if (left != 0) rep.problems.push_back(std::to_string(left) + " outbox entries left after the drain");
    const int unsynced = number(kiosk_db, "SELECT COUNT(*) FROM checkins WHERE origin = 'local' AND synced_at IS NULL");
    if (unsynced != 0) rep.problems.push_back(std::to_string(unsynced) + " local check-ins never acknowledged");
}

void check_integrity(CrashReport& rep, const std::string& path, const std::string& when) {
    const std::string r = integrity(path);
    if (r == "ok") return;
    ++rep.integrity_failures;
    if (rep.problems.size() < 8) rep.problems.push_back("integrity_check " + when + ": " + r);
}

Ms pick(std::mt19937_64& rng, double upto_ms) {
    std::uniform_real_distribution<double> u(0.0, std::max(upto_ms, 1.0));
    return Ms(static_cast<long>(u(rng)));
}

void ewma(double& avg, Ms sample) { avg = 0.8 * avg + 0.2 * static_cast<double>(sample.count()); }

}  // namespace

bool CrashReport::ok() const {
    return rounds > 0 && missing == 0 && duplicates == 0 && integrity_failures == 0 && problems.empty() &&
           delivered == recorded && recorded >= confirmed;
}

std::string CrashReport::summary() const {
    std::ostringstream s;
    s << what << " crash loop (seed " << seed << "): rounds " << rounds << ", kills " << kills;
    if (what == "kiosk") s << " (" << kills_mid_checkin << " in checkin, " << kills_mid_sync << " in sync --once)";
    else s << " (" << kills_mid_sync << " broke a sync pass)";
    s << ", " << kills_after_store << " left check-ins stored on the server but unacknowledged";
    s << ", check-ins confirmed " << confirmed << ", recorded " << recorded << ", delivered " << delivered
      << ", duplicates " << duplicates << ", missing " << missing << ", integrity failures " << integrity_failures
      << ", drain passes " << drain_passes;
    for (const auto& p : problems) s << "\n  problem: " << p;
    return s.str();
}

CrashReport kiosk_crash_loop(int rounds, std::uint64_t seed, std::ostream* log) {
    CrashReport rep;
    rep.what = "kiosk";
    rep.seed = seed;
    TempDir dir;
    TestServer server(test_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    const std::string db = dir.file("kiosk.db"), conf = dir.file("kiosk.conf"), err = dir.file("kiosk.err");
    write_file(dir.file("token"), token + "\n");
    write_file(conf, "server_url = " + server.url() + "\nca_file = " + pki().ca_cert + "\ntoken_file = " +
                         dir.file("token") + "\n");
    const int clients = rounds * 3 + 3;
    {
        std::string csv = "first_name,last_name,phone,email,member_code,prior_sessions\n";
        for (int i = 0; i < clients; ++i) csv += "Client,N" + std::to_string(i) + ",,,C-" + std::to_string(i) + ",0\n";
        KioskStore store(db);
        SystemClock clock;
        if (!store.import_clients(csv, false, clock).imported) throw std::runtime_error("import failed");
    }
    auto cli = [&](std::vector<std::string> more) {
        std::vector<std::string> a = {STUDIO_TEST_KIOSK_BIN, "--db", db, "--config", conf};
        a.insert(a.end(), more.begin(), more.end());
        return a;
    };

    std::mt19937_64 rng(seed);
    std::set<std::string> confirmed;
    double checkin_ms = 30, sync_ms = 100;   // running averages of undisturbed runs: where to aim the kills
    int next = 0;
    for (int r = 0; r < rounds; ++r) {
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int j = 0; j < n; ++j) {
            std::optional<Ms> kill;
            if (rng() % 100 < 35) kill = pick(rng, checkin_ms * 1.3);
            const ChildRun run = run_child(cli({"checkin", "--code", "C-" + std::to_string(next++)}), kill, err);
            if (run.killed) {
                ++rep.kills;
                ++rep.kills_mid_checkin;
            } else if (run.exit_code == 0) {
                ewma(checkin_ms, run.took);
            } else if (rep.problems.size() < 8) {
                rep.problems.push_back("checkin exited " + std::to_string(run.exit_code) + ": " + tail_of(err));
            }
            // Only what the kiosk printed counts as confirmed: it prints after the commit.
            for (std::size_t at = run.out.find("check-in "); at != std::string::npos;
                 at = run.out.find("check-in ", at + 1)) {
                const std::string uuid = run.out.substr(at + 9, 36);
                if (uuid.size() == 36) confirmed.insert(uuid);
            }
        }
        std::optional<Ms> kill;
        // Half of the kills anywhere, half late in the pass, where the server may have
        // stored a batch whose answer the kiosk has not stored yet.
        if (const auto dice = rng() % 100; dice < 30) kill = pick(rng, sync_ms * 1.3);
        else if (dice < 60) kill = Ms(static_cast<long>(sync_ms * 0.6)) + pick(rng, sync_ms * 0.5);
        const ChildRun run = run_child(cli({"sync", "--once"}), kill, err);
        if (run.killed) {
            ++rep.kills;
            ++rep.kills_mid_sync;
        } else if (run.exit_code == 0) {
            ewma(sync_ms, run.took);
        } else if (rep.problems.size() < 8) {
            rep.problems.push_back("sync --once exited " + std::to_string(run.exit_code) + ": " + tail_of(err));
        }
        check_integrity(rep, db, "of the kiosk after round " + std::to_string(r));
        if (run.killed && server.store().count("checkins") >
                              number(db, "SELECT COUNT(*) FROM checkins WHERE synced_at IS NOT NULL"))
            ++rep.kills_after_store;
        // Nothing recorded may lose its way to the server: no check-in without an
        // outbox entry unless the server acknowledged it.
        const int orphans = number(db, "SELECT COUNT(*) FROM checkins c WHERE origin = 'local' AND synced_at IS NULL "
                                       "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.ref = c.uuid)");
        if (orphans > 0 && rep.problems.size() < 8)
            rep.problems.push_back(std::to_string(orphans) + " check-ins without outbox entry after round " +
                                   std::to_string(r));
        ++rep.rounds;
        if (log && (r + 1) % 50 == 0) *log << "  kiosk round " << r + 1 << "/" << rounds << ", kills " << rep.kills << "\n";
    }
    // Recovery: nothing killed any more; drain (bounded).
    for (int i = 0; i < 5; ++i) {
        ++rep.drain_passes;
        if (run_child(cli({"sync", "--once"}), std::nullopt, err).exit_code == 0) break;
    }
    rep.confirmed = static_cast<int>(confirmed.size());
    server.stop();
    compare(rep, db, dir.file("server.db"), confirmed);
    check_integrity(rep, dir.file("server.db"), "of the server at the end");
    return rep;
}

CrashReport server_crash_loop(int rounds, std::uint64_t seed, std::ostream* log) {
    CrashReport rep;
    rep.what = "server";
    rep.seed = seed;
    TempDir dir;
    const std::string server_db = dir.file("server.db"), conf = dir.file("server.conf"), err = dir.file("server.err");
    std::string token;
    {
        server::ServerStore st(server_db);
        token = st.add_device("Center", "front-desk", server::Role::Kiosk, 0);
    }
    auto config = [&](int port) {
        write_file(conf, "listen_address = 127.0.0.1\nport = " + std::to_string(port) + "\ncert_file = " +
                             pki().server_cert + "\nkey_file = " + pki().server_key +
                             "\nrate_per_second = 10000\nrate_burst = 100000\nread_timeout_ms = 2000\n"
                             "handshake_timeout_ms = 2000\nkeep_alive_timeout_ms = 1000\n");
    };
    config(0);
    ServerProcess srv = start_server(server_db, conf, err);
    config(srv.port);   // every restart takes the same port: the kiosk's URL stays
    const std::string url = "https://127.0.0.1:" + std::to_string(srv.port);

    Kiosk kiosk;
    sync::SyncTuning tuning = fast_tuning();
    tuning.push_batch = 8;   // many small transactions: kills land between and inside them
    tuning.connect_timeout = Ms(500);
    tuning.total_timeout = Ms(1500);
    sync::TransportConfig tc = transport(url, token);
    tc.tuning = tuning;
    sync::HttpClient http(tc);

    std::mt19937_64 rng(seed);
    double sync_ms = 60;
    for (int r = 0; r < rounds; ++r) {
        const int n = 8 + static_cast<int>(rng() % 40);
        queue_checkins(kiosk, n, 4, "R" + std::to_string(r) + "-");
        rep.confirmed += n;   // committed locally: the kiosk said "done" to each client
        const Ms delay = pick(rng, sync_ms * 1.3);
        const pid_t victim = srv.pid;
        std::thread killer([&] {
            std::this_thread::sleep_for(delay);
            kill(victim, SIGKILL);
        });
        sync::SyncEngine engine(kiosk.store, http, tuning, kiosk.clock);
        const auto t0 = SteadyClock::now();
        const sync::SyncReport report = engine.run_once();
        const auto took = std::chrono::duration_cast<Ms>(SteadyClock::now() - t0);
        killer.join();
        int status = 0;
        waitpid(victim, &status, 0);
        if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
            ++rep.kills;
            if (!report.ok()) ++rep.kills_mid_sync;
        }
        if (report.ok()) ewma(sync_ms, took);
        if (report.status == sync::SyncStatus::LocalError && rep.problems.size() < 8)
            rep.problems.push_back("kiosk database error: " + report.detail);
        check_integrity(rep, server_db, "of the server after kill " + std::to_string(r));
        // Stored on the server, not acknowledged on the kiosk: the resend must be a no-op.
        if (number(server_db, "SELECT COUNT(*) FROM checkins") >
            kiosk.count("SELECT COUNT(*) FROM checkins WHERE synced_at IS NOT NULL"))
            ++rep.kills_after_store;
        srv = start_server(server_db, conf, err);
        ++rep.rounds;
        if (log && (r + 1) % 50 == 0)
            *log << "  server round " << r + 1 << "/" << rounds << ", kills " << rep.kills << "\n";
    }
    for (int i = 0; i < 10; ++i) {
        ++rep.drain_passes;
        sync::SyncEngine engine(kiosk.store, http, tuning, kiosk.clock);
        const auto r = engine.run_once();
        if (r.ok() && r.pending_after == 0) break;
        std::this_thread::sleep_for(Ms(100));
    }
    stop_server(srv);
    compare(rep, kiosk.db, server_db, {});
    check_integrity(rep, kiosk.db, "of the kiosk at the end");
    return rep;
}

}  // namespace studio::test
