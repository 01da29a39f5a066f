// LimitedServer
//  - waiting on a socket in short slices (a stopping server is noticed at once)
//  - ConnStream: TLS or plain bytes with a head cap, a body cap and a request deadline
//  - BoundedQueue: a fixed pool, a bounded queue, an overflow lane that answers 503
//  - the per-connection loop that replaces cpp-httplib's
#include "server/limited_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sync/protocol.h"

namespace studio::server {

namespace {

using SteadyClock = std::chrono::steady_clock;

enum class Lane { Normal, Overflow, Drop };
thread_local Lane tl_lane = Lane::Normal;

struct ConnState {
    bool overflow = false;   // came through the overflow lane: answer 503
    bool close = false;      // a handler asked to close after its answer
};
thread_local ConnState* tl_conn = nullptr;

// 1: ready; 0: deadline passed; -1: error, or the server is stopping.
int wait_fd(int fd, short events, SteadyClock::time_point deadline, const std::atomic<socket_t>& listening) {
    for (;;) {
        const auto now = SteadyClock::now();
        if (now >= deadline) return 0;
        if (listening.load() == INVALID_SOCKET) return -1;
        const auto left = std::chrono::duration_cast<Millis>(deadline - now).count() + 1;
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));
        if (r > 0) return (p.revents & events) || (p.revents & POLLHUP) ? 1 : -1;
        if (r < 0 && errno != EINTR) return -1;
    }
}

const char* status_text(int status) {
    switch (status) {
        case 408: return "Request Timeout";
        case 413: return "Payload Too Large";
        case 431: return "Request Header Fields Too Large";
        default: return "Error";
    }
}

class ConnStream final : public httplib::Stream {
public:
    ConnStream(int fd, SSL* ssl, const HttpLimits& limits, HttpStats& stats, const std::atomic<socket_t>& listening)
        : fd_(fd), ssl_(ssl), limits_(limits), stats_(stats), listening_(listening) {}

    bool is_readable() const override {
        return buffered() || wait_fd(fd_, POLLIN, SteadyClock::now() + limits_.read_timeout, listening_) == 1;
    }
    bool is_writable() const override {
        return !dead_ && wait_fd(fd_, POLLOUT, SteadyClock::now() + limits_.write_timeout, listening_) == 1;
    }

    ssize_t read(char* ptr, std::size_t size) override {
        if (dead_) return -1;
        if (pos_ == len_) {
            const ssize_t n = fill();
            if (n <= 0) return n;
        }
        const std::size_t n = std::min(size, len_ - pos_);
        // Bytes handed to the parser are what count: the head (request line and all
        // headers, which cpp-httplib would take without end) and the body as sent
        // (chunk framing included, so chunked bodies are bounded too).
        const std::size_t cap = head_ ? limits_.max_header_bytes : limits_.max_body_bytes * 2 + 64 * 1024;
        if (counted_ + n > cap) {
            ++stats_.too_large;
            fail(head_ ? 431 : 413, "too_large",
                 head_ ? "request line and headers exceed " + std::to_string(limits_.max_header_bytes) + " bytes"
                       : "request body too large");
            return -1;
        }
        std::memcpy(ptr, buf_ + pos_, n);
        pos_ += n;
        counted_ += n;
        return static_cast<ssize_t>(n);
    }

    ssize_t write(const char* ptr, std::size_t size) override {
        if (dead_) return -1;
        const auto deadline = SteadyClock::now() + limits_.write_timeout;
        for (;;) {
            short ev = POLLOUT;
            if (ssl_) {
                ERR_clear_error();
                const int r = SSL_write(ssl_, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
                if (r > 0) return r;
                const int e = SSL_get_error(ssl_, r);
                if (e == SSL_ERROR_WANT_READ) ev = POLLIN;
                else if (e != SSL_ERROR_WANT_WRITE) return broken();
            } else {
                const ssize_t r = ::send(fd_, ptr, size, MSG_NOSIGNAL);
                if (r >= 0) return r;
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return broken();
            }
            const int w = wait_fd(fd_, ev, deadline, listening_);
            if (w == 0) ++stats_.timed_out;
            if (w != 1) return broken();
        }
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address(a, ip, port);
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        sockaddr_storage a{};
        socklen_t len = sizeof a;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0) address(a, ip, port);
    }
    socket_t socket() const override { return fd_; }

