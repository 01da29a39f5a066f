// Real processes killed with SIGKILL at random moments (tests/sync/crash_harness.h):
// the kiosk while it checks in and syncs, the server while it takes a batch. A
// short run here; `scripts/crash-loop [ROUNDS]` runs hundreds of rounds, and so do
// the hidden [.long] cases (STUDIO_CRASH_ROUNDS, default 300).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "crash_harness.h"
#include "fault_proxy.h"

using namespace studio::test;

namespace {

int rounds_or(int fallback) {
    const char* s = std::getenv("STUDIO_CRASH_ROUNDS");
    return s && *s ? std::max(1, std::atoi(s)) : fallback;
}

void check(const CrashReport& rep, int rounds) {
    INFO(rep.summary() << "\n(rerun with STUDIO_FAULT_SEED=" << rep.seed << ")");
    if (std::getenv("STUDIO_FAULT_VERBOSE")) std::cout << rep.summary() << "\n";
    CHECK(rep.rounds == rounds);
    CHECK(rep.problems.empty());
    CHECK(rep.integrity_failures == 0);
    CHECK(rep.missing == 0);
    CHECK(rep.duplicates == 0);
    CHECK(rep.confirmed > 0);
    CHECK(rep.recorded >= rep.confirmed);
    CHECK(rep.delivered == rep.recorded);
    CHECK(rep.ok());
}

}  // namespace

TEST_CASE("crash: a kiosk process SIGKILLed at random moments loses no confirmed check-in and doubles none") {
    const int rounds = 20;
    const auto rep = kiosk_crash_loop(rounds, fault_seed(4242));
    check(rep, rounds);
    CHECK(rep.kills_mid_checkin > 0);   // the kills did land, in both commands
    CHECK(rep.kills_mid_sync > 0);
}

TEST_CASE("crash: studio-server SIGKILLed mid-batch and restarted: every check-in once, both files intact") {
    const int rounds = 20;
    const auto rep = server_crash_loop(rounds, fault_seed(4243));
    check(rep, rounds);
    CHECK(rep.kills_mid_sync > 0);   // some kills broke a pass in the middle
}

TEST_CASE("crash: long kiosk crash loop", "[.long]") {
    const int rounds = rounds_or(300);
    check(kiosk_crash_loop(rounds, fault_seed(4242), &std::cout), rounds);
}

TEST_CASE("crash: long server crash loop", "[.long]") {
    const int rounds = rounds_or(300);
    check(server_crash_loop(rounds, fault_seed(4243), &std::cout), rounds);
}
