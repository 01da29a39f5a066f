// Shared by the sync and server tests: certificates made with the openssl CLI, the
// real studio-server running in-process on a thread on 127.0.0.1 (stopped in
// teardown), and kiosks on their own temporary databases.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/uuid.h"
#include "server/studio_server.h"
#include "store/kiosk_store.h"
#include "store/sync_store.h"
#include "sync/engine.h"
#include "sync/transport.h"
#include "../test_support.h"

namespace studio::test {

// ---- certificates ------------------------------------------------------------------

struct Pki {
    std::string ca_cert;           // the CA the kiosks trust
    std::string server_cert, server_key;           // 127.0.0.1 and localhost, signed by the CA
    std::string wrong_host_cert, wrong_host_key;   // wrong.example, signed by the same CA
    std::string other_ca_cert;     // a CA that signed nothing here
    std::string server_pin;        // sha256//… of the server key (curl's pin format)
    std::string other_pin;         // a pin of another key
};

inline void run_or_throw(const std::string& cmd) {
    if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("failed: " + cmd);
}

// Made once per test process (EC keys: fast), in a folder removed at exit.
inline const Pki& pki() {
    static TempDir dir;
    static const Pki p = [] {
        Pki k;
        const std::string d = dir.path().string();
        const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
        auto ca = [&](const std::string& name) {
            run_or_throw("openssl req -x509 " + ec + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name +
                         ".pem -days 2 -subj '/CN=" + name + "' -addext basicConstraints=critical,CA:TRUE "
                         "-addext keyUsage=critical,keyCertSign,cRLSign");
        };
        auto leaf = [&](const std::string& name, const std::string& cn, const std::string& san) {
            write_file(d + "/" + name + ".ext", "subjectAltName=" + san +
                                                    "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
            run_or_throw("openssl req " + ec + " -keyout " + d + "/" + name + ".key -out " + d + "/" + name +
                         ".csr -subj '/CN=" + cn + "'");
            run_or_throw("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d + "/ca.pem -CAkey " + d +
                         "/ca.key -CAcreateserial -out " + d + "/" + name + ".pem -days 2 -extfile " + d + "/" + name +
                         ".ext");
        };
        auto pin = [&](const std::string& cert, const std::string& out) {
            run_or_throw("openssl x509 -in " + cert + " -pubkey -noout | openssl pkey -pubin -outform der | "
                         "openssl dgst -sha256 -binary | openssl enc -base64 -A -out " + out);
            return "sha256//" + read_file(out);
        };
        ca("ca");
        ca("other-ca");
        leaf("server", "127.0.0.1", "IP:127.0.0.1,DNS:localhost");
        leaf("wrong", "wrong.example", "DNS:wrong.example");
        k.ca_cert = d + "/ca.pem";
        k.other_ca_cert = d + "/other-ca.pem";
        k.server_cert = d + "/server.pem";
        k.server_key = d + "/server.key";
        k.wrong_host_cert = d + "/wrong.pem";
        k.wrong_host_key = d + "/wrong.key";
        k.server_pin = pin(k.server_cert, d + "/server.pin");
        k.other_pin = pin(k.wrong_host_cert, d + "/other.pin");
        return k;
    }();
    return p;
}

// ---- the server ---------------------------------------------------------------------------

// Small limits and quick timeouts, so every limit and timeout test runs in seconds.
inline server::ServerConfig test_server_config(const std::string& db_path) {
    server::ServerConfig cfg;
    cfg.db_path = db_path;
    cfg.listen_address = "127.0.0.1";
    cfg.port = 0;
    cfg.cert_file = pki().server_cert;
    cfg.key_file = pki().server_key;
    cfg.limits.max_body_bytes = 1u << 20;
    cfg.limits.max_header_bytes = 8 * 1024;
    cfg.limits.read_timeout = std::chrono::milliseconds(1500);
    cfg.limits.write_timeout = std::chrono::milliseconds(1500);
    cfg.limits.request_timeout = std::chrono::milliseconds(3000);
    cfg.limits.handshake_timeout = std::chrono::milliseconds(1500);
    cfg.limits.keep_alive_timeout = std::chrono::milliseconds(1000);
    cfg.limits.threads = 4;
    cfg.limits.queue = 16;
    cfg.rate_per_second = 1000;
    cfg.rate_burst = 1000;
    return cfg;
}

class TestServer {
public:
    explicit TestServer(server::ServerConfig cfg, server::ServerHooks hooks = {})
        : server_(std::make_unique<server::StudioServer>(cfg, std::move(hooks))) {
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->listen(); });
        // Connections wait in the socket's backlog from bind() on; but stop() needs
        // the accept loop running to end it.
        if (!server_->wait_running(std::chrono::seconds(5))) throw std::runtime_error("test server did not start");
    }
    ~TestServer() { stop(); }
    void stop() {
        if (!thread_.joinable()) return;
        server_->stop();
        thread_.join();
    }
    int port() const { return port_; }
    std::string url() const {
        return std::string(server_->config().plain_http ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_);
    }
    server::ServerStore& store() { return server_->store(); }
    server::HttpStats& stats() { return server_->stats(); }
    std::string add_kiosk(const std::string& studio, const std::string& label) {
        return store().add_device(studio, label, server::Role::Kiosk, 0);
    }

private:
    std::unique_ptr<server::StudioServer> server_;
    int port_ = 0;
    std::thread thread_;
};

// ---- kiosks -----------------------------------------------------------------------------