    bool buffered() const { return pos_ < len_ || (ssl_ && SSL_pending(ssl_) > 0); }
    bool dead() const { return dead_; }

    // Waits for the first byte of the next request.
    bool wait_request(Millis idle) {
        return buffered() || wait_fd(fd_, POLLIN, SteadyClock::now() + idle, listening_) == 1;
    }
    void begin_request() {
        head_ = true;
        counted_ = 0;
        deadline_ = SteadyClock::now() + limits_.request_timeout;
    }
    void headers_done() {
        head_ = false;
        counted_ = 0;
    }
    // Reads and drops what the peer still sends (briefly), so closing does not reset
    // the connection before the peer has read our answer.
    void drain(Millis how_long) {
        const auto until = SteadyClock::now() + how_long;
        std::size_t total = 0;
        while (!dead_ && total < (256u << 10)) {
            if (pos_ == len_) {
                if (wait_fd(fd_, POLLIN, until, listening_) != 1) return;
                deadline_ = until;
                if (fill() <= 0) return;
            }
            total += len_ - pos_;
            pos_ = len_;
        }
    }

private:
    static void address(const sockaddr_storage& a, std::string& ip, int& port) {
        char text[INET6_ADDRSTRLEN] = {};
        if (a.ss_family == AF_INET) {
            const auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
            ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
            port = ntohs(v4->sin_port);
        } else if (a.ss_family == AF_INET6) {
            const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
            ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
            port = ntohs(v6->sin6_port);
        }
        ip = text;
    }

    ssize_t broken() {
        dead_ = true;
        return -1;
    }

    // One read from the peer into the buffer, within the read timeout and the
    // request's deadline (a peer sending a byte a second still runs out of time).
    ssize_t fill() {
        for (;;) {
            const auto now = SteadyClock::now();
            if (now >= deadline_) {
                ++stats_.timed_out;
                fail(408, "timeout", "request not received in time");
                return -1;
            }
            short ev = POLLIN;
            if (ssl_) {
                ERR_clear_error();
                const int r = SSL_read(ssl_, buf_, sizeof buf_);
                if (r > 0) {
                    pos_ = 0;
                    len_ = static_cast<std::size_t>(r);
                    return r;
                }
                const int e = SSL_get_error(ssl_, r);
                if (e == SSL_ERROR_ZERO_RETURN) return 0;
                if (e == SSL_ERROR_WANT_WRITE) ev = POLLOUT;
                else if (e != SSL_ERROR_WANT_READ) return broken();
            } else {
                const ssize_t r = ::recv(fd_, buf_, sizeof buf_, 0);
                if (r > 0) {
                    pos_ = 0;
                    len_ = static_cast<std::size_t>(r);
                    return r;
                }
                if (r == 0) return 0;
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return broken();
            }
            const int w = wait_fd(fd_, ev, std::min(now + limits_.read_timeout, deadline_), listening_);
            if (w == 0) {
                ++stats_.timed_out;
                fail(408, "timeout", "request not received in time");
                return -1;
            }
            if (w < 0) return broken();
        }
    }

    // Answers at once and ends the connection: used when a limit trips while
    // cpp-httplib is still reading (it would otherwise answer a bare 400, or wait).
    void fail(int status, const char* code, const std::string& reason) {
        const std::string body = sync::encode_error(code, reason);
        const std::string msg = "HTTP/1.1 " + std::to_string(status) + " " + status_text(status) +
                                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                                "\r\nConnection: close\r\n\r\n" + body;
        std::size_t off = 0;
        while (off < msg.size()) {
            const ssize_t n = write(msg.data() + off, msg.size() - off);
            if (n <= 0) break;
            off += static_cast<std::size_t>(n);
        }
        dead_ = true;
    }

