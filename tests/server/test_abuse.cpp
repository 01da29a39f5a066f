// studio-server under abuse, beyond the single limits of test_limits.cpp: bad
// UTF-8 in every place a string can be, nesting 100,000 deep, more connections
// than the pool while a kiosk syncs, one device flooding while another syncs,
// slowloris on many sockets at once, wrong tokens (one answer for every reason,
// nothing echoed), and the per-IP limit on failed token attempts.
// Memory under abuse (RSS before/after) is measured by `sync_soak abuse`, not here.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <map>

#include "../sync/sync_fixture.h"
#include "raw_client.h"
#include "sync/protocol.h"

using namespace studio;
using namespace studio::test;
using nlohmann::json;
using Ms = std::chrono::milliseconds;

namespace {

struct AbuseSetup {
    TempDir dir;
    std::vector<std::string> log;
    std::mutex log_mu;
    std::unique_ptr<TestServer> server;
    std::string token;

    explicit AbuseSetup(const std::function<void(server::ServerConfig&)>& tweak = {}) {
        auto cfg = test_server_config(dir.file("server.db"));
        if (tweak) tweak(cfg);
        server::ServerHooks hooks;
        hooks.log = [this](const std::string& line) {
            std::lock_guard lock(log_mu);
            if (log.size() < 100000) log.push_back(line);
        };
        server = std::make_unique<TestServer>(cfg, hooks);
        token = server->add_kiosk("Center", "front-desk");
    }
    sync::HttpClient client(const std::string& tok) { return sync::HttpClient(transport(server->url(), tok)); }
    int rows() {
        auto& st = server->store();
        return st.count("checkins") + st.count("clients") + st.count("classes") + st.count("day_focus");
    }
    bool healthy() { return client("").get("/api/v1/health").status == 200; }
};

// One request on its own TLS connection, from `source` (an address on the loopback
// network); the whole answer, head and body (read up to its Content-Length, without
// waiting for the server to hang up).
std::string raw_request(int port, const std::string& head, const char* source = nullptr) {
    RawClient c(port, true, true, 0, source);
    c.send(head);
    std::string resp;
    for (int i = 0; i < 60 && !c.closed(); ++i) {
        resp += c.read_all(Ms(50));
        const auto end = resp.find("\r\n\r\n");
        const auto len = resp.find("Content-Length: ");
        if (end != std::string::npos && len != std::string::npos && len < end &&
            resp.size() >= end + 4 + std::stoul(resp.substr(len + 16)))
            break;
    }
    return resp;
}

std::string body_of(const std::string& response) {
    const auto at = response.find("\r\n\r\n");
    return at == std::string::npos ? "" : response.substr(at + 4);
}

bool all_ascii(const std::string& s) {
    for (unsigned char c : s)
        if (c >= 0x80) return false;
    return true;
}

const char* kClientUid = "3c2d1e0f-aaaa-4bbb-8ccc-dddddddddddd";

// A push of one client and one check-in with `first` as the client's first name,
// `uid` as its uid, `source` as the check-in's source: the places text goes.
std::string push_body(const std::string& first, const std::string& uid = kClientUid,
                      const std::string& source = "self", const std::string& extra_key = "") {
    const std::string uuid = new_uuid();
    return "{" + extra_key + "\"items\": [{\"kind\": \"checkin\", \"checkin\": {\"uuid\": \"" + uuid +
           "\", \"client_uid\": \"" + uid + "\", \"class_uid\": null, \"wall_time\": 1795189920, "
           "\"local_date\": \"2026-11-20\", \"clock_synced\": true, \"monotonic_ms\": 5, \"source\": \"" + source +
           "\", \"session_number\": 1, \"pass_state\": \"none\", \"voided\": false}, "
           "\"client\": {\"uid\": \"" + uid + "\", \"member_code\": null, \"first_name\": \"" + first +
           "\", \"last_name\": \"K\", \"prior_sessions\": 0}}]}";
}

}  // namespace

