// A kiosk whose clock is wrong: years behind (a Pi without a battery clock before
// its first time sync), jumping back and forth, or ahead. What "sensible" means here:
//  - every check-in is still recorded, with the time the kiosk believed;
//  - the outbox is delivered in the order the check-ins were made (outbox.seq), not
//    in clock order: a backwards jump neither reorders nor skips anything, and the
//    server stores them in that same order;
//  - session numbers follow that order too and never go backwards with the clock;
//  - "one per day" uses the kiosk's date at that moment;
//  - the server stores every one and flags the implausible times (never refuses);
//  - TLS verification stays on: a certificate outside its validity period (what a
//    clock years behind makes of a good certificate) is refused with a reason that
//    points at the clock, the check-ins stay, and are delivered once when it is right.
// (curl cannot be given a fake time, so the certificate cases use certificates whose
// validity lies in the future or the past of the real clock.)
#include <catch2/catch.hpp>

#include <ctime>

#include "store/sync_store.h"
#include "sync/indicator.h"
#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;

namespace {

std::vector<std::string> column(const std::string& db, const std::string& sql) {
    SQLite::Database d(db, SQLite::OPEN_READONLY);
    SQLite::Statement q(d, sql);
    std::vector<std::string> out;
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return out;
}

std::string asn1_time(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%SZ", &tm);
    return buf;
}

struct Cert {
    std::string cert, key, pin;
};

// A server certificate for 127.0.0.1 signed by the tests' CA, valid from `from`
// to `to` (real time), made with `openssl ca` (which can set both dates).
Cert cert_valid_between(const TempDir& dir, const std::string& name, std::time_t from, std::time_t to) {
    const std::string d = dir.path().string();
    const std::string ca_key = pki().ca_cert.substr(0, pki().ca_cert.size() - 4) + ".key";
    write_file(d + "/ca.cnf", "[ca]\ndefault_ca = test_ca\n[test_ca]\ndatabase = " + d + "/index.txt\nnew_certs_dir = " + d +
                                  "\nserial = " + d + "/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\n"
                                  "[any]\ncommonName = supplied\n");
    if (read_file(d + "/serial").empty()) write_file(d + "/serial", "1000\n");
    write_file(d + "/index.txt", "");
    write_file(d + "/" + name + ".ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                        "extendedKeyUsage=serverAuth\n");
    Cert c{d + "/" + name + ".pem", d + "/" + name + ".key", ""};
    run_or_throw("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + c.key + " -out " + d +
                 "/" + name + ".csr -subj '/CN=127.0.0.1'");
    run_or_throw("openssl ca -batch -notext -config " + d + "/ca.cnf -cert " + pki().ca_cert + " -keyfile " + ca_key +
                 " -in " + d + "/" + name + ".csr -out " + c.cert + " -startdate " + asn1_time(from) + " -enddate " +
                 asn1_time(to) + " -extfile " + d + "/" + name + ".ext");
    run_or_throw("openssl x509 -in " + c.cert + " -pubkey -noout | openssl pkey -pubin -outform der | "
                 "openssl dgst -sha256 -binary | openssl enc -base64 -A -out " + d + "/" + name + ".pin");
    c.pin = "sha256//" + read_file(d + "/" + name + ".pin");
    return c;
}

}  // namespace

TEST_CASE("clock faults: years behind, then jumping back and forth: recorded, flagged, delivered in door order") {
    TempDir dir;
    FakeClock server_clock(at(2026, 11, 20, 18, 10));
    TestServer server(test_server_config(dir.file("server.db")), [&] {
        server::ServerHooks h;
        h.clock = &server_clock;
        return h;
    }());
    const std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk k;
    const ClientId anna = k.add_client("GS-1", "Anna"), boris = k.add_client("GS-2", "Boris");
    const ClassId evening = k.add_class("class-evening", at(2026, 11, 20, 18, 0));
    std::vector<std::string> made;   // uuids in the order the door made them
    auto check_in = [&](ClientId who) {
        const auto out = k.store.check_in(who, Source::Self, k.clock, RulesConfig{});
        if (out.recorded()) made.push_back(out.uuid);
        return out;
    };

    // Cold boot without network: the clock says 2000-01-01 and knows it is not synced.
    k.clock.set(at(2000, 1, 1, 9, 0));
    k.clock.set_synchronised(false);
    auto a1 = check_in(anna);
    auto b1 = check_in(boris);
    REQUIRE(a1.recorded());
    REQUIRE(b1.recorded());
    CHECK(a1.decision.session_number == 1);
    CHECK_FALSE(a1.cls);   // no class in 2000
    // Time sync: now it is right.
    k.clock.set(at(2026, 11, 20, 17, 55));
    k.clock.set_synchronised(true);
    auto a2 = check_in(anna);
    REQUIRE(a2.recorded());
    REQUIRE(a2.cls);
    CHECK(a2.cls->id == evening);
    CHECK(a2.decision.session_number == 2);
    // A reboot puts the clock back (the same bad date): that day's visit already exists.
    k.clock.set(at(2000, 1, 1, 9, 5));
    k.clock.set_synchronised(false);
    CHECK_FALSE(check_in(anna).recorded());
    CHECK_FALSE(check_in(boris).recorded());
    // The bad clock moves on a day: a new visit, and the count goes on from 2, not from 1.
    k.clock.set(at(2000, 1, 2, 9, 0));
    auto a3 = check_in(anna);
    REQUIRE(a3.recorded());
    CHECK(a3.decision.session_number == 3);
    // Synced again, back in the class window.
    k.clock.set(at(2026, 11, 20, 18, 5));
    k.clock.set_synchronised(true);
    auto b2 = check_in(boris);
    REQUIRE(b2.recorded());
    CHECK(b2.decision.session_number == 2);
    CHECK_FALSE(check_in(anna).recorded());   // already in this class
    // A bogus time source throws the clock months ahead.
    k.clock.set(at(2027, 3, 1, 10, 0));
    auto a4 = check_in(anna);
    REQUIRE(a4.recorded());
    CHECK(a4.decision.session_number == 4);
    REQUIRE(made.size() == 6);

    // The outbox is in door order, whatever the clock said.
    CHECK(column(k.db, "SELECT ref FROM outbox ORDER BY seq") == made);
    // Small batches: the order must hold across pushes too.
    auto tuning = fast_tuning();
    tuning.push_batch = 2;
    const auto r = k.sync(server.url(), token, tuning);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.delivered == 6);
    CHECK(r.requests >= 4);   // three pushes and a pull
    CHECK(k.pending() == 0);

