// Soak measurements (not tests: it prints figures and asserts nothing about them).
//
//   sync_soak month [DAYS...]    default 1 30 180: a kiosk offline for DAYS days
//                                (tests/sync/month_offline.h), then one real
//                                `sync --once` process; prints entries, requests and
//                                that process's peak RSS (getrusage via wait4)
//   sync_soak abuse [ROUNDS]     default 5: a real `studio-server serve` process under
//                                rounds of abuse (bad UTF-8, 100k nesting, floods of
//                                connections, slowloris, wrong tokens, oversized
//                                bodies); prints its RSS (/proc/PID/status) before,
//                                after each round and at the end
//
// Build: cmake --build BUILD --target sync_soak (EXCLUDE_FROM_ALL); see tests/FAULTS.md.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <regex>

#include "../../server/raw_client.h"
#include "../crash_harness.h"
#include "../month_offline.h"

using namespace studio;
using namespace studio::test;
using Ms = std::chrono::milliseconds;

namespace {

double mb(long kb) { return static_cast<double>(kb) / 1024.0; }

// VmRSS and VmHWM of a process, in kB.
std::pair<long, long> rss_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    long rss = 0, hwm = 0;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) rss = std::atol(line.c_str() + 6);
        if (line.rfind("VmHWM:", 0) == 0) hwm = std::atol(line.c_str() + 6);
    }
    return {rss, hwm};
}