TEST_CASE("abuse: invalid UTF-8 anywhere in a push is a 400 that changes nothing and is not echoed") {
    AbuseSetup s;
    auto http = s.client(s.token);
    struct Case {
        const char* name;
        std::string body;
    };
    const Case cases[] = {
        {"overlong encoding of '/'", push_body("An\xc0\xafna")},
        {"overlong NUL", push_body("An\xc0\x80na")},
        {"UTF-16 surrogate written as UTF-8", push_body("An\xed\xa0\x80na")},
        {"sequence cut at the end of the string", push_body("Anna\xd0")},
        {"lone continuation byte", push_body("\x80nna")},
        {"above U+10FFFF", push_body("An\xf4\x90\x80\x80na")},
        {"5-byte form", push_body("An\xf8\x88\x80\x80\x80na")},
        {"bytes 0xfe 0xff", push_body("An\xfe\xffna")},
        {"escaped lone surrogate", push_body("An\\ud800na")},
        {"escaped lone low surrogate", push_body("An\\udc00na")},
        {"in a uid", push_body("Anna", "c-\xff-uid")},
        {"in an enum value", push_body("Anna", kClientUid, "se\xe9lf")},
        {"in an object key", push_body("Anna", kClientUid, "self", "\"k\xff\": 1, ")},
        {"Latin-1 instead of UTF-8", push_body("J\xfcrgen")},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto r = http.post_json("/api/v1/push", c.body);
        CHECK(r.status == 400);
        CHECK_FALSE(sync::error_reason(r.body).empty());
        // The answer is clean JSON in ASCII: the bad bytes are not sent back.
        CHECK(all_ascii(r.body));
        CHECK(json::accept(r.body));
        CHECK(s.rows() == 0);
    }
    REQUIRE(s.healthy());
    SECTION("valid UTF-8 of every length goes through, byte for byte") {
        const std::string names[] = {"Ёлкина", "Zoë", "李小龙", "🧘\u200dStretch", "e\xcc\x81"};
        for (const auto& n : names) {
            INFO(n);
            const std::string uid = "c-" + new_uuid();
            const auto r = http.post_json("/api/v1/push", push_body(n, uid));
            CHECK(r.status == 200);
            CHECK(s.server->store().count("clients WHERE first_name = '" + n + "' AND uid = '" + uid + "'") == 1);
        }
    }
}

TEST_CASE("abuse: nesting 100,000 deep is refused before parsing, and the server stays up") {
    AbuseSetup s;
    auto http = s.client(s.token);
    const std::size_t n = 100000;
    std::string objects;
    for (std::size_t i = 0; i < n; ++i) objects += "{\"a\":";
    const std::pair<const char*, std::string> cases[] = {
        {"100k [ unclosed", std::string(n, '[')},
        {"100k [ ] balanced", std::string(n, '[') + std::string(n, ']')},
        {"inside items", "{\"items\": " + std::string(n, '[') + std::string(n, ']') + "}"},
        {"100k objects", objects + "1" + std::string(n, '}')},
    };
    for (const auto& [name, body] : cases) {
        INFO(name);
        const auto r = http.post_json("/api/v1/push", body);
        CHECK(r.status == 400);
        CHECK_THAT(sync::error_reason(r.body), Catch::Contains("nested deeper"));
    }
    // Closers first never nest: the parser refuses it at the first byte.
    const auto closers = http.post_json("/api/v1/push", std::string(n, ']') + std::string(n, '['));
    CHECK(closers.status == 400);
    CHECK(sync::error_reason(closers.body) == "not valid JSON");
    // Brackets inside a string are text, not nesting.
    const auto text = http.post_json("/api/v1/push", "{\"items\": [], \"note\": \"" + std::string(n, '[') + "\"}");
    CHECK(text.status != 500);
    CHECK(s.rows() == 0);
    CHECK(s.healthy());
    Kiosk k;
    queue_checkins(k, 5);
    CHECK(k.sync(s.server->url(), s.token).ok());
}

