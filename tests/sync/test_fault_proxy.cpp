// Two kiosks check 300 clients in while their sync workers talk to the real server
// through a fault proxy (real curl, TLS end to end): connections reset mid-request,
// stalled past curl's timeout, dripped a few bytes at a time, answers cut short or
// dropped after the server stored the batch. Then the network heals: every
// check-in is on the server exactly once and nothing is left in either outbox.
// The faults are drawn from a fixed seed (STUDIO_FAULT_SEED overrides it), which
// every failure reports.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <set>

#include "fault_proxy.h"
#include "sync/worker.h"
#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;
using Ms = std::chrono::milliseconds;

namespace {

sync::SyncTuning proxy_tuning() {
    sync::SyncTuning t = fast_tuning();
    t.connect_timeout = Ms(500);
    t.total_timeout = Ms(1000);
    t.low_speed_time = std::chrono::seconds(1);
    t.push_batch = 16;   // many batches: a fault can land between any two of them
    t.poll_interval = Ms(200);
    t.backoff_base = Ms(10);
    t.backoff_cap = Ms(100);
    t.retry_after_max = std::chrono::seconds(1);
    return t;
}

std::set<std::string> column(const std::string& db, const std::string& sql) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    SQLite::Statement q(d, sql);
    std::set<std::string> out;
    while (q.executeStep()) out.insert(q.getColumn(0).getString());
    return out;
}

bool verbose() { return std::getenv("STUDIO_FAULT_VERBOSE") != nullptr; }

// A connection carries one request: every request of a pass needs a new connection,
// and each new one draws its own fault.
server::ServerConfig proxied_server_config(const std::string& db) {
    auto cfg = test_server_config(db);
    cfg.limits.keep_alive_max = 1;
    return cfg;
}

}  // namespace

TEST_CASE("fault proxy: 300 check-ins on two kiosks through random network faults reach the server exactly once") {
    const std::uint64_t seed = fault_seed(20261121);
    INFO("fault seed " << seed << " (rerun with STUDIO_FAULT_SEED=" << seed << ")");
    TempDir dir;
    TestServer server(proxied_server_config(dir.file("server.db")));
    const std::string token_a = server.add_kiosk("Center", "front-desk"), token_b = server.add_kiosk("Center", "side-door");

    ProxyOptions po;
    po.target_port = server.port();
    po.seed = seed;
    po.stall = Ms(1200);   // past the kiosk's 1 s total timeout
    FaultProxy proxy(po);

    constexpr int kClients = 40, kCheckins = 300;
    Kiosk a, b;
    Kiosk* kiosks[] = {&a, &b};
    std::vector<ClientId> ids[2];
    for (int i = 0; i < kClients; ++i) {
        ids[0].push_back(a.add_client("A-" + std::to_string(i)));
        ids[1].push_back(b.add_client("B-" + std::to_string(i)));
    }
    // The workers read their own clocks; the door's clocks move on the test thread.
    FakeClock worker_clock_a(at(2026, 11, 20, 18, 0)), worker_clock_b(at(2026, 11, 20, 18, 0));
    auto worker_config = [&](const Kiosk& k, const std::string& token) {
        sync::WorkerConfig wc;
        wc.db_path = k.db;
        wc.transport = transport(proxy.url(), token);
        wc.transport.tuning = proxy_tuning();
        return wc;
    };
    sync::SyncWorker wa(worker_config(a, token_a), worker_clock_a), wb(worker_config(b, token_b), worker_clock_b);
    sync::SyncWorker* workers[] = {&wa, &wb};
    wa.start(nullptr);
    wb.start(nullptr);

    std::mt19937_64 rng(seed);
    std::set<std::string> recorded;
    int day_moves = 0;
    for (int i = 0; i < kCheckins; ++i) {
        const int k = static_cast<int>(rng() % 2);
        Kiosk& kiosk = *kiosks[k];
        // A client checks in once a day: a client already in today means tomorrow came.
        CheckInOutcome out;
        for (int attempt = 0; attempt < 3; ++attempt) {
            const ClientId id = ids[k][rng() % kClients];
            out = kiosk.store.check_in(id, Source::Self, kiosk.clock, RulesConfig{});
            if (out.recorded()) break;
            kiosk.clock.advance(86400);
            ++day_moves;
        }
        REQUIRE(out.recorded());
        REQUIRE(recorded.insert(out.uuid).second);
        kiosk.clock.advance(60);
        workers[k]->request_now();
        std::this_thread::sleep_for(Ms(rng() % 20));   // a door at a brisk pace, so passes stay small
    }
    const ProxyStats faulty = proxy.stats();
    INFO("under faults: " << faulty.summary());

    // The network heals: both workers drain (bounded), pushing what is left.
    proxy.set_healthy(true);
    auto drained = [&] {
        for (int k = 0; k < 2; ++k) {
            const auto snap = workers[k]->snapshot();
            if (kiosks[k]->pending() != 0 || snap.status != sync::SyncStatus::Ok) return false;
        }
        return true;
    };
    bool done = false;
    for (int i = 0; i < 200 && !(done = drained()); ++i) {
        wa.request_now(true);
        wb.request_now(true);
        std::this_thread::sleep_for(Ms(100));
    }
    wa.stop();
    wb.stop();
    INFO("workers: a " << wa.snapshot().passes << " passes " << wa.snapshot().requests << " requests, last: "
                       << wa.snapshot().detail << "; b " << wb.snapshot().passes << " passes "
                       << wb.snapshot().requests << " requests, last: " << wb.snapshot().detail);
    REQUIRE(done);

    // One last clean pass each, so each kiosk also holds the other's check-ins.
    for (int k = 0; k < 2; ++k) {
        const auto r = kiosks[k]->sync(proxy.url(), k == 0 ? token_a : token_b, proxy_tuning());
        INFO(r.detail);
        REQUIRE(r.ok());
    }

    const auto on_server = column(dir.file("server.db"), "SELECT uuid FROM checkins");
    CHECK(server.store().count("checkins") == kCheckins);   // uuids are unique there: each exactly once
    CHECK(on_server == recorded);
    CHECK(server.store().count("superseded_checkins") == 0);
    CHECK(server.store().count("checkins WHERE voided = 1") == 0);
    for (int k = 0; k < 2; ++k) {
        Kiosk& kiosk = *kiosks[k];
        CHECK(kiosk.pending() == 0);
        CHECK(kiosk.count("SELECT COUNT(*) FROM checkins WHERE origin = 'local' AND synced_at IS NULL") == 0);
        CHECK(kiosk.count("SELECT COUNT(*) FROM checkins WHERE voided = 0") == kCheckins);   // its own and the other's
        CHECK(kiosk.count("SELECT COUNT(*) FROM sync_rejected") == 0);
    }
    // The faults did happen (a run without them would prove nothing).
    for (std::size_t m = 1; m < kProxyModes; ++m) {
        INFO("mode " << to_string(static_cast<ProxyMode>(m)));
        CHECK(faulty.fired[m] > 0);
    }
    if (verbose())
        std::cout << "fault proxy: seed " << seed << ", " << kCheckins << " check-ins (" << day_moves
                  << " day changes), under faults: " << faulty.summary() << "; total: " << proxy.stats().summary()
                  << "; worker a " << wa.snapshot().passes << " passes/" << wa.snapshot().requests
                  << " requests, b " << wb.snapshot().passes << "/" << wb.snapshot().requests << "\n";
}

