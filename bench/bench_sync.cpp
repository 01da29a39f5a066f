// Benchmarks for the sync (not part of the tests):
//  1. 10,000 check-ins queued on a kiosk, delivered to the real studio-server over
//     HTTPS on 127.0.0.1: wall time and requests used, at two batch sizes.
//  2. The server's ingest rate on one core: ServerStore::push (validation done,
//     SQLite WAL + synchronous=FULL, one transaction per batch) on a thread pinned
//     to CPU 0, and the same through HTTPS with a single server thread.
//
//   cmake --build build-sync --target bench_sync && build-sync/bench_sync
// (or `--target bench`, which runs every benchmark). Needs the openssl CLI.
#include <sched.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "sync/protocol.h"
#include "../tests/sync/sync_fixture.h"

using namespace studio;
using namespace studio::test;
using SteadyClock = std::chrono::steady_clock;

namespace {

double since(SteadyClock::time_point t0) { return std::chrono::duration<double>(SteadyClock::now() - t0).count(); }

void deliver(std::size_t batch, int n) {
    TempDir dir;
    auto cfg = test_server_config(dir.file("server.db"));
    cfg.limits.max_body_bytes = 4u << 20;
    TestServer server(cfg);
    const std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk k;
    queue_checkins(k, n);
    auto tuning = fast_tuning();
    tuning.push_batch = batch;
    tuning.total_timeout = std::chrono::seconds(30);
    const auto t0 = SteadyClock::now();
    const auto r = k.sync(server.url(), token, tuning);
    const double secs = since(t0);
    std::printf("deliver %d queued check-ins over HTTPS (batch %zu): %.2f s, %d requests, %.0f check-ins/s%s\n", n,
                batch, secs, r.requests, n / secs, r.ok() && server.store().count("checkins") == n ? "" : "  FAILED");
}

std::vector<OutboxItem> make_items(int n, int offset) {
    std::vector<OutboxItem> items;
    for (int i = 0; i < n; ++i) {
        OutboxItem it;
        it.kind = OutboxKind::CheckIn;
        it.client.uid = "client-" + std::to_string((offset + i) / 10);
        it.client.member_code = "B-" + std::to_string((offset + i) / 10);
        it.client.first_name = "Anna";
        it.client.last_name = "K";
        it.checkin.uuid = new_uuid();
        it.checkin.client_uid = it.client.uid;
        it.checkin.wall_time = at(2026, 1, 1, 10, 0) + Seconds{(offset + i) % 10} * 86400;
        it.checkin.local_date = local_date(it.checkin.wall_time);
        it.checkin.clock_synced = true;
        it.checkin.session_number = (offset + i) % 10 + 1;
        it.checkin.pass_state = "active";
        it.ref = it.checkin.uuid;
        items.push_back(std::move(it));
    }
    return items;
}

void ingest_store(int n, std::size_t batch) {
    TempDir dir;
    double secs = 0;
    std::thread t([&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof one, &one);
        server::ServerStore store(dir.file("server.db"));
        store.ensure_studio("Center");
        store.add_device("Center", "bench", server::Role::Kiosk, 0);
        server::Device dev;
        dev.id = 1;
        dev.studio_id = 1;
        dev.label = "bench";
        std::vector<std::vector<OutboxItem>> batches;
        std::vector<std::string> bodies;
        for (int done = 0; done < n; done += static_cast<int>(batch)) {
            batches.push_back(make_items(static_cast<int>(batch), done));
            bodies.push_back(sync::encode_push_request(batches.back()));
        }
        const auto t0 = SteadyClock::now();
        for (const auto& body : bodies) {
            sync::PushRequest req;
            std::string why;
            sync::decode_push_request(body, req, why);
            store.push(dev, req.items, 1800000000);
        }
        secs = since(t0);
    });
    t.join();
    std::printf("server ingest on one core (decode + store, batch %zu): %d check-ins in %.2f s = %.0f check-ins/s\n",
                batch, n, secs, n / secs);
}

void ingest_https(int n) {
    TempDir dir;
    auto cfg = test_server_config(dir.file("server.db"));
    cfg.limits.threads = 1;
    TestServer server(cfg);
    const std::string token = server.add_kiosk("Center", "front-desk");
    sync::HttpClient http(transport(server.url(), token));
    std::vector<std::string> bodies;
    for (int done = 0; done < n; done += 200) bodies.push_back(sync::encode_push_request(make_items(200, done)));
    const auto t0 = SteadyClock::now();
    int ok = 0;
    for (const auto& b : bodies) ok += http.post_json("/api/v1/push", b).ok();
    const double secs = since(t0);
    std::printf("server ingest over HTTPS, 1 server thread (batch 200): %d check-ins in %.2f s = %.0f check-ins/s%s\n",
                n, secs, n / secs, ok == static_cast<int>(bodies.size()) ? "" : "  FAILED");
}

}  // namespace

int main() {
    setenv("TZ", "MSK-3", 1);
    tzset();
    pki();   // certificates first, outside the timings
    deliver(200, 10000);
    deliver(500, 10000);
    ingest_store(20000, 200);
    ingest_https(20000);
    return 0;
}