TEST_CASE("abuse: far more connections than the pool, all at once: another device is still served") {
    AbuseSetup s([](server::ServerConfig& cfg) {   // 4 threads, a queue of 16, an overflow lane
        cfg.rate_per_second = 100000;              // connections are the point here, not the rate limit
        cfg.rate_burst = 100000;
    });
    const std::string flood_token = s.server->add_kiosk("Center", "flood");
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::map<long, long> statuses;   // HTTP status (0: no answer) -> count
    std::vector<std::thread> flood;
    for (int t = 0; t < 24; ++t) {
        flood.emplace_back([&, t] {
            while (!stop) {
                // Half reuse a connection, half open a new one for every request.
                sync::HttpClient c(transport(s.server->url(), flood_token));
                for (int i = 0; i < (t % 2 ? 1 : 20) && !stop; ++i) {
                    const auto r = c.get(t % 3 ? "/api/v1/changes?cursor=0" : "/api/v1/health");
                    std::lock_guard lock(mu);
                    ++statuses[r.error == sync::NetError::None ? r.status : 0];
                }
            }
        });
    }
    std::this_thread::sleep_for(Ms(300));   // the flood is on
    Kiosk k;
    queue_checkins(k, 60);
    sync::SyncReport last;
    int passes = 0;
    for (; passes < 40 && k.pending() > 0; ++passes) {
        last = k.sync(s.server->url(), s.token);
        if (!last.ok()) {
            // Busy is an answer; nothing else should happen to a well-behaved kiosk.
            CHECK((last.status == sync::SyncStatus::ServerBusy || last.status == sync::SyncStatus::Timeout ||
                   last.status == sync::SyncStatus::Offline || last.status == sync::SyncStatus::BadResponse));
            std::this_thread::sleep_for(Ms(50));
        }
    }
    stop = true;
    for (auto& t : flood) t.join();
    std::ostringstream seen;
    for (const auto& [code, count] : statuses) seen << code << ":" << count << " ";
    INFO("flood answers " << seen.str() << "; kiosk passes " << passes << ", last " << last.detail);
    CHECK(k.pending() == 0);
    CHECK(s.server->store().count("checkins") == 60);
    long total = 0;
    for (const auto& [code, count] : statuses) {
        total += count;
        CHECK((code == 200 || code == 503 || code == 0));   // served, or told to come back: nothing else
    }
    CHECK(total > 100);
    CHECK(s.healthy());
}

TEST_CASE("abuse: one device flooding is rate limited, another device syncs without a single 429") {
    AbuseSetup s([](server::ServerConfig& cfg) {
        cfg.rate_per_second = 20;
        cfg.rate_burst = 20;
    });
    const std::string flood_token = s.server->add_kiosk("Center", "flood");
    std::atomic<bool> stop{false};
    std::atomic<long> limited{0}, served{0}, retry_after_ok{0};
    std::vector<std::thread> flood;
    const auto flood_start = std::chrono::steady_clock::now();
    for (int t = 0; t < 6; ++t) {
        flood.emplace_back([&] {
            sync::HttpClient c(transport(s.server->url(), flood_token));
            while (!stop) {
                const auto r = c.get("/api/v1/changes?cursor=0");
                if (r.status == 429) {
                    ++limited;
                    if (r.retry_after_s && *r.retry_after_s >= 1) ++retry_after_ok;
                } else if (r.status == 200) {
                    ++served;
                }
            }
        });
    }
    Kiosk k;
    int refused = 0;
    for (int pass = 0; pass < 10; ++pass) {
        queue_checkins(k, 5, 1, "P" + std::to_string(pass) + "-");
        const auto r = k.sync(s.server->url(), s.token);
        if (!r.ok()) ++refused;
        INFO(r.detail);
        CHECK(r.status != sync::SyncStatus::RateLimited);
        std::this_thread::sleep_for(Ms(100));
    }
    stop = true;
    for (auto& t : flood) t.join();
    const double flood_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - flood_start).count();
    INFO("flood: " << served << " served, " << limited << " limited in " << flood_s << " s");
    CHECK(refused == 0);
    CHECK(k.pending() == 0);
    CHECK(s.server->store().count("checkins") == 50);
    CHECK(limited > 0);
    CHECK(retry_after_ok == limited);   // every 429 says when to come back
    // A token bucket never lets through more than the burst plus the rate over the time.
    CHECK(served <= static_cast<long>(20 + 20 * flood_s) + 2);
}

