// Several kiosks and one server: the changes feed, two kiosks that checked the same
// client in while offline, voids, and refusals (TLS, tokens) that keep the data.
#include <catch2/catch.hpp>

#include "sync/indicator.h"
#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;
using studio::sync::SyncStatus;

namespace {

const char* kClients =
    "first_name,last_name,phone,email,member_code,prior_sessions,pass_sessions,pass_valid_from,pass_valid_until\n"
    "Anna,Kowalski,+48 601 555 010,anna@example.com,GS-1,3,10,2026-11-01,2026-12-31\n"
    "Zoë,Martin,,,GS-2,0,,,\n"
    "Liam,O'Brien,,,GS-3,9,unlimited,2026-11-01,2026-12-31\n";

const char* kSchedule =
    "date,start,duration_min,title,coach,focus\n"
    "2026-11-20,18:00,60,Upper back opening,Irina,shoulders\n"
    "2026-11-20,19:30,60,Deep stretch,Marta,\n";

struct Studio {
    TempDir dir;
    TestServer server{test_server_config(dir.file("server.db"))};
    std::string token_a = server.add_kiosk("Center", "front-desk");
    std::string token_b = server.add_kiosk("Center", "side-door");
    Kiosk a, b;

    Studio() {
        REQUIRE(server.store().import_clients(kClients, false, 0).imported);
        server.store().ensure_studio("Center");
        REQUIRE(server.store().import_schedule("Center", kSchedule, false).imported);
        server.store().set_focus("Center", {"2026-11-20", "Shoulder blades", "Let them melt down the back."});
    }
    ClientId client(Kiosk& k, const std::string& code) { return k.store.client_by_code(code)->id; }
};

}  // namespace

TEST_CASE("changes feed: clients, passes, classes and focus reach the kiosk, page by page") {
    Studio s;
    // This kiosk imported Anna itself before it ever synced: her own uid, same member code.
    s.a.add_client("gs-1", "Anna", 3);
    auto tuning = fast_tuning();
    tuning.pull_page = 2;
    const auto r = s.a.sync(s.server.url(), s.token_a, tuning);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.requests > 3);   // several pages
    CHECK(s.a.count("SELECT COUNT(*) FROM clients") == 3);   // Anna matched by member code, not doubled
    const auto anna = s.a.store.client_by_code("GS-1");
    REQUIRE(anna);
    CHECK(s.server.store().count("clients WHERE uid = '" + anna->uid + "'") == 1);   // the server's uid now
    CHECK(s.a.store.passes_of(anna->id).size() == 1);
    CHECK(s.a.count("SELECT COUNT(*) FROM classes") == 2);
    const auto focus = s.a.store.focus_on("2026-11-20");
    REQUIRE(focus);
    CHECK(focus->title == "Shoulder blades");
    const auto cls = s.a.store.next_class(at(2026, 11, 20, 17, 0));
    REQUIRE(cls);
    CHECK(cls->title == "Upper back opening");
    CHECK(cls->coach == "Irina");

    SECTION("a later pass fetches only what changed") {
        const auto again = s.a.sync(s.server.url(), s.token_a);
        REQUIRE(again.ok());
        CHECK(again.pulled == 0);
        s.server.store().set_focus("Center", {"2026-11-21", "Lower back", ""});
        const auto third = s.a.sync(s.server.url(), s.token_a);
        REQUIRE(third.ok());
        CHECK(third.pulled == 1);
        CHECK(s.a.store.focus_on("2026-11-21"));
    }
    SECTION("another studio's classes and focus never arrive") {
        s.server.store().ensure_studio("North");
        REQUIRE(s.server.store()
                    .import_schedule("North", "date,start,duration_min,title\n2026-11-20,18:00,60,Elsewhere\n", false)
                    .imported);
        s.server.store().set_focus("North", {"2026-11-22", "Not ours", ""});
        REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
        CHECK(s.a.count("SELECT COUNT(*) FROM classes WHERE title = 'Elsewhere'") == 0);
        CHECK_FALSE(s.a.store.focus_on("2026-11-22"));
    }
}

