// Kiosk ↔ studio-server over real TLS on 127.0.0.1: delivery exactly once, the
// changes feed, two kiosks converging, refusals that keep the data.
#include <catch2/catch.hpp>

#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;
using studio::sync::SyncStatus;

namespace {

struct Setup {
    TempDir dir;
    TestServer server{test_server_config(dir.file("server.db"))};
    std::string token = server.add_kiosk("Center", "front-desk");
};

}  // namespace

TEST_CASE("sync: check-ins reach the server once, and the outbox empties only on acknowledgement") {
    Setup s;
    Kiosk k;
    const ClientId anna = k.add_client("GS-1", "Anna", 3);
    const ClientId zoe = k.add_client("GS-2", "Zoë");
    k.add_class("c-18", at(2026, 11, 20, 18, 0));
    REQUIRE(k.store.check_in(anna, Source::Self, k.clock, RulesConfig{}).recorded());
    REQUIRE(k.store.check_in(zoe, Source::Self, k.clock, RulesConfig{}).recorded());
    k.store.create_walk_in("Olga", "Ёлкина", "", k.clock);
    REQUIRE(k.pending() == 3);

    const auto r = k.sync(s.server.url(), s.token);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.delivered == 3);
    CHECK(k.pending() == 0);
    CHECK(s.server.store().count("checkins") == 2);
    CHECK(s.server.store().count("clients") == 3);   // both snapshots and the walk-in
    CHECK(s.server.store().count("classes WHERE uid = 'c-18'") == 1);
    CHECK(k.count("SELECT COUNT(*) FROM checkins WHERE synced_at IS NOT NULL") == 2);

    SECTION("a second pass sends nothing and stores nothing") {
        const auto again = k.sync(s.server.url(), s.token);
        REQUIRE(again.ok());
        CHECK(again.delivered == 0);
        CHECK(s.server.store().count("checkins") == 2);
    }
    SECTION("the state staff see: nothing pending, a last success, no error") {
        const SyncState st = sync_state(k.store);
        CHECK(st.pending == 0);
        CHECK(st.last_success.has_value());
        CHECK(st.last_error.empty());
    }
}

TEST_CASE("sync: offline for weeks, then online: every queued check-in delivered exactly once") {
    TempDir dir;
    Kiosk k;
    queue_checkins(k, 1500);
    // Nobody listens yet: pick a port, and have the server come up on it later.
    int port = 0;
    {
        TestServer probe(test_server_config(dir.file("probe.db")));
        port = probe.port();
    }
    const std::string url = "https://127.0.0.1:" + std::to_string(port);
    for (int i = 0; i < 3; ++i) {
        const auto r = k.sync(url, "sst_unused");
        CHECK(r.status == SyncStatus::Offline);
    }
    CHECK(k.pending() == 1500);
    CHECK_THAT(sync_state(k.store).last_error, Catch::StartsWith("offline"));

    auto cfg = test_server_config(dir.file("server.db"));
    cfg.port = port;
    TestServer server(cfg);
    const std::string token = server.add_kiosk("Center", "front-desk");
    const auto r = k.sync(server.url(), token);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.delivered == 1500);
    CHECK(k.pending() == 0);
    CHECK(server.store().count("checkins") == 1500);
    CHECK(r.requests <= 1500 / 200 + 1 + 2);   // batches, plus the pull
    CHECK(server.stats().connections.load() == 1);   // one handle, one TLS connection, kept alive
    const auto again = k.sync(server.url(), token);
    REQUIRE(again.ok());
    CHECK(server.store().count("checkins") == 1500);
}