TEST_CASE("abuse: slowloris on many sockets at once: each is cut off, nothing leaks, service resumes") {
    AbuseSetup s([](server::ServerConfig& cfg) {
        cfg.plain_http = true;   // bytes trickled by hand; the TLS handshake timeout is its own test
        cfg.limits.read_timeout = Ms(500);
        cfg.limits.request_timeout = Ms(1000);
        cfg.limits.threads = 4;
        cfg.limits.queue = 4;
        cfg.limits.reject_queue = 1;
    });
    constexpr int kSockets = 40;
    std::vector<std::unique_ptr<RawClient>> socks;
    int retransmitted = 0;
    for (int i = 0; i < kSockets; ++i) {
        socks.push_back(std::make_unique<RawClient>(s.server->port(), false));
        retransmitted += socks.back()->syn_retransmitted();
    }
    // All 40 at once were taken in by the kernel: cpp-httplib's backlog of 5 would
    // have dropped SYNs here, and each client would have waited a second to retry.
    CHECK(retransmitted == 0);
    const std::string req = "GET /api/v1/changes?cursor=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                            s.token + "\r\nX-Pad: " + std::string(2000, 'z') + "\r\n\r\n";
    std::vector<std::size_t> sent(kSockets, 0);
    std::vector<bool> open(kSockets, true);
    std::vector<std::string> answers(kSockets);
    int still_open = kSockets;
    // A byte per socket every 50 ms (well inside the read timeout each time): only
    // the request deadline ends them. Bounded at 20 s.
    const auto t0 = std::chrono::steady_clock::now();
    while (still_open > 0 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20)) {
        for (int i = 0; i < kSockets; ++i) {
            if (!open[i]) continue;
            answers[i] += socks[i]->read_all(Ms(1));   // an answer, if the server gave one
            if (!socks[i]->closed() && sent[i] < req.size() && socks[i]->send(req.substr(sent[i], 1))) {
                ++sent[i];
                continue;
            }
            open[i] = false;
            --still_open;
        }
        std::this_thread::sleep_for(Ms(50));
    }
    int timed_out = 0, busy = 0, completed = 0;
    for (int i = 0; i < kSockets; ++i) {
        const int status = RawClient::status_of(answers[i]);
        timed_out += status == 408;
        busy += status == 503;
        completed += sent[i] >= req.size();
    }
    INFO("408: " << timed_out << ", 503: " << busy << ", got the whole request through: " << completed);
    CHECK(still_open == 0);          // every trickler was cut off (or, rarely, finished)
    CHECK(completed == 0);           // none got a 2 KB head through a byte at a time
    CHECK(timed_out >= 4);           // the pool's worth, at least, ran into the deadline
    CHECK(s.server->stats().timed_out.load() >= 4);
    socks.clear();
    // Service resumes at once.
    Kiosk k;
    queue_checkins(k, 10);
    sync::SyncReport r;
    for (int i = 0; i < 20 && !(r = k.sync(s.server->url(), s.token)).ok(); ++i) std::this_thread::sleep_for(Ms(100));
    CHECK(r.ok());
    CHECK(s.server->store().count("checkins") == 10);
}

TEST_CASE("abuse: a wrong token gets one and the same 401 for every reason, and nothing is echoed") {
    AbuseSetup s;
    const std::string revoked = s.server->add_kiosk("Center", "old-desk");
    REQUIRE(s.server->store().revoke_device("Center", "old-desk", server::Role::Kiosk, 1));
    const std::string unknown = "sst_" + std::string(43, 'Q');
    auto head = [](const std::string& auth) {
        return "GET /api/v1/changes?cursor=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "Connection: close\r\n\r\n";
    };
    const std::pair<const char*, std::string> cases[] = {
        {"no Authorization", head("")},
        {"unknown token", head("Authorization: Bearer " + unknown + "\r\n")},
        {"revoked token", head("Authorization: Bearer " + revoked + "\r\n")},
        {"empty bearer", head("Authorization: Bearer \r\n")},
        {"Basic", head("Authorization: Basic dXNlcjpwYXNz\r\n")},
        {"valid token plus a byte", head("Authorization: Bearer " + s.token + "x\r\n")},
        {"valid token cut short", head("Authorization: Bearer " + s.token.substr(0, s.token.size() - 1) + "\r\n")},
        {"4 KB token", head("Authorization: Bearer sst_" + std::string(4096, 'A') + "\r\n")},
        {"binary token", head("Authorization: Bearer sst_\xff\xfe\x01\r\n")},
    };
    std::string first_body;
    for (const auto& [name, request] : cases) {
        INFO(name);
        const std::string resp = raw_request(s.server->port(), request);
        CHECK(RawClient::status_of(resp) == 401);
        CHECK_THAT(resp, Catch::Contains("WWW-Authenticate: Bearer"));
        const std::string body = body_of(resp);
        if (first_body.empty()) first_body = body;
        CHECK(body == first_body);   // unknown, revoked, malformed: indistinguishable
        for (const std::string& secret : {unknown, revoked, s.token, std::string(4096, 'A')})
            CHECK(resp.find(secret.substr(4)) == std::string::npos);
    }
    CHECK_THAT(first_body, Catch::Contains("unauthorized"));
    CHECK(s.server->store().count("checkins") == 0);
    // The request log names the device, never a token.
    std::lock_guard lock(s.log_mu);
    CHECK(s.log.size() >= std::size(cases));
    for (const auto& line : s.log)
        for (const std::string& secret : {unknown, revoked, s.token}) CHECK(line.find(secret.substr(4)) == std::string::npos);
}

