// studio-server's HTTPS API (/api/v1, see schema/sync-protocol.md): health, push,
// changes, export. Authentication by bearer token, a per-device token bucket, and
// the limits of LimitedServer underneath.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "server/limited_server.h"
#include "server/server_config.h"
#include "server/server_store.h"

namespace studio::server {

// Test-only seam (tests/sync, tests/server): makes the server misbehave for one
// request, the way real networks and servers do. Production code never sets it.
struct Fault {
    enum class Kind {
        None,
        Status,     // answer `status` (with Retry-After: retry_after_s when > 0) and a JSON error
        Garbage,    // answer 200 with a body that is not JSON
        Truncate,   // announce a body and send only part of it, then close
        Stall,      // wait `stall` before going on (the client should give up first)
    };
    Kind kind = Kind::None;
    int status = 500;
    int retry_after_s = 0;
    std::chrono::milliseconds stall{0};
    bool after_commit = false;   // do the work first (a push is stored), then misbehave
};
using FaultHook = std::function<Fault(const std::string& method, const std::string& path)>;

struct ServerHooks {
    FaultHook fault;                                  // test-only, see above
    const Clock* clock = nullptr;                     // received_at and flags; nullptr: the system clock
    std::function<void(const std::string&)> log;      // one line per request (never a token); nullptr: quiet
};

// A token bucket per device: `rate` per second, up to `burst` at once.
class RateLimiter {
public:
    RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}
    // 0 when the request may go ahead; else seconds until it may.
    double take(std::int64_t key, std::chrono::steady_clock::time_point now);

private:
    struct Bucket {
        double tokens;
        std::chrono::steady_clock::time_point last;
    };
    double rate_, burst_;
    std::mutex mu_;
    std::map<std::int64_t, Bucket> buckets_;
};

// Failed token attempts per client IP (see HttpLimits::auth_failures_max): a fixed
// window per IP in a bounded table. Thread-safe.
class AuthFailureLimiter {
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    AuthFailureLimiter(int max_failures, std::chrono::milliseconds window, std::size_t max_ips, bool loopback);
    // Seconds until `ip` may try a token again; 0: it may now.
    long blocked(const std::string& ip, TimePoint now);
    // A request from `ip` presented no valid token.
    void failed(const std::string& ip, TimePoint now);
    std::size_t tracked();

private:
    struct Entry {
        TimePoint window_start;
        int failures = 0;
    };
    bool counts(const std::string& ip) const;

    int max_;
    std::chrono::milliseconds window_;
    std::size_t max_ips_;
    bool loopback_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> table_;
};

class StudioServer {
public:
    // Opens the database and the TLS files; throws (with a reason) when it cannot serve.
    StudioServer(const ServerConfig& cfg, ServerHooks hooks = {});
    ~StudioServer();
    StudioServer(const StudioServer&) = delete;
    StudioServer& operator=(const StudioServer&) = delete;

    // Binds the listening socket; returns the port (useful with port 0). Throws on failure.
    int bind();
    // Serves until stop(); returns false when listening failed.
    bool listen();
    // Waits (at most `limit`) until listen() is serving; true if it is.
    bool wait_running(std::chrono::milliseconds limit);
    // Stops accepting and ends connections promptly; listen() then returns.
    void stop();

    ServerStore& store() { return store_; }
    HttpStats& stats() { return http_->stats(); }
    const ServerConfig& config() const { return cfg_; }

private:
    void routes();
    Seconds now() const;
    bool wait_or_stop(std::chrono::milliseconds d);

    ServerConfig cfg_;
    ServerHooks hooks_;
    SystemClock system_clock_;
    ServerStore store_;
    std::unique_ptr<LimitedServer> http_;
    RateLimiter rate_;
    AuthFailureLimiter auth_failures_;
    std::mutex stop_mu_;
    std::condition_variable stop_cv_;
    bool stopping_ = false;
    std::atomic<bool> listening_{false};   // inside listen()
};

}  // namespace studio::server
