// studio-server's limits under abuse, each with a raw socket (or the kiosk's own
// client) against 127.0.0.1: body size (chunked included), head size, read, write
// and request timeouts, the bounded pool and queue, the per-device rate limit.
#include <catch2/catch.hpp>

#include "../sync/sync_fixture.h"
#include "raw_client.h"

using namespace studio;
using namespace studio::test;
using Ms = std::chrono::milliseconds;

namespace {

struct LimitSetup {
    TempDir dir;
    std::unique_ptr<TestServer> server;
    std::string token;
    bool tls;

    explicit LimitSetup(bool use_tls, const std::function<void(server::ServerConfig&)>& tweak = {}) : tls(use_tls) {
        auto cfg = test_server_config(dir.file("server.db"));
        cfg.plain_http = !use_tls;
        if (tweak) tweak(cfg);
        server = std::make_unique<TestServer>(cfg);
        token = server->add_kiosk("Center", "front-desk");
    }
    RawClient raw(bool handshake = true, int rcvbuf = 0) { return RawClient(server->port(), tls, handshake, rcvbuf); }
    std::string head(const std::string& method, const std::string& path, const std::string& extra = "") {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n" + extra;
    }
    int stored() { return server->store().count("checkins"); }
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("limits: a body over the cap (Content-Length) is refused before it is read") {
    const bool tls = GENERATE(false, true);
    LimitSetup s(tls);
    auto c = s.raw();
    REQUIRE(c.send(s.head("POST", "/api/v1/push", "Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")));
    c.send(std::string(64 * 1024, 'x'));
    const std::string resp = c.read_all();
    CHECK(RawClient::status_of(resp) == 413);
    CHECK_THAT(resp, Catch::Contains("Connection: close"));
    CHECK(s.stored() == 0);
}

TEST_CASE("limits: a chunked body is cut off at the cap, which cpp-httplib alone would not do") {
    const bool tls = GENERATE(false, true);
    LimitSetup s(tls);
    auto c = s.raw();
    REQUIRE(c.send(s.head("POST", "/api/v1/push", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")));
    const std::string chunk = std::string("10000\r\n") + std::string(0x10000, ' ') + "\r\n";
    std::size_t sent = 0;
    // 8 MiB of whitespace is valid JSON padding: only a size cap stops it. (The
    // server's cap here is 1 MiB.) Stop when the server hangs up.
    while (sent < (8u << 20) && c.send(chunk)) sent += 0x10000;
    const std::string resp = c.read_all();
    CHECK(RawClient::status_of(resp) == 413);
    CHECK(s.server->stats().too_large.load() >= 1);
    CHECK(s.stored() == 0);
}

TEST_CASE("limits: request line plus headers over the cap get 431, however they are split") {
    const bool tls = GENERATE(false, true);
    LimitSetup s(tls);
    SECTION("many small headers (each under cpp-httplib's own per-line limit)") {
        auto c = s.raw();
        std::string h = s.head("GET", "/api/v1/health");
        for (int i = 0; i < 400; ++i) h += "X-Pad-" + std::to_string(i) + ": " + std::string(40, 'a') + "\r\n";
        c.send(h + "\r\n");
        CHECK(RawClient::status_of(c.read_all()) == 431);
    }
    SECTION("a long request line") {
        auto c = s.raw();
        c.send("GET /api/v1/health?" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
        CHECK(RawClient::status_of(c.read_all()) == 431);
    }
    SECTION("under the cap is fine") {
        auto c = s.raw();
        c.send("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(4000, 'a') + "\r\nConnection: close\r\n\r\n");
        CHECK(RawClient::status_of(c.read_all()) == 200);
    }
}

TEST_CASE("limits: timeouts: idle, slow head, stalled body") {
    const bool tls = GENERATE(false, true);
    LimitSetup s(tls);   // read timeout 1.5 s, request deadline 3 s, handshake 1.5 s
    SECTION("a connection that sends nothing is closed after the read timeout") {
        auto c = s.raw();
        const auto t0 = std::chrono::steady_clock::now();
        c.read_all(Ms(5000));
        CHECK(c.closed());
        CHECK(seconds_since(t0) < 3.0);
    }
    SECTION("a head trickled a byte at a time is cut at the request deadline (408)") {
        auto c = s.raw();
        const auto t0 = std::chrono::steady_clock::now();
        const std::string req = s.head("GET", "/api/v1/health", std::string(500, 'X'));
        bool open = true;
        for (std::size_t i = 0; open && i < req.size() && seconds_since(t0) < 6; ++i) {
            open = c.send(req.substr(i, 1));
            std::this_thread::sleep_for(Ms(100));   // well inside the read timeout each time
        }
        const std::string resp = c.read_all(Ms(2000));
        CHECK(RawClient::status_of(resp) == 408);
        CHECK(seconds_since(t0) < 6.0);
    }
    SECTION("a body that stops arriving is answered 408 after the read timeout") {
        auto c = s.raw();
        c.send(s.head("POST", "/api/v1/push", "Content-Length: 100\r\n\r\n") + "{\"items\":");
        const auto t0 = std::chrono::steady_clock::now();
        CHECK(RawClient::status_of(c.read_all()) == 408);
        CHECK(seconds_since(t0) < 3.0);
        CHECK(s.stored() == 0);
    }
}

TEST_CASE("limits: a TLS handshake that never comes is dropped after the handshake timeout") {
    LimitSetup s(true);
    RawClient c(s.server->port(), true, /*handshake=*/false);
    const auto t0 = std::chrono::steady_clock::now();
    c.read_all(Ms(5000));
    CHECK(c.closed());
    CHECK(seconds_since(t0) < 3.0);
}

TEST_CASE("limits: a client that does not read its answer frees the thread after the write timeout") {
    LimitSetup s(false, [](server::ServerConfig& cfg) {
        cfg.limits.threads = 1;
        cfg.max_changes_page = 20000;
    });
    // ~13 MB of changes: more than the socket buffers hold.
    std::string csv = "first_name,last_name,phone,email,member_code,prior_sessions\n";
    for (int i = 0; i < 12000; ++i) csv += std::string(400, 'N') + ",L,,,M-" + std::to_string(i) + ",0\n";
    REQUIRE(s.server->store().import_clients(csv, false, 0).imported);
    auto c = s.raw(true, 4096);
    c.send(s.head("GET", "/api/v1/changes?cursor=0&limit=20000", "\r\n"));
    // The single thread is stuck writing; once the write timeout (1.5 s) ends it, the
    // next request is served.
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(Ms(300));
    sync::HttpClient probe(transport(s.server->url(), s.token));
    sync::HttpResponse r;
    for (int i = 0; i < 10 && !r.ok(); ++i) r = probe.get("/api/v1/health");
    CHECK(r.ok());
    CHECK(seconds_since(t0) < 6.0);
    CHECK(s.server->stats().timed_out.load() >= 1);
}

TEST_CASE("limits: a bounded pool and queue: overflow gets a quick 503 with Retry-After, then service resumes") {
    LimitSetup s(true, [](server::ServerConfig& cfg) {
        cfg.limits.threads = 2;
        cfg.limits.queue = 2;
        cfg.limits.reject_queue = 1;
        cfg.limits.handshake_timeout = Ms(3000);
    });
    // Four connections that never finish their handshake: two hold the threads,
    // two wait in the queue.
    std::vector<std::unique_ptr<RawClient>> holders;
    // (One at a time, so each is where it should be before the next arrives.)
    for (int i = 0; i < 4; ++i) {
        holders.push_back(std::make_unique<RawClient>(s.server->port(), true, false));
        std::this_thread::sleep_for(Ms(100));
    }

    sync::HttpClient client(transport(s.server->url(), s.token));
    const auto t0 = std::chrono::steady_clock::now();
    const auto busy = client.get("/api/v1/health");
    INFO("served " << s.server->stats().connections.load() << " overloaded " << s.server->stats().overloaded.load()
                   << " dropped " << s.server->stats().dropped.load() << ": " << busy.detail);
    CHECK(busy.error == sync::NetError::None);
    CHECK(busy.status == 503);
    REQUIRE(busy.retry_after_s);
    CHECK(*busy.retry_after_s == 1);
    CHECK(seconds_since(t0) < 1.0);
    CHECK(s.server->stats().overloaded.load() >= 1);

    SECTION("past the overflow lane too, connections are closed at once") {
        std::vector<std::unique_ptr<RawClient>> more;
        for (int i = 0; i < 3; ++i) more.push_back(std::make_unique<RawClient>(s.server->port(), true, false));
        std::this_thread::sleep_for(Ms(200));
        CHECK(s.server->stats().dropped.load() >= 1);
    }
    holders.clear();   // they hang up; the threads are free again
    sync::HttpResponse ok;
    for (int i = 0; i < 50 && !ok.ok(); ++i) {
        ok = client.get("/api/v1/health");
        if (!ok.ok()) std::this_thread::sleep_for(Ms(50));
    }
    CHECK(ok.ok());
}

TEST_CASE("limits: a slow client in the overflow lane does not hold it: the next one still gets its 503") {
    LimitSetup s(true, [](server::ServerConfig& cfg) {
        cfg.limits.threads = 1;
        cfg.limits.queue = 0;
        cfg.limits.reject_queue = 1;
        cfg.limits.handshake_timeout = Ms(20000);
        cfg.limits.read_timeout = Ms(20000);
        cfg.limits.request_timeout = Ms(20000);
    });
    // One connection holds the only thread (its handshake never comes, for up to 20 s).
    RawClient holder(s.server->port(), true, false);
    std::this_thread::sleep_for(Ms(100));
    // One reaches the overflow lane, finishes its handshake and sends half a request line.
    RawClient slow(s.server->port(), true, true);
    REQUIRE(slow.send("GET /api/v1/hea"));
    std::this_thread::sleep_for(Ms(1500));   // past the lane's 1 s, well before the 20 s request timeout
    // A real client: still told to come back, not dropped.
    sync::HttpClient client(transport(s.server->url(), s.token));
    const auto busy = client.get("/api/v1/health");
    INFO(busy.detail << "; overloaded " << s.server->stats().overloaded.load() << " dropped "
                     << s.server->stats().dropped.load());
    CHECK(busy.error == sync::NetError::None);
    CHECK(busy.status == 503);
}

TEST_CASE("limits: the per-device rate limit answers 429 with Retry-After, other devices are not affected") {
    LimitSetup s(true, [](server::ServerConfig& cfg) {
        cfg.rate_per_second = 1;
        cfg.rate_burst = 3;
    });
    const std::string other = s.server->add_kiosk("Center", "side-door");
    sync::HttpClient a(transport(s.server->url(), s.token)), b(transport(s.server->url(), other));
    for (int i = 0; i < 3; ++i) CHECK(a.get("/api/v1/changes?cursor=0").status == 200);
    const auto limited = a.get("/api/v1/changes?cursor=0");
    CHECK(limited.status == 429);
    REQUIRE(limited.retry_after_s);
    CHECK(*limited.retry_after_s == 1);
    CHECK(b.get("/api/v1/changes?cursor=0").status == 200);
    std::this_thread::sleep_for(Ms(1100));
    CHECK(a.get("/api/v1/changes?cursor=0").status == 200);

    SECTION("the kiosk's engine reports it and keeps its data") {
        Kiosk k;
        queue_checkins(k, 3);
        for (int i = 0; i < 5; ++i) a.get("/api/v1/changes?cursor=0");
        const auto r = k.sync(s.server->url(), s.token);
        CHECK(r.status == sync::SyncStatus::RateLimited);
        REQUIRE(r.retry_after);
        CHECK(r.retry_after->count() >= 1);
        CHECK(k.pending() == 3);
    }
}

TEST_CASE("limits: framing that could smuggle a request is refused") {
    LimitSetup s(false);
    SECTION("Content-Length and Transfer-Encoding together") {
        auto c = s.raw();
        c.send(s.head("POST", "/api/v1/push", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        CHECK(RawClient::status_of(c.read_all()) == 400);
    }
    SECTION("an encoding other than chunked") {
        auto c = s.raw();
        c.send(s.head("POST", "/api/v1/push", "Transfer-Encoding: gzip\r\n\r\n"));
        CHECK(RawClient::status_of(c.read_all()) == 400);
    }
    SECTION("two Content-Length headers") {
        auto c = s.raw();
        c.send(s.head("POST", "/api/v1/push", "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"));
        CHECK(RawClient::status_of(c.read_all()) == 400);
    }
}