TEST_CASE("abuse: failed token attempts are limited per IP: 429 with Retry-After there, other IPs untouched") {
    AbuseSetup s([](server::ServerConfig& cfg) {
        cfg.limits.auth_failures_max = 5;
        cfg.limits.auth_failure_window = Ms(1500);
        cfg.limits.auth_failures_loopback = true;   // every test client is on the loopback
    });
    // 127.0.0.1 is the attacker, 127.0.0.2 another studio's network.
    auto guess = s.client("sst_" + std::string(43, 'G'));
    for (int i = 0; i < 5; ++i) CHECK(guess.get("/api/v1/changes?cursor=0").status == 401);
    const auto blocked = guess.get("/api/v1/changes?cursor=0");
    CHECK(blocked.status == 429);
    REQUIRE(blocked.retry_after_s);
    CHECK(*blocked.retry_after_s >= 1);
    CHECK(*blocked.retry_after_s <= 2);
    CHECK_THAT(sync::error_reason(blocked.body), Catch::Contains("failed attempts"));
    // While blocked, no token from that address is looked at, a good one included:
    // guessing is stopped, not merely answered differently.
    CHECK(s.client(s.token).get("/api/v1/changes?cursor=0").status == 429);
    CHECK(s.client("").get("/api/v1/health").status == 200);   // health needs no token

    const std::string other_ok = raw_request(s.server->port(),
                                             "GET /api/v1/changes?cursor=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                             "Authorization: Bearer " + s.token + "\r\nConnection: close\r\n\r\n",
                                             "127.0.0.2");
    CHECK(RawClient::status_of(other_ok) == 200);
    const std::string other_bad = raw_request(s.server->port(),
                                              "GET /api/v1/changes?cursor=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer sst_nope\r\nConnection: close\r\n\r\n",
                                              "127.0.0.2");
    CHECK(RawClient::status_of(other_bad) == 401);

    SECTION("a kiosk behind the blocked address keeps its check-ins and is told when to retry") {
        Kiosk k;
        queue_checkins(k, 3);
        const auto r = k.sync(s.server->url(), s.token);
        CHECK(r.status == sync::SyncStatus::RateLimited);
        REQUIRE(r.retry_after);
        CHECK(k.pending() == 3);
    }
    SECTION("the window ends, and the address may try again") {
        std::this_thread::sleep_for(Ms(1600));
        CHECK(s.client(s.token).get("/api/v1/changes?cursor=0").status == 200);
        CHECK(guess.get("/api/v1/changes?cursor=0").status == 401);
    }
}

TEST_CASE("abuse: by default loopback peers (a local TLS proxy) are not counted as failed attempts") {
    AbuseSetup s;
    auto guess = s.client("sst_wrong");
    for (int i = 0; i < 30; ++i) CHECK(guess.get("/api/v1/changes?cursor=0").status == 401);
    CHECK(s.client(s.token).get("/api/v1/changes?cursor=0").status == 200);
}

TEST_CASE("abuse: the failed-attempt table is bounded and forgets the oldest window first") {
    using namespace std::chrono;
    server::AuthFailureLimiter lim(3, milliseconds(60000), 4, false);
    const auto t0 = steady_clock::time_point{} + hours(1);
    for (int i = 0; i < 3; ++i) lim.failed("203.0.113.1", t0);
    CHECK(lim.blocked("203.0.113.1", t0) == 60);
    CHECK(lim.blocked("203.0.113.1", t0 + seconds(59)) == 1);
    CHECK(lim.blocked("203.0.113.9", t0) == 0);                       // never another IP
    CHECK(lim.blocked("203.0.113.1", t0 + seconds(60)) == 0);         // the window is over
    for (int ip = 0; ip < 100; ++ip) lim.failed("198.51.100." + std::to_string(ip), t0 + seconds(61 + ip));
    CHECK(lim.tracked() <= 4);
    // The newest stay tracked.
    for (int i = 0; i < 2; ++i) lim.failed("198.51.100.99", t0 + seconds(161));
    CHECK(lim.blocked("198.51.100.99", t0 + seconds(161)) > 0);
    lim.failed("127.0.0.1", t0);   // loopback not counted here
    for (int i = 0; i < 10; ++i) lim.failed("127.0.0.1", t0);
    CHECK(lim.blocked("127.0.0.1", t0) == 0);
    server::AuthFailureLimiter off(0, milliseconds(60000), 4, true);
    for (int i = 0; i < 10; ++i) off.failed("203.0.113.1", t0);
    CHECK(off.blocked("203.0.113.1", t0) == 0);
}
