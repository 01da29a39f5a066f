// A TCP fault proxy on 127.0.0.1 for the sync tests: it sits between a kiosk (real
// curl, real TLS) and the real server and forwards raw bytes, so TLS stays end to
// end; per connection it picks a fault, at random from a fixed seed:
//   pass      forward untouched
//   reset     forward N bytes from the client, then reset both sides (RST)
//   stall     after N bytes from the client, hold everything for `stall` (longer
//             than the kiosk's curl timeout), then hand the held bytes to the
//             server late and close: the server may store what the kiosk gave up on
//   drip      forward a few bytes at a time, with a short sleep between
//   truncate  forward only the first N bytes of the server's answer, then close
//   drop_ack  forward the whole request; the server stores and answers; the proxy
//             drops the answer and closes (it reads the TLS record headers to know
//             when the request, not the handshake, is going through)
// Bounded in every way: connections at once, each connection's lifetime, every
// wait; stop() (and the destructor) ends everything within ~100 ms.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace studio::test {

enum class ProxyMode { Pass, Reset, Stall, Drip, Truncate, DropAck };
inline constexpr std::size_t kProxyModes = 6;
const char* to_string(ProxyMode m);

struct ProxyOptions {
    int target_port = 0;                                 // the server, on 127.0.0.1
    std::uint64_t seed = 1;
    // Relative weights of the modes, in ProxyMode order; all but Pass zero: healthy.
    std::array<int, kProxyModes> weights{1, 1, 1, 1, 1, 1};
    std::chrono::milliseconds stall{1500};               // longer than the kiosk's total timeout
    std::chrono::microseconds drip_delay{300};           // between drips
    std::size_t drip_max_bytes = 48;                     // 1..this many bytes per drip
    std::size_t reset_max_bytes = 48 * 1024;             // N for reset/stall: 1..this (log-uniform)
    std::size_t truncate_max_bytes = 16 * 1024;          // N for truncate: 1..this (log-uniform)
    int max_connections = 32;                            // more at once are closed at once
    std::chrono::milliseconds max_lifetime{10000};       // no connection lives longer
};

struct ProxyStats {
    std::array<long, kProxyModes> connections{};   // per mode, as chosen
    std::array<long, kProxyModes> fired{};         // per mode, the fault actually happened (pass: never)
    long refused = 0;                              // over max_connections
    long client_bytes = 0, server_bytes = 0;       // forwarded
    long largest_request = 0;                      // most TLS application bytes the client sent in one flight
    long requests = 0;                             // client flights of application data (≈ HTTP requests)
    long total() const {
        long n = 0;
        for (long c : connections) n += c;
        return n;
    }
    std::string summary() const;
};

class FaultProxy {
public:
    explicit FaultProxy(ProxyOptions opts);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return port_; }
    std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    std::uint64_t seed() const { return opts_.seed; }

    // New connections from now on: only pass-through (true), or the random faults again.
    void set_healthy(bool healthy) { healthy_ = healthy; }
    ProxyStats stats() const;
    void reset_stats();
    void stop();

private:
    struct Plan {
        ProxyMode mode = ProxyMode::Pass;
        std::size_t n = 0;           // reset/stall: client bytes; truncate: server bytes
        std::uint64_t drip_seed = 0;
    };
    struct Conn {
        std::thread thread;
        std::atomic<bool> done{false};
    };

    void accept_loop();
    void serve(int client, Plan plan, Conn* self);
    Plan choose();
    void note_flight(long bytes);
    void reap(bool all);

    ProxyOptions opts_;
    int listen_fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<bool> healthy_{false};
    std::thread acceptor_;
    mutable std::mutex mu_;
    std::mt19937_64 rng_;
    ProxyStats stats_;
    std::list<Conn> conns_;
    std::atomic<int> active_{0};
};

// The seed for randomised fault tests: STUDIO_FAULT_SEED when set, else `fallback`.
std::uint64_t fault_seed(std::uint64_t fallback);

}  // namespace studio::test