int month(const std::vector<int>& day_counts) {
    std::cout << std::left << std::setw(8) << "days" << std::setw(10) << "entries" << std::setw(10) << "requests"
              << std::setw(14) << "peak RSS MB" << "result\n";
    for (int days : day_counts) {
        TempDir dir;
        TestServer server(test_server_config(dir.file("server.db")));
        const std::string token = server.add_kiosk("Center", "front-desk");
        OfflineDays f;
        std::string db;
        {
            Kiosk k;
            f = fill_offline_days(k, days, static_cast<std::uint64_t>(days));
            k.store.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
            db = dir.file("kiosk.db");
            // Hand the file to the kiosk process: copy it out of the Kiosk's own folder.
            std::ifstream src(k.db, std::ios::binary);
            std::ofstream dst(db, std::ios::binary);
            dst << src.rdbuf();
        }
        write_file(dir.file("token"), token + "\n");
        write_file(dir.file("kiosk.conf"), "server_url = " + server.url() + "\nca_file = " + pki().ca_cert +
                                               "\ntoken_file = " + dir.file("token") + "\n");
        int out[2];
        if (pipe(out) != 0) return 1;
        const std::string conf = dir.file("kiosk.conf");
        const pid_t pid = fork();
        if (pid == 0) {
            dup2(out[1], 1);
            execl(STUDIO_TEST_KIOSK_BIN, STUDIO_TEST_KIOSK_BIN, "--db", db.c_str(), "--config", conf.c_str(), "sync",
                  "--once", nullptr);
            _exit(127);
        }
        close(out[1]);
        std::string text;
        char buf[4096];
        ssize_t n;
        while ((n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
        close(out[0]);
        int status = 0;
        rusage use{};
        wait4(pid, &status, 0, &use);
        std::smatch m;
        const std::string requests = std::regex_search(text, m, std::regex("in (\\d+) request")) ? m[1].str() : "?";
        const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                        server.store().count("checkins") == f.checkins;
        std::cout << std::setw(8) << days << std::setw(10) << f.outbox << std::setw(10) << requests << std::setw(14)
                  << std::fixed << std::setprecision(1) << mb(use.ru_maxrss)
                  << (ok ? "all delivered once" : "FAILED: " + text) << "\n"
                  << std::flush;
        if (!ok) return 1;
    }
    return 0;
}

std::string push_body(const std::string& first_name) {
    return "{\"items\": [{\"kind\": \"client\", \"client\": {\"uid\": \"c-x\", \"first_name\": \"" + first_name +
           "\", \"last_name\": \"K\"}}]}";
}

// One round of everything test_abuse.cpp does, at a larger scale.
void abuse_round(int port, const std::string& token) {
    const std::string url = "https://127.0.0.1:" + std::to_string(port);
    {
        sync::HttpClient c(transport(url, token));
        for (int i = 0; i < 40; ++i) {
            c.post_json("/api/v1/push", push_body("An\xc0\xafna"));
            c.post_json("/api/v1/push", push_body("\xed\xa0\x80"));
        }
        for (int i = 0; i < 10; ++i) c.post_json("/api/v1/push", std::string(100000, '[') + std::string(100000, ']'));
        for (int i = 0; i < 10; ++i) c.post_json("/api/v1/push", std::string(3u << 20, ' '));   // under the cap, not JSON
    }
    {
        // 40 clients at once, each opening connections as fast as it can for a second.
        std::atomic<bool> stop{false};
        std::vector<std::thread> flood;
        for (int t = 0; t < 40; ++t)
            flood.emplace_back([&, t] {
                while (!stop) {
                    sync::HttpClient c(transport(url, t % 2 ? token : "sst_wrong"));
                    c.get(t % 3 ? "/api/v1/changes?cursor=0" : "/api/v1/health");
                }
            });
        std::this_thread::sleep_for(Ms(1000));
        stop = true;
        for (auto& t : flood) t.join();
    }
    {
        // Slowloris: sockets that never finish a TLS handshake, and oversized bodies.
        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < 60; ++i) idle.push_back(std::make_unique<RawClient>(port, true, false));
        std::this_thread::sleep_for(Ms(1500));
        idle.clear();
        for (int i = 0; i < 5; ++i) {
            RawClient c(port, true);
            c.send("POST /api/v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                   "\r\nTransfer-Encoding: chunked\r\n\r\n");
            const std::string chunk = "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
            for (int k = 0; k < 100 && c.send(chunk); ++k) {
            }
            c.read_all(Ms(1000));
        }
    }
}

int abuse(int rounds) {
    TempDir dir;
    const std::string db = dir.file("server.db"), conf = dir.file("server.conf");
    std::string token;
    {
        server::ServerStore st(db);
        token = st.add_device("Center", "front-desk", server::Role::Kiosk, 0);
    }
    write_file(conf, "listen_address = 127.0.0.1\nport = 0\ncert_file = " + pki().server_cert + "\nkey_file = " +
                         pki().server_key + "\nhandshake_timeout_ms = 1000\nread_timeout_ms = 1000\n"
                         "request_timeout_ms = 2000\nrate_per_second = 10000\nrate_burst = 100000\n");
    ServerProcess srv = start_server(db, conf, dir.file("server.err"));
    const std::string url = "https://127.0.0.1:" + std::to_string(srv.port);
    const auto started = rss_of(srv.pid);
    // Warm up with honest work, so the baseline includes what serving normally costs.
    Kiosk k;
    queue_checkins(k, 500);
    {
        sync::HttpClient http(transport(url, token));
        sync::SyncEngine engine(k.store, http, fast_tuning(), k.clock);
        engine.run_once();
    }
    const auto base = rss_of(srv.pid);
    std::cout << std::fixed << std::setprecision(1) << "server RSS at start " << mb(started.first)
              << " MB, after warm-up (500 check-ins) " << mb(base.first) << " MB\n";
    for (int r = 1; r <= rounds; ++r) {
        abuse_round(srv.port, token);
        std::this_thread::sleep_for(Ms(500));
        const auto now = rss_of(srv.pid);
        std::cout << "after abuse round " << r << ": RSS " << mb(now.first) << " MB (peak " << mb(now.second)
                  << " MB)\n"
                  << std::flush;
    }
    // Still serving?
    queue_checkins(k, 10, 10, "AFTER-");
    sync::HttpClient http(transport(url, token));
    sync::SyncEngine engine(k.store, http, fast_tuning(), k.clock);
    const auto r = engine.run_once();
    const auto end = rss_of(srv.pid);
    std::cout << "after the abuse a kiosk syncs: " << (r.ok() ? "ok" : r.detail) << "; RSS " << mb(end.first)
              << " MB, growth over the warm baseline " << mb(end.first - base.first) << " MB\n";
    stop_server(srv);
    return r.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    setenv("TZ", "MSK-3", 1);
    tzset();
    std::signal(SIGPIPE, SIG_IGN);   // a peer that hangs up is an answer here, not a reason to die
    const std::string what = argc > 1 ? argv[1] : "";
    try {
        if (what == "month") {
            std::vector<int> days;
            for (int i = 2; i < argc; ++i) days.push_back(std::max(1, std::atoi(argv[i])));
            if (days.empty()) days = {1, 30, 180};
            return month(days);
        }
        if (what == "abuse") return abuse(argc > 2 ? std::max(1, std::atoi(argv[2])) : 5);
    } catch (const std::exception& e) {
        std::cerr << "sync_soak: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: sync_soak month [DAYS...] | abuse [ROUNDS]\n";
    return 2;
}