// Millisecond timings, so backoff and timeouts cost little test time.
inline sync::SyncTuning fast_tuning() {
    sync::SyncTuning t;
    t.connect_timeout = std::chrono::milliseconds(1000);
    t.total_timeout = std::chrono::milliseconds(2000);
    t.low_speed_time = std::chrono::seconds(2);
    t.poll_interval = std::chrono::milliseconds(100);
    t.backoff_base = std::chrono::milliseconds(20);
    t.backoff_cap = std::chrono::milliseconds(200);
    t.retry_after_max = std::chrono::seconds(5);
    return t;
}

inline sync::TransportConfig transport(const std::string& url, const std::string& token) {
    sync::TransportConfig t;
    t.base_url = url;
    t.ca_file = pki().ca_cert;
    t.token = token;
    t.tuning = fast_tuning();
    return t;
}

struct Kiosk {
    TempDir dir;
    std::string db = dir.file("kiosk.db");
    KioskStore store{db};
    FakeClock clock{at(2026, 11, 20, 17, 50)};

    // One pass, as `studio-kiosk sync --once` runs it.
    sync::SyncReport sync(const std::string& url, const std::string& token,
                          const sync::SyncTuning& tuning = fast_tuning()) {
        sync::TransportConfig t = transport(url, token);
        t.tuning = tuning;
        sync::HttpClient http(t);
        sync::SyncEngine engine(store, http, tuning, clock);
        return engine.run_once();
    }

    ClientId add_client(const std::string& code, const std::string& first = "Anna", int prior = 0,
                        const std::string& uid = "") {
        Client c;
        c.uid = uid;
        c.first_name = first;
        c.last_name = "Kowalski";
        c.member_code = code;
        c.prior_sessions = prior;
        return store.upsert_client(c);
    }
    ClassId add_class(const std::string& uid, Seconds starts_at, const std::string& title = "Upper back opening") {
        ClassSession c;
        c.uid = uid;
        c.starts_at = starts_at;
        c.title = title;
        c.coach = "Irina";
        return store.upsert_class(c);
    }
    int count(const std::string& sql) { return store.db().execAndGet(sql).getInt(); }
    int pending() { return count("SELECT COUNT(*) FROM outbox"); }
    int session_count(ClientId id) {
        return count("SELECT prior_sessions FROM clients WHERE id = " + std::to_string(id)) +
               count("SELECT COUNT(*) FROM checkins WHERE voided = 0 AND client_id = " + std::to_string(id));
    }
};

// `n` check-ins (with their outbox entries) in one transaction: what n days of a
// studio's door leave behind while the network is away. One client per visit,
// `per_client` visits each on consecutive days.
inline void queue_checkins(Kiosk& k, int n, int per_client = 10, const std::string& code_prefix = "Q-") {
    SQLite::Transaction tx(k.store.db(), SQLite::TransactionBehavior::IMMEDIATE);
    std::vector<ClientId> clients;
    for (int c = 0; c * per_client < n; ++c) clients.push_back(k.add_client(code_prefix + std::to_string(c)));
    SQLite::Statement ins(k.store.db(),
                          "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, "
                          "monotonic_ms, source, session_number, pass_state) VALUES (?, ?, NULL, ?, ?, 1, 0, 'self', ?, 'none')");
    SQLite::Statement ob(k.store.db(), "INSERT INTO outbox (kind, ref, created_at) VALUES ('checkin', ?, ?)");
    for (int i = 0; i < n; ++i) {
        const std::string uuid = new_uuid();
        const Seconds t = at(2026, 1, 1, 10, 0) + Seconds{i % per_client} * 86400;
        ins.bind(1, uuid);
        ins.bind(2, clients[static_cast<std::size_t>(i / per_client)]);
        ins.bind(3, static_cast<std::int64_t>(t));
        ins.bind(4, local_date(t));
        ins.bind(5, i % per_client + 1);
        ins.exec();
        ins.reset();
        ob.bind(1, uuid);
        ob.bind(2, static_cast<std::int64_t>(t));
        ob.exec();
        ob.reset();
    }
    tx.commit();
}

// ---- faults -------------------------------------------------------------------------------

// Faults for the next API requests (health checks pass untouched), in order, and
// when each API request arrived.
class FaultPlan {
public:
    void add(server::Fault f, int times = 1) {
        std::lock_guard lock(mu_);
        for (int i = 0; i < times; ++i) next_.push_back(f);
    }
    void clear() {
        std::lock_guard lock(mu_);
        next_.clear();
    }
    server::FaultHook hook() {
        return [this](const std::string&, const std::string& path) {
            std::lock_guard lock(mu_);
            if (path.find("/health") != std::string::npos) return server::Fault{};
            arrivals_.push_back(std::chrono::steady_clock::now());
            if (next_.empty()) return server::Fault{};
            server::Fault f = next_.front();
            next_.pop_front();
            return f;
        };
    }
    std::vector<std::chrono::steady_clock::time_point> arrivals() {
        std::lock_guard lock(mu_);
        return arrivals_;
    }

private:
    std::mutex mu_;
    std::deque<server::Fault> next_;
    std::vector<std::chrono::steady_clock::time_point> arrivals_;
};

inline server::Fault status_fault(int status, int retry_after_s = 0, bool after_commit = false) {
    server::Fault f;
    f.kind = server::Fault::Kind::Status;
    f.status = status;
    f.retry_after_s = retry_after_s;
    f.after_commit = after_commit;
    return f;
}

inline server::Fault fault(server::Fault::Kind kind, bool after_commit = false,
                           std::chrono::milliseconds stall = std::chrono::milliseconds(0)) {
    server::Fault f;
    f.kind = kind;
    f.after_commit = after_commit;
    f.stall = stall;
    return f;
}

// Waits (bounded) until `done()` holds; true if it did.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = std::chrono::milliseconds(10000)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
}

}  // namespace studio::test
