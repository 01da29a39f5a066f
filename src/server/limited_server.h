// An httplib::Server whose connections are bounded in every way cpp-httplib 0.11.4
// leaves open: it owns the TLS (OpenSSL) and the socket stream, so it can cap the
// request head (request line + all headers) and the body on the wire (chunked
// included), give each request a deadline (slow senders), time out reads, writes and
// the TLS handshake, and run connections on a fixed pool with a bounded queue
// (overflow gets a quick 503, or is closed when even that lane is full).
// Routing, parsing and handlers stay cpp-httplib's: this class replaces only
// Server::process_and_close_socket and the task queue.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace studio::server {

using Millis = std::chrono::milliseconds;

struct HttpLimits {
    std::size_t max_header_bytes = 16 * 1024;   // request line + headers of one request
    std::size_t max_body_bytes = 4u << 20;      // decoded body; the wire may carry chunk framing on top
    Millis read_timeout{10000};                 // one read waiting for data
    Millis write_timeout{10000};                // one write waiting for the peer to take data
    Millis request_timeout{30000};              // a whole request, first byte to last
    Millis handshake_timeout{10000};            // TLS handshake
    Millis keep_alive_timeout{5000};            // idle time between requests on one connection
    int keep_alive_max = 100;                   // requests on one connection
    int threads = 8;                            // connections served at once
    int queue = 64;                             // accepted connections waiting for a thread
    int reject_queue = 16;                      // overflow connections waiting for their 503
    int listen_backlog = 512;                   // connections the kernel holds before accept (cpp-httplib: 5)
    // Failed token attempts (answered 401) per client IP, counted by StudioServer:
    // after `auth_failures_max` within `auth_failure_window`, every request from that
    // IP that needs a token gets 429 with Retry-After until the window ends (the
    // token is not even looked at, so guessing stops); other IPs are not affected.
    // 0 turns it off. Loopback peers are not counted unless `auth_failures_loopback`:
    // behind a TLS-terminating proxy on this host every peer is 127.0.0.1.
    int auth_failures_max = 20;
    Millis auth_failure_window{60000};
    std::size_t auth_failure_ips = 4096;        // IPs tracked at once; the oldest window goes first
    bool auth_failures_loopback = false;
};

// Owns an SSL_CTX made from a PEM certificate chain and key (file paths).
class TlsContext {
public:
    // Throws std::runtime_error naming the file that does not load.
    TlsContext(const std::string& cert_file, const std::string& key_file);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;
    SSL_CTX* get() const { return ctx_; }

private:
    SSL_CTX* ctx_ = nullptr;
};

struct HttpStats {
    std::atomic<long> connections{0};   // served by the pool
    std::atomic<long> overloaded{0};    // answered 503 by the overflow lane
    std::atomic<long> dropped{0};       // closed at once: even the overflow lane was full
    std::atomic<long> too_large{0};     // head or body over its cap
    std::atomic<long> timed_out{0};     // request deadline or a read/write timeout
};

class LimitedServer : public httplib::Server {
public:
    // `tls` null: plain HTTP (the caller checks that it binds to loopback only).
    LimitedServer(const HttpLimits& limits, std::shared_ptr<TlsContext> tls);
    ~LimitedServer() override;

    const HttpLimits& limits() const { return limits_; }
    HttpStats& stats() { return stats_; }

    // Inside a handler (same thread as the connection):
    // true when this connection came through the overflow lane: answer 503 at once.
    static bool overloaded_connection();
    // Close the connection after this response (the body was not read, or was cut).
    static void close_after_response();

    // After bind: cpp-httplib listens with a backlog of 5, so a burst of more than six
    // new connections loses SYNs and each client waits a second or more to retry.
    // Listening again with limits().listen_backlog widens it (Linux takes a second
    // listen() as a new backlog). Our own queue bounds what is then accepted.
    void widen_listen_backlog();

private:
    bool process_and_close_socket(socket_t sock) override;

    HttpLimits limits_;
    std::shared_ptr<TlsContext> tls_;
    HttpStats stats_;
};

}  // namespace studio::server