TEST_CASE("fault proxy: each fault on its own is survived, and a healthy proxy changes nothing") {
    const std::uint64_t seed = fault_seed(7);
    INFO("fault seed " << seed);
    TempDir dir;
    TestServer server(proxied_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk k;
    queue_checkins(k, 40);
    const auto mode = GENERATE(ProxyMode::Pass, ProxyMode::Reset, ProxyMode::Stall, ProxyMode::Drip, ProxyMode::Truncate,
                               ProxyMode::DropAck);
    INFO("mode " << to_string(mode));
    ProxyOptions po;
    po.target_port = server.port();
    po.seed = seed;
    po.weights = {};
    po.weights[static_cast<std::size_t>(mode)] = 1;
    po.stall = Ms(1200);
    po.reset_max_bytes = 4096;       // within the first request, so each pass meets its fault
    po.truncate_max_bytes = 4096;
    FaultProxy proxy(po);
    auto tuning = proxy_tuning();
    // Up to 3 passes through this one fault: each either delivers or reports a
    // failure, and loses nothing.
    int failures = 0;
    for (int i = 0; i < 3 && k.pending() > 0; ++i) {
        const auto r = k.sync(proxy.url(), token, tuning);
        if (!r.ok()) {
            ++failures;
            CHECK(r.status != sync::SyncStatus::LocalError);
            CHECK_FALSE(r.detail.empty());
        }
        CHECK(server.store().count("checkins") + k.pending() >= 40);   // nothing lost on the way
    }
    if (mode == ProxyMode::Pass || mode == ProxyMode::Drip) CHECK(failures == 0);
    proxy.set_healthy(true);
    const auto r = k.sync(proxy.url(), token, tuning);
    INFO(r.detail << "; " << proxy.stats().summary());
    REQUIRE(r.ok());
    CHECK(k.pending() == 0);
    CHECK(server.store().count("checkins") == 40);
    CHECK(server.store().count("superseded_checkins") == 0);
    if (mode != ProxyMode::Pass) CHECK(proxy.stats().fired[static_cast<std::size_t>(mode)] > 0);
}
