// A server that fails in every common way: the kiosk backs off, loses nothing, and
// never makes the server count a check-in twice.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sync/worker.h"
#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;
using studio::server::Fault;
using studio::sync::SyncStatus;

namespace {

struct FaultSetup {
    TempDir dir;
    FaultPlan plan;
    TestServer server{test_server_config(dir.file("server.db")), [this] {
                          server::ServerHooks h;
                          h.fault = plan.hook();
                          return h;
                      }()};
    std::string token = server.add_kiosk("Center", "front-desk");
    Kiosk kiosk;

    FaultSetup() { queue_checkins(kiosk, 25); }
    int on_server() { return server.store().count("checkins"); }
};

sync::SyncTuning quick_timeout() {
    auto t = fast_tuning();
    t.total_timeout = std::chrono::milliseconds(700);
    return t;
}

}  // namespace

TEST_CASE("faults before the work: the kiosk reports it, keeps everything, and delivers once later") {
    FaultSetup s;
    struct Case {
        const char* name;
        Fault fault;
        SyncStatus expect;
    };
    const Case cases[] = {
        {"500", status_fault(500), SyncStatus::ServerError},
        {"503 with Retry-After", status_fault(503, 2), SyncStatus::ServerBusy},
        {"429 with Retry-After", status_fault(429, 3), SyncStatus::RateLimited},
        {"garbage", fault(Fault::Kind::Garbage), SyncStatus::BadResponse},
        {"truncated body", fault(Fault::Kind::Truncate), SyncStatus::BadResponse},
        {"stalling", fault(Fault::Kind::Stall, false, std::chrono::milliseconds(1500)), SyncStatus::Timeout},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        s.plan.add(c.fault);
        const auto r = s.kiosk.sync(s.server.url(), s.token, quick_timeout());
        CHECK(r.status == c.expect);
        CHECK(s.kiosk.pending() == 25);
        CHECK(sync_state(s.kiosk.store).last_error.size() > 0);
        if (c.fault.retry_after_s > 0) {
            REQUIRE(r.retry_after);
            CHECK(r.retry_after->count() == c.fault.retry_after_s);
        }
    }
    // A stalled request may still be stored once the server wakes; either way, never twice.
    const auto r = s.kiosk.sync(s.server.url(), s.token);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(s.kiosk.pending() == 0);
    CHECK(s.on_server() == 25);
    CHECK(s.kiosk.count("SELECT COUNT(*) FROM checkins WHERE voided = 0") == 25);
}

TEST_CASE("faults after the server stored the batch: the resend is a no-op") {
    FaultSetup s;
    struct Case {
        const char* name;
        Fault fault;
    };
    const Case cases[] = {
        {"500 after commit", status_fault(500, 0, true)},
        {"garbage after commit", fault(Fault::Kind::Garbage, true)},
        {"truncated after commit", fault(Fault::Kind::Truncate, true)},
        {"stall after commit", fault(Fault::Kind::Stall, true, std::chrono::milliseconds(1500))},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        s.plan.add(c.fault);
        const auto r = s.kiosk.sync(s.server.url(), s.token, quick_timeout());
        CHECK_FALSE(r.ok());
        CHECK(s.kiosk.pending() == 25);    // no answer, no acknowledgement
        CHECK(s.on_server() == 25);         // but the server has them: exactly once
    }
    const auto r = s.kiosk.sync(s.server.url(), s.token);
    REQUIRE(r.ok());
    CHECK(r.delivered == 25);   // answered "duplicate" with the same uuid: delivered
    CHECK(r.superseded == 0);
    CHECK(s.kiosk.pending() == 0);
    CHECK(s.on_server() == 25);
    CHECK(s.server.store().count("superseded_checkins") == 0);
}

TEST_CASE("the kiosk dies between sending a batch and storing the answer: the resend changes nothing") {
    FaultSetup s;
    {
        sync::HttpClient http(transport(s.server.url(), s.token));
        sync::SyncEngine engine(s.kiosk.store, http, fast_tuning(), s.kiosk.clock);
        engine.before_ack = [] { throw std::runtime_error("power cut"); };
        CHECK_THROWS_WITH(engine.run_once(), "power cut");
    }
    CHECK(s.on_server() == 25);
    // After the restart: a new connection to the same file, as the kiosk would open it.
    KioskStore reopened(s.kiosk.db);
    CHECK(reopened.db().execAndGet("SELECT COUNT(*) FROM outbox").getInt() == 25);
    sync::HttpClient http(transport(s.server.url(), s.token));
    sync::SyncEngine engine(reopened, http, fast_tuning(), s.kiosk.clock);
    const auto r = engine.run_once();
    REQUIRE(r.ok());
    CHECK(r.delivered == 25);
    CHECK(reopened.db().execAndGet("SELECT COUNT(*) FROM outbox").getInt() == 0);
    CHECK(s.on_server() == 25);
}