    int fd_;
    SSL* ssl_;
    const HttpLimits& limits_;
    HttpStats& stats_;
    const std::atomic<socket_t>& listening_;
    char buf_[16 * 1024];
    std::size_t pos_ = 0, len_ = 0;
    bool head_ = true;
    std::size_t counted_ = 0;
    SteadyClock::time_point deadline_ = SteadyClock::now() + std::chrono::hours(1);
    bool dead_ = false;
};

// A fixed pool with a bounded queue. Past the queue, a connection goes to a single
// overflow thread that only answers 503 (Retry-After); past that lane's own small
// queue, it is closed at once. Nothing waits without bound.
class BoundedQueue final : public httplib::TaskQueue {
public:
    BoundedQueue(int threads, int queue, int overflow)
        : queue_max_(static_cast<std::size_t>(std::max(queue, 0))),
          overflow_max_(static_cast<std::size_t>(std::max(overflow, 0))) {
        for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { run(jobs_, cv_, Lane::Normal); });
        threads_.emplace_back([this] { run(overflow_, overflow_cv_, Lane::Overflow); });
    }
    ~BoundedQueue() override { shutdown(); }

    void enqueue(std::function<void()> fn) override {
        {
            std::lock_guard lock(mu_);
            if (!stopping_ && jobs_.size() < queue_max_) {
                jobs_.push_back(std::move(fn));
                cv_.notify_one();
                return;
            }
            if (!stopping_ && overflow_.size() < overflow_max_) {
                overflow_.push_back(std::move(fn));
                overflow_cv_.notify_one();
                return;
            }
        }
        tl_lane = Lane::Drop;   // runs on the accept thread, and only closes the socket
        fn();
        tl_lane = Lane::Normal;
    }

    void shutdown() override {
        {
            std::lock_guard lock(mu_);
            if (stopping_ && threads_.empty()) return;
            stopping_ = true;
        }
        cv_.notify_all();
        overflow_cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
        threads_.clear();
    }

private:
    void run(std::deque<std::function<void()>>& q, std::condition_variable& cv, Lane lane) {
        tl_lane = lane;
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mu_);
                cv.wait(lock, [&] { return stopping_ || !q.empty(); });
                if (q.empty()) return;   // stopping, and nothing left
                fn = std::move(q.front());
                q.pop_front();
            }
            fn();   // with the server stopped this only closes the socket
        }
    }

    std::mutex mu_;
    std::condition_variable cv_, overflow_cv_;
    std::deque<std::function<void()>> jobs_, overflow_;
    std::size_t queue_max_, overflow_max_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

SSL* tls_accept(SSL_CTX* ctx, int fd, Millis timeout, const std::atomic<socket_t>& listening) {
    SSL* ssl = SSL_new(ctx);
    if (!ssl) return nullptr;
    SSL_set_fd(ssl, fd);
    SSL_set_accept_state(ssl);
    const auto deadline = SteadyClock::now() + timeout;
    for (;;) {
        ERR_clear_error();
        const int r = SSL_accept(ssl);
        if (r == 1) return ssl;
        const int e = SSL_get_error(ssl, r);
        short ev = 0;
        if (e == SSL_ERROR_WANT_READ) ev = POLLIN;
        else if (e == SSL_ERROR_WANT_WRITE) ev = POLLOUT;
        if (!ev || wait_fd(fd, ev, deadline, listening) != 1) {
            SSL_free(ssl);
            return nullptr;
        }
    }
}

}  // namespace

// ---- TLS context -------------------------------------------------------------------------