    // Stored in door order, with the kiosk's times kept and the odd ones flagged.
    CHECK(column(dir.file("server.db"), "SELECT uuid FROM checkins ORDER BY id") == made);
    const auto flags = column(dir.file("server.db"), "SELECT time_flag FROM checkins ORDER BY id");
    for (int i : {0, 1, 3}) {
        INFO("check-in " << i << " flag " << flags[i]);
        CHECK_THAT(flags[i], Catch::Contains("clock_not_synced") && Catch::Contains("too_old"));
    }
    CHECK(flags[2].empty());
    CHECK(flags[4].empty());
    CHECK(flags[5] == "in_future");
    CHECK(column(dir.file("server.db"), "SELECT wall_time FROM checkins ORDER BY id")[0] ==
          std::to_string(at(2000, 1, 1, 9, 0)));
    // Session numbers in door order never go backwards.
    CHECK(column(dir.file("server.db"), "SELECT k.session_number FROM checkins k JOIN clients c ON c.id = k.client_id "
                                        "WHERE c.member_code = 'GS-1' ORDER BY k.id") ==
          std::vector<std::string>{"1", "2", "3", "4"});
    CHECK(k.session_count(anna) == 4);
    CHECK(k.session_count(boris) == 2);
    CHECK(server.store().count("superseded_checkins") == 0);
    // The status line copes with a last success "in the future" of the clock.
    k.clock.set(at(2000, 1, 3, 9, 0));
    const auto ind = sync::sync_indicator(sync_state(k.store), true, k.clock.now());
    CHECK(ind.level == sync::SyncIndicator::Level::Synced);
}

TEST_CASE("clock faults: a server certificate not valid yet (or expired) by the clock is refused, never waved through") {
    TempDir dir, certs;
    const std::time_t now = std::time(nullptr);
    // What a kiosk clock years behind makes of a good certificate: "not yet valid".
    const Cert future = cert_valid_between(certs, "future", now + 30 * 86400, now + 60 * 86400);
    const Cert expired = cert_valid_between(certs, "expired", now - 60 * 86400, now - 30 * 86400);
    Kiosk k;
    queue_checkins(k, 5);
    std::string token;
    {
        server::ServerStore st(dir.file("server.db"));
        token = st.add_device("Center", "front-desk", server::Role::Kiosk, 0);
    }
    struct Case {
        const char* name;
        const Cert* cert;
        const char* says;
    };
    for (const Case& c : {Case{"not valid yet", &future, "not valid yet"}, Case{"expired", &expired, "expired"}}) {
        INFO(c.name);
        auto cfg = test_server_config(dir.file("server.db"));
        cfg.cert_file = c.cert->cert;
        cfg.key_file = c.cert->key;
        TestServer server(cfg);
        const auto r = k.sync(server.url(), token);
        CHECK(r.status == sync::SyncStatus::TlsError);
        CHECK_THAT(r.detail, Catch::Contains(c.says) && Catch::Contains("date and time"));
        CHECK(k.pending() == 5);
        CHECK(server.store().count("checkins") == 0);
        const auto st = sync_state(k.store);
        CHECK_THAT(st.last_error, Catch::Contains("server identity not verified") && Catch::Contains(c.says));
        // Staff see it as something to look at, not as a passing outage.
        CHECK(sync::sync_indicator(st, true, k.clock.now()).level == sync::SyncIndicator::Level::Attention);
        // Even a pin that matches the certificate's key does not stand in for the
        // validity check: pinning adds to verification, never replaces it.
        sync::TransportConfig tc = transport(server.url(), token);
        tc.pinned_public_key = c.cert->pin;
        sync::HttpClient pinned(tc);
        const auto h = pinned.get("/api/v1/health");
        CHECK(h.error == sync::NetError::Tls);
    }
    // The clock (here: the certificate) is right again: delivered, once.
    TestServer server(test_server_config(dir.file("server.db")));
    const auto r = k.sync(server.url(), token);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.delivered == 5);
    CHECK(k.pending() == 0);
    CHECK(server.store().count("checkins") == 5);
    CHECK(server.store().count("superseded_checkins") == 0);
}