TEST_CASE("backoff: full jitter under a cap, never below Retry-After") {
    sync::SyncTuning t;
    t.backoff_base = std::chrono::milliseconds(100);
    t.backoff_cap = std::chrono::milliseconds(2000);
    t.retry_after_max = std::chrono::seconds(60);
    std::mt19937_64 rng(42);
    for (int failures = 1; failures <= 40; ++failures) {
        const long long ceiling = std::min<long long>(2000, 100LL << std::min(failures - 1, 30));
        long long max_seen = 0;
        for (int i = 0; i < 200; ++i) {
            const long long d = sync::backoff_delay(t, failures, rng, std::nullopt).count();
            CHECK(d >= 0);
            CHECK(d <= ceiling);
            max_seen = std::max(max_seen, d);
        }
        CHECK(max_seen > ceiling / 2);   // jitter spreads over the whole range
    }
    CHECK(sync::backoff_delay(t, 1, rng, std::chrono::seconds(7)).count() >= 7000);
    CHECK(sync::backoff_delay(t, 1, rng, std::chrono::seconds(100000)).count() == 60000);   // clamped
}

TEST_CASE("worker: retries with backoff until delivered, honours Retry-After, and stops promptly") {
    FaultSetup s;
    s.plan.add(status_fault(500), 3);
    s.plan.add(status_fault(429, 1));
    sync::WorkerConfig cfg;
    cfg.db_path = s.kiosk.db;
    cfg.transport = transport(s.server.url(), s.token);
    cfg.transport.tuning.poll_interval = std::chrono::seconds(60);
    std::atomic<int> changes{0};
    sync::SyncWorker worker(cfg, s.kiosk.clock);
    worker.start([&] { ++changes; });
    REQUIRE(eventually([&] {
        const auto snap = worker.snapshot();
        return snap.passes > 0 && snap.pending == 0 && snap.status == SyncStatus::Ok;
    }));
    CHECK(s.on_server() == 25);
    CHECK(changes.load() > 0);

    const auto arrivals = s.plan.arrivals();
    REQUIRE(arrivals.size() >= 6);   // 3 x 500, the 429, the push that worked, the pull
    const auto after_429 = arrivals[4] - arrivals[3];
    CHECK(after_429 >= std::chrono::milliseconds(950));
    // Backoff, not a tight loop: the four failures took some time but no more than the caps.
    CHECK(arrivals[3] - arrivals[0] < std::chrono::milliseconds(2000));

    SECTION("a new check-in wakes it at once; stop() returns without waiting out the poll interval") {
        const ClientId id = s.kiosk.add_client("NEW-1");
        s.kiosk.store.check_in(id, Source::Self, s.kiosk.clock, RulesConfig{});
        worker.request_now();
        CHECK(eventually([&] { return s.on_server() == 26; }, std::chrono::milliseconds(3000)));
        const auto t0 = std::chrono::steady_clock::now();
        worker.stop();
        CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));
    }
}

TEST_CASE("worker: the server down, then up on the same port: delivered without help") {
    TempDir dir;
    int port = 0;
    {
        TestServer probe(test_server_config(dir.file("probe.db")));
        port = probe.port();
    }
    Kiosk k;
    queue_checkins(k, 40);
    auto cfg_srv = test_server_config(dir.file("server.db"));
    cfg_srv.port = port;
    // The token exists before the server runs (made with the admin command line).
    std::string token;
    {
        server::ServerStore st(cfg_srv.db_path);
        token = st.add_device("Center", "front-desk", server::Role::Kiosk, 0);
    }
    sync::WorkerConfig wc;
    wc.db_path = k.db;
    wc.transport = transport("https://127.0.0.1:" + std::to_string(port), token);
    sync::SyncWorker worker(wc, k.clock);
    worker.start(nullptr);
    REQUIRE(eventually([&] { return worker.snapshot().passes >= 3; }));
    CHECK(worker.snapshot().status == SyncStatus::Offline);
    CHECK(k.pending() == 40);

    TestServer server(cfg_srv);
    worker.request_now(true);   // staff: "Sync now" (during backoff, only a forced request wakes it)
    REQUIRE(eventually([&] { return worker.snapshot().pending == 0 && worker.snapshot().status == SyncStatus::Ok; }));
    worker.stop();
    CHECK(server.store().count("checkins") == 40);
}

TEST_CASE("a real kiosk process killed after the server stored its batch, before the answer: the resend is a no-op") {
    FaultSetup s;
    write_file(s.dir.file("token"), s.token);
    write_file(s.dir.file("kiosk.conf"), "server_url = " + s.server.url() + "\nca_file = " + pki().ca_cert +
                                             "\ntoken_file = " + s.dir.file("token") + "\n");
    // The server stores the push, then holds its answer long enough for the kill.
    s.plan.add(fault(Fault::Kind::Stall, true, std::chrono::milliseconds(4000)));
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(STUDIO_TEST_KIOSK_BIN, STUDIO_TEST_KIOSK_BIN, "--db", s.kiosk.db.c_str(), "--config",
              s.dir.file("kiosk.conf").c_str(), "sync", "--once", nullptr);
        _exit(127);
    }
    const bool stored = eventually([&] { return s.on_server() == 25; }, std::chrono::milliseconds(5000));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(stored);
    CHECK(WIFSIGNALED(status));
    CHECK(s.kiosk.pending() == 25);   // nothing acknowledged locally

    const auto r = s.kiosk.sync(s.server.url(), s.token);
    REQUIRE(r.ok());
    CHECK(r.delivered == 25);
    CHECK(s.kiosk.pending() == 0);
    CHECK(s.on_server() == 25);
    CHECK(s.server.store().count("superseded_checkins") == 0);
}