TEST_CASE("two kiosks check the same client in for the same class while offline: one check-in, one number") {
    Studio s;
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    const ClientId anna_a = s.client(s.a, "GS-1"), anna_b = s.client(s.b, "GS-1");

    SECTION("with a class") {
        const auto on_a = s.a.store.check_in(anna_a, Source::Self, s.a.clock, RulesConfig{});
        s.b.clock.advance(3 * 60);
        const auto on_b = s.b.store.check_in(anna_b, Source::Self, s.b.clock, RulesConfig{});
        REQUIRE(on_a.recorded());
        REQUIRE(on_b.recorded());
        REQUIRE(on_a.cls);
        CHECK(on_a.decision.session_number == 4);
        CHECK(on_b.decision.session_number == 4);
    }
    SECTION("without a class, the same day") {
        s.a.clock.set(at(2026, 11, 20, 13, 0));
        s.b.clock.set(at(2026, 11, 20, 14, 0));
        REQUIRE_FALSE(s.a.store.check_in(anna_a, Source::Self, s.a.clock, RulesConfig{}).cls);
        REQUIRE(s.b.store.check_in(anna_b, Source::Self, s.b.clock, RulesConfig{}).recorded());
    }
    CHECK(s.a.session_count(anna_a) == 4);
    CHECK(s.b.session_count(anna_b) == 4);

    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    const auto rb = s.b.sync(s.server.url(), s.token_b);
    REQUIRE(rb.ok());
    CHECK(rb.superseded == 1);
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());

    CHECK(s.server.store().count("checkins") == 1);
    CHECK(s.server.store().count("superseded_checkins") == 1);
    // Both kiosks count the same single visit, under the same uuid: never backwards, never twice.
    CHECK(s.a.session_count(anna_a) == 4);
    CHECK(s.b.session_count(anna_b) == 4);
    const std::string valid = "SELECT uuid FROM checkins WHERE voided = 0";
    CHECK(s.a.store.db().execAndGet(valid).getString() == s.b.store.db().execAndGet(valid).getString());
    CHECK(s.b.count("SELECT COUNT(*) FROM checkins WHERE superseded_by IS NOT NULL AND voided = 1") == 1);
    CHECK(s.b.pending() == 0);

    // The next visit gets the same number wherever it happens.
    s.b.clock.set(at(2026, 11, 21, 12, 0));
    CHECK(s.b.store.check_in(anna_b, Source::Self, s.b.clock, RulesConfig{}).decision.session_number == 5);
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    CHECK(s.a.session_count(anna_a) == 5);
    CHECK(s.a.count("SELECT COUNT(*) FROM checkins WHERE origin = 'remote' AND device = 'side-door'") == 1);
}

TEST_CASE("the feed brings other kiosks' check-ins and voids, the local count follows") {
    Studio s;
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    const ClientId zoe_a = s.client(s.a, "GS-2"), zoe_b = s.client(s.b, "GS-2");
    const auto visit = s.a.store.check_in(zoe_a, Source::Self, s.a.clock, RulesConfig{});
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    CHECK(s.b.session_count(zoe_b) == 1);
    // B now knows Zoë is in: a second tap at B records nothing.
    CHECK_FALSE(s.b.store.check_in(zoe_b, Source::Self, s.b.clock, RulesConfig{}).recorded());

    // The coach voids it on kiosk A (what the coach screen writes: the flag and a 'void' entry).
    {
        SQLite::Transaction tx(s.a.store.db());
        s.a.store.db().exec("UPDATE checkins SET voided = 1, voided_at = 1, voided_by = 'coach Irina' WHERE uuid = '" +
                            visit.uuid + "'");
        s.a.store.db().exec("INSERT INTO outbox (kind, ref, created_at) VALUES ('void', '" + visit.uuid + "', 1)");
        tx.commit();
    }
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    CHECK(s.server.store().count("checkins WHERE voided = 1") == 1);
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    CHECK(s.b.session_count(zoe_b) == 0);
    CHECK(s.b.count("SELECT voided_by FROM checkins WHERE uuid = '" + visit.uuid + "'") == 0);
    CHECK(s.b.store.check_in(zoe_b, Source::Self, s.b.clock, RulesConfig{}).recorded());
}

TEST_CASE("a check-in from the feed makes this kiosk's unsent one for the same visit redundant, atomically") {
    Kiosk k;
    const ClientId anna = k.add_client("GS-1", "Anna", 3, "uid-anna");
    k.add_class("c-18", at(2026, 11, 20, 18, 0));
    const auto mine = k.store.check_in(anna, Source::Self, k.clock, RulesConfig{});
    REQUIRE(mine.recorded());
    ChangesPage page;
    page.cursor = 7;
    SyncCheckIn theirs;
    theirs.uuid = new_uuid();
    theirs.client_uid = "uid-anna";
    theirs.class_uid = "c-18";
    theirs.wall_time = at(2026, 11, 20, 17, 45);
    theirs.local_date = "2026-11-20";
    theirs.clock_synced = true;
    theirs.session_number = 4;
    theirs.device = "side-door";
    page.checkins.push_back(theirs);
    const auto sum = apply_changes(k.store, page);
    CHECK(sum.superseded == 1);
    CHECK(k.session_count(anna) == 4);
    CHECK(k.pending() == 0);
    CHECK(sync_cursor(k.store) == 7);
    CHECK(k.count("SELECT COUNT(*) FROM checkins WHERE uuid = '" + mine.uuid + "' AND superseded_by = '" +
                  theirs.uuid + "'") == 1);
    // The same page again changes nothing.
    CHECK_FALSE(apply_changes(k.store, page).changed());
}