TlsContext::TlsContext(const std::string& cert_file, const std::string& key_file) {
    ctx_ = SSL_CTX_new(TLS_server_method());
    if (!ctx_) throw std::runtime_error("cannot create a TLS context");
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx_, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx_, cert_file.c_str()) != 1) {
        SSL_CTX_free(ctx_);
        throw std::runtime_error("cannot load the TLS certificate " + cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx_) != 1) {
        SSL_CTX_free(ctx_);
        throw std::runtime_error("cannot load the TLS key " + key_file + " (or it does not match the certificate)");
    }
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

// ---- server ------------------------------------------------------------------------------

LimitedServer::LimitedServer(const HttpLimits& limits, std::shared_ptr<TlsContext> tls)
    : limits_(limits), tls_(std::move(tls)) {
    // A peer that goes away mid-answer must not kill the process (OpenSSL writes
    // with write(2), which raises SIGPIPE).
    std::signal(SIGPIPE, SIG_IGN);
    new_task_queue = [this] { return new BoundedQueue(limits_.threads, limits_.queue, limits_.reject_queue); };
    set_payload_max_length(limits_.max_body_bytes);
    set_keep_alive_max_count(static_cast<std::size_t>(std::max(limits_.keep_alive_max, 1)));
    set_tcp_nodelay(true);
}

LimitedServer::~LimitedServer() = default;

void LimitedServer::widen_listen_backlog() {
    const socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET && limits_.listen_backlog > 0) ::listen(sock, limits_.listen_backlog);
}

bool LimitedServer::overloaded_connection() { return tl_conn && tl_conn->overflow; }
void LimitedServer::close_after_response() {
    if (tl_conn) tl_conn->close = true;
}

bool LimitedServer::process_and_close_socket(socket_t sock) {
    const Lane lane = tl_lane;
    if (lane == Lane::Drop || svr_sock_ == INVALID_SOCKET) {
        if (lane == Lane::Drop) ++stats_.dropped;
        ::close(sock);
        return false;
    }
    const int flags = ::fcntl(sock, F_GETFL, 0);
    ::fcntl(sock, F_SETFL, flags | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    const bool overflow = lane == Lane::Overflow;
    SSL* ssl = nullptr;
    if (tls_) {
        // The overflow lane gives a handshake little time: it must not become the queue.
        ssl = tls_accept(tls_->get(), sock, overflow ? std::min(limits_.handshake_timeout, Millis(1000))
                                                     : limits_.handshake_timeout,
                         svr_sock_);
        if (!ssl) {
            ::close(sock);
            return false;
        }
    }

    // The overflow lane only answers 503: a peer there gets 1 s for its request head
    // too, or one slow client would hold the lane and real clients would be closed.
    HttpLimits conn_limits = limits_;
    if (overflow) {
        conn_limits.read_timeout = std::min(conn_limits.read_timeout, Millis(1000));
        conn_limits.request_timeout = std::min(conn_limits.request_timeout, Millis(1000));
    }
    ConnStream strm(sock, ssl, conn_limits, stats_, svr_sock_);
    ConnState state;
    state.overflow = overflow;
    tl_conn = &state;
    ++(overflow ? stats_.overloaded : stats_.connections);

    bool ret = false;
    int left = overflow ? 1 : std::max(limits_.keep_alive_max, 1);
    bool first = true;
    while (left-- > 0 && svr_sock_ != INVALID_SOCKET) {
        if (!strm.wait_request(first ? conn_limits.read_timeout : conn_limits.keep_alive_timeout)) break;
        first = false;
        strm.begin_request();
        state.close = false;
        bool connection_closed = false;
        ret = process_request(strm, left == 0, connection_closed, [&](httplib::Request&) { strm.headers_done(); });
        if (!ret || connection_closed || state.close || strm.dead()) break;
    }
    tl_conn = nullptr;

    if (overflow || state.close) strm.drain(Millis(200));
    if (ssl) {
        if (!strm.dead()) SSL_shutdown(ssl);
        SSL_free(ssl);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ret;
}

}  // namespace studio::server
