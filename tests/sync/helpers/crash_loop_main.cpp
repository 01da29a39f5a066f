// Long crash runs (scripts/crash-loop): SIGKILL a real kiosk process, then a real
// studio-server process, at random moments for ROUNDS rounds each, recover, and
// print what happened. Exit 0 when every confirmed check-in reached the server
// exactly once and every SQLite file passed its integrity check.
//
//   crash_loop [ROUNDS] [--seed N] [--only kiosk|server]
#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

#include "../crash_harness.h"

int main(int argc, char** argv) {
    int rounds = 300;
    std::uint64_t seed = 0;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--only" && i + 1 < argc) only = argv[++i];
        else if (!a.empty() && std::isdigit(static_cast<unsigned char>(a[0]))) rounds = std::max(1, std::atoi(a.c_str()));
        else {
            std::cerr << "usage: crash_loop [ROUNDS] [--seed N] [--only kiosk|server]\n";
            return 2;
        }
    }
    setenv("TZ", "MSK-3", 1);   // as tests/main.cpp: local dates do not depend on the machine
    tzset();
    std::signal(SIGPIPE, SIG_IGN);   // a peer that hangs up is an answer here, not a reason to die
    bool ok = true;
    try {
        if (only.empty() || only == "kiosk") {
            const auto r = studio::test::kiosk_crash_loop(rounds, seed ? seed : 4242, &std::cout);
            std::cout << r.summary() << "\n" << std::flush;
            ok = ok && r.ok();
        }
        if (only.empty() || only == "server") {
            const auto r = studio::test::server_crash_loop(rounds, seed ? seed + 1 : 4243, &std::cout);
            std::cout << r.summary() << "\n" << std::flush;
            ok = ok && r.ok();
        }
    } catch (const std::exception& e) {
        std::cerr << "crash_loop: " << e.what() << "\n";
        return 1;
    }
    std::cout << (ok ? "crash loop: OK" : "crash loop: FAILED") << "\n";
    return ok ? 0 : 1;
}