TEST_CASE("refused: wrong CA, wrong host name, wrong pin, revoked or unknown token: data kept") {
    TempDir dir;
    TestServer server(test_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk k;
    queue_checkins(k, 5);
    auto attempt = [&](sync::TransportConfig t) {
        sync::HttpClient http(t);
        sync::SyncEngine engine(k.store, http, t.tuning, k.clock);
        return engine.run_once();
    };

    SECTION("a CA that did not sign the server's certificate") {
        auto t = transport(server.url(), token);
        t.ca_file = pki().other_ca_cert;
        const auto r = attempt(t);
        CHECK(r.status == SyncStatus::TlsError);
    }
    SECTION("the system CAs do not know a private CA either (verification is always on)") {
        auto t = transport(server.url(), token);
        t.ca_file.clear();
        CHECK(attempt(t).status == SyncStatus::TlsError);
    }
    SECTION("a certificate for another host name") {
        auto cfg = test_server_config(dir.file("wrong.db"));
        cfg.cert_file = pki().wrong_host_cert;
        cfg.key_file = pki().wrong_host_key;
        TestServer wrong(cfg);
        const auto r = attempt(transport(wrong.url(), token));
        CHECK(r.status == SyncStatus::TlsError);
        CHECK_THAT(r.detail, Catch::Contains("TLS"));
    }
    SECTION("a pinned key that is not the server's; the right pin works") {
        auto t = transport(server.url(), token);
        t.pinned_public_key = pki().other_pin;
        CHECK(attempt(t).status == SyncStatus::TlsError);
        CHECK(k.pending() == 5);
        t.pinned_public_key = pki().server_pin;
        CHECK(attempt(t).ok());
        CHECK(k.pending() == 0);
        return;
    }
    SECTION("a revoked token") {
        REQUIRE(server.store().revoke_device("Center", "front-desk", server::Role::Kiosk, 1));
        const auto r = attempt(transport(server.url(), token));
        CHECK(r.status == SyncStatus::Unauthorized);
        CHECK_THAT(r.detail, Catch::Contains("kept"));
        const auto ind = sync::sync_indicator(sync_state(k.store), true, k.clock.now());
        CHECK(ind.level == sync::SyncIndicator::Level::Attention);
        CHECK(ind.pending == 5);
    }
    SECTION("an unknown token, and a manager's token") {
        CHECK(attempt(transport(server.url(), "sst_not-a-real-token")).status == SyncStatus::Unauthorized);
        const std::string manager = server.store().add_device("", "boss", server::Role::Manager, 1);
        CHECK(attempt(transport(server.url(), manager)).status == SyncStatus::Unauthorized);
    }
    CHECK(k.pending() == 5);
    CHECK(k.count("SELECT COUNT(*) FROM checkins") == 5);
    CHECK(server.store().count("checkins") == 0);
}

TEST_CASE("plain http only to this machine, on both ends") {
    std::string why;
    CHECK(sync::check_server_url("https://studio.example.com", why));
    CHECK(sync::check_server_url("http://127.0.0.1:8080", why));
    CHECK(sync::check_server_url("http://localhost:8080", why));
    CHECK_FALSE(sync::check_server_url("http://studio.example.com", why));
    CHECK_FALSE(sync::check_server_url("http://127.0.0.1.evil.example/", why));
    CHECK_FALSE(sync::check_server_url("ftp://127.0.0.1", why));

    TempDir dir;
    auto cfg = test_server_config(dir.file("server.db"));
    cfg.plain_http = true;
    cfg.listen_address = "0.0.0.0";
    CHECK_THROWS_WITH(server::StudioServer(cfg), Catch::Contains("loopback"));
    cfg.listen_address = "127.0.0.1";
    TestServer plain(cfg);
    const std::string token = plain.add_kiosk("Center", "behind-proxy");
    Kiosk k;
    queue_checkins(k, 3);
    const auto r = k.sync(plain.url(), token);
    INFO(r.detail);
    CHECK(r.ok());
    CHECK(plain.store().count("checkins") == 3);
}

TEST_CASE("one entry the server finds malformed is set aside, the rest still goes through") {
    TempDir dir;
    TestServer server(test_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk k;
    queue_checkins(k, 3);
    // A walk-in whose name is longer than the protocol allows, queued between check-ins.
    const ClientId odd = k.store.create_walk_in(std::string(3000, 'A'), "B", "", k.clock);
    queue_checkins(k, 2, 10, "R-");
    const auto r = k.sync(server.url(), token);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.rejected == 1);
    CHECK(k.pending() == 0);
    CHECK(server.store().count("checkins") == 5);
    CHECK(k.count("SELECT COUNT(*) FROM sync_rejected WHERE kind = 'client' AND reason LIKE 'malformed: items[%'") == 1);
    CHECK(k.store.client_by_id(odd).has_value());   // kept here
    const auto ind = sync::sync_indicator(sync_state(k.store), true, k.clock.now());
    CHECK(ind.level == sync::SyncIndicator::Level::Attention);
    CHECK_THAT(ind.line, Catch::Contains("1 refused by the server"));
}
