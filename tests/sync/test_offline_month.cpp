// Offline for a month: 30 days of a studio's door (tests/sync/month_offline.h) on a
// simulated clock with the server unreachable all along, then one sync. Everything
// arrives exactly once, in ceil(entries / push_batch) pushes plus the pull, and no
// request carries more than one batch: the engine never holds more than a batch in
// hand however long the queue (measured on the wire by the proxy). Peak memory of a
// real kiosk process doing this sync: `sync_soak month` (tests/FAULTS.md).
#include <catch2/catch.hpp>

#include <set>

#include "fault_proxy.h"
#include "month_offline.h"
#include "store/sync_store.h"
#include "sync/protocol.h"

using namespace studio;
using namespace studio::test;

TEST_CASE("offline for a month: one sync delivers every check-in once, a batch per request, in few requests") {
    TempDir dir;
    Kiosk k;
    const OfflineDays f = fill_offline_days(k, 30, 30);
    INFO(f.days << " days: " << f.classes << " classes, " << f.checkins << " check-ins, " << f.walk_ins
                << " first-timers, " << f.outbox << " outbox entries");
    REQUIRE(f.checkins >= 30 * 4 * 5);
    REQUIRE(f.outbox == f.checkins + f.walk_ins);

    // No server all month: every attempt fails, and keeps everything.
    int dead_port = 0;
    {
        TestServer probe(test_server_config(dir.file("probe.db")));
        dead_port = probe.port();
    }
    for (int day = 0; day < 3; ++day) {
        const auto r = k.sync("https://127.0.0.1:" + std::to_string(dead_port), "sst_x");
        CHECK(r.status == sync::SyncStatus::Offline);
        CHECK(k.pending() == f.outbox);
    }

    TestServer server(test_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    ProxyOptions po;
    po.target_port = server.port();
    po.weights = {1, 0, 0, 0, 0, 0};   // pass-through: the proxy only measures
    FaultProxy proxy(po);

    const sync::SyncTuning defaults;
    sync::SyncTuning tuning = fast_tuning();
    tuning.push_batch = defaults.push_batch;
    tuning.pull_page = defaults.pull_page;
    tuning.total_timeout = std::chrono::milliseconds(20000);   // a safety bound only
    // The heaviest single batch, as the engine will encode it.
    std::size_t heaviest = 0;
    {
        const auto all = outbox_batch(k.store, static_cast<std::size_t>(f.outbox));
        REQUIRE(all.size() == static_cast<std::size_t>(f.outbox));
        for (std::size_t at = 0; at < all.size(); at += tuning.push_batch) {
            const std::vector<OutboxItem> batch(all.begin() + static_cast<long>(at),
                                                all.begin() + static_cast<long>(std::min(all.size(), at + tuning.push_batch)));
            heaviest = std::max(heaviest, sync::encode_push_request(batch).size());
        }
    }
    const int pushes = (f.outbox + static_cast<int>(tuning.push_batch) - 1) / static_cast<int>(tuning.push_batch);

    const auto r = k.sync(proxy.url(), token, tuning);
    const ProxyStats wire = proxy.stats();
    INFO(r.detail << "; requests " << r.requests << ", pushes expected " << pushes << "; wire: " << wire.summary()
                  << "; heaviest batch " << heaviest << " bytes");
    REQUIRE(r.ok());
    CHECK(r.delivered == f.outbox);
    CHECK(r.pending_after == 0);
    CHECK(r.superseded == 0);
    CHECK(r.rejected == 0);
    // A bounded number of requests: the pushes, then one or two pages of the feed.
    CHECK(r.requests >= pushes + 1);
    CHECK(r.requests <= pushes + 2);
    // No request larger than one batch (plus HTTP head and TLS framing). (The proxy
    // counts a client's bytes between two answers of the server: a TLS session ticket
    // arriving mid-upload can split one request in two, never join two.)
    CHECK(wire.largest_request <= static_cast<long>(heaviest) + 4096);
    CHECK(wire.client_bytes > static_cast<long>(heaviest) * (pushes - 1));   // the rest went in other requests

    // Exactly once, every one.
    SQLite::Database sdb(dir.file("server.db"), SQLite::OPEN_READONLY);
    SQLite::Statement q(sdb, "SELECT uuid FROM checkins");
    std::set<std::string> on_server;
    while (q.executeStep()) on_server.insert(q.getColumn(0).getString());
    SQLite::Statement l(k.store.db(), "SELECT uuid FROM checkins WHERE origin = 'local'");
    std::set<std::string> local;
    while (l.executeStep()) local.insert(l.getColumn(0).getString());
    CHECK(local.size() == static_cast<std::size_t>(f.checkins));
    CHECK(on_server == local);
    CHECK(server.store().count("checkins") == f.checkins);
    CHECK(server.store().count("clients WHERE member_code IS NULL") == f.walk_ins);
    CHECK(server.store().count("superseded_checkins") == 0);

    // And the next pass has nothing to send: one pull.
    const auto again = k.sync(proxy.url(), token, tuning);
    REQUIRE(again.ok());
    CHECK(again.delivered == 0);
    CHECK(again.requests == 1);
}
