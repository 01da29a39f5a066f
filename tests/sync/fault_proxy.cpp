#include "fault_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace studio::test {

namespace {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

void set_nodelay(int fd) {
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// Close with a TCP reset instead of a FIN.
void reset_close(int fd) {
    linger l{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    ::close(fd);
}

void fin_close(int fd) {
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
}

int connect_loopback(int port, Ms limit) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    set_nonblocking(fd);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, static_cast<int>(limit.count())) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 ||
        err != 0) {
        ::close(fd);
        return -1;
    }
    set_nodelay(fd);
    return fd;
}

// Writes everything (the sockets are non-blocking) unless the peer is gone, the
// deadline passes or the proxy stops.
bool write_all(int fd, const char* p, std::size_t n, Clock::time_point deadline, const std::atomic<bool>& stop) {
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= static_cast<std::size_t>(w);
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (stop.load() || Clock::now() >= deadline) return false;
        pollfd q{fd, POLLOUT, 0};
        ::poll(&q, 1, 50);
    }
    return true;
}

// Follows the TLS record headers of the client's stream (type, version, length):
// the first application-data record is the client's Finished (TLS 1.3), every one
// after it carries the HTTP request. A stream that does not start like TLS is
// plain HTTP: the request starts with its first byte.
class RecordTracker {
public:
    // Feeds bytes; returns how many of them belong to request records.
    std::size_t feed(const char* p, std::size_t n) {
        std::size_t request_bytes = 0;
        for (std::size_t i = 0; i < n;) {
            if (!known_) {
                known_ = true;
                tls_ = static_cast<unsigned char>(p[i]) == 0x16;
            }
            if (!tls_) {
                started_ = true;
                return n - i + request_bytes;
            }
            if (body_left_ == 0) {
                hdr_[have_++] = static_cast<unsigned char>(p[i++]);
                if (have_ == 5) {
                    have_ = 0;
                    body_left_ = (std::size_t{hdr_[3]} << 8) | hdr_[4];
                    in_request_ = false;
                    if (hdr_[0] == 23 && ++app_records_ >= 2) {
                        started_ = true;
                        in_request_ = true;
                        request_bytes += 5;
                    }
                }
                continue;
            }
            const std::size_t take = std::min(body_left_, n - i);
            body_left_ -= take;
            if (in_request_) request_bytes += take;
            i += take;
        }
        return request_bytes;
    }
    bool request_started() const { return started_; }

private:
    bool known_ = false, tls_ = false, started_ = false, in_request_ = false;
    unsigned char hdr_[5] = {};
    int have_ = 0;
    std::size_t body_left_ = 0;
    int app_records_ = 0;
};

}  // namespace

const char* to_string(ProxyMode m) {
    switch (m) {
        case ProxyMode::Pass: return "pass";
        case ProxyMode::Reset: return "reset";
        case ProxyMode::Stall: return "stall";
        case ProxyMode::Drip: return "drip";
        case ProxyMode::Truncate: return "truncate";
        case ProxyMode::DropAck: return "drop_ack";
    }
    return "?";
}

std::string ProxyStats::summary() const {
    std::ostringstream s;
    for (std::size_t i = 0; i < kProxyModes; ++i)
        s << (i ? " " : "") << to_string(static_cast<ProxyMode>(i)) << "=" << connections[i] << "/" << fired[i];
    s << " (connections/faults fired) refused=" << refused << " requests~" << requests
      << " largest_request=" << largest_request << "B client_bytes=" << client_bytes << " server_bytes=" << server_bytes;
    return s.str();
}

std::uint64_t fault_seed(std::uint64_t fallback) {
    if (const char* s = std::getenv("STUDIO_FAULT_SEED"); s && *s) return std::strtoull(s, nullptr, 10);
    return fallback;
}

FaultProxy::FaultProxy(ProxyOptions opts) : opts_(opts), rng_(opts.seed) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = 0;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listen_fd_, 64) != 0 || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (listen_fd_ >= 0) ::close(listen_fd_);
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    }
    port_ = ntohs(a.sin_port);
    set_nonblocking(listen_fd_);
    acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() { stop(); }

void FaultProxy::stop() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    reap(true);
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
        listen_fd_ = -1;
    }
}

ProxyStats FaultProxy::stats() const {
    std::lock_guard lock(mu_);
    return stats_;
}

void FaultProxy::reset_stats() {
    std::lock_guard lock(mu_);
    stats_ = ProxyStats{};
}

FaultProxy::Plan FaultProxy::choose() {
    // Under mu_: the sequence of plans depends only on the seed and the order of connections.
    Plan p;
    if (healthy_) {
        p.mode = ProxyMode::Pass;
    } else {
        std::discrete_distribution<int> pick(opts_.weights.begin(), opts_.weights.end());
        p.mode = static_cast<ProxyMode>(pick(rng_));
    }
    auto log_uniform = [&](std::size_t max) {
        std::uniform_real_distribution<double> u(0.0, std::log(static_cast<double>(std::max<std::size_t>(max, 2))));
        return std::max<std::size_t>(1, static_cast<std::size_t>(std::exp(u(rng_))));
    };
    const std::size_t a = log_uniform(opts_.reset_max_bytes), b = log_uniform(opts_.truncate_max_bytes);
    p.n = p.mode == ProxyMode::Truncate ? b : a;
    p.drip_seed = rng_();
    return p;
}

void FaultProxy::note_flight(long bytes) {
    std::lock_guard lock(mu_);
    ++stats_.requests;
    stats_.largest_request = std::max(stats_.largest_request, bytes);
}

// conns_ belongs to the accept thread (and to stop(), once that thread is joined).
void FaultProxy::reap(bool all) {
    for (auto it = conns_.begin(); it != conns_.end();) {
        if (all || it->done.load()) {
            if (it->thread.joinable()) it->thread.join();
            it = conns_.erase(it);
        } else {
            ++it;
        }
    }
}

void FaultProxy::accept_loop() {
    while (!stop_) {
        reap(false);
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        const int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        if (active_.load() >= opts_.max_connections) {
            {
                std::lock_guard lock(mu_);
                ++stats_.refused;
            }
            reset_close(fd);
            continue;
        }
        set_nonblocking(fd);
        set_nodelay(fd);
        Plan plan;
        {
            std::lock_guard lock(mu_);
            plan = choose();
            ++stats_.connections[static_cast<std::size_t>(plan.mode)];
        }
        ++active_;
        Conn& c = conns_.emplace_back();
        c.thread = std::thread([this, fd, plan, &c] { serve(fd, plan, &c); });
    }
}

void FaultProxy::serve(int client, Plan plan, Conn* self) {
    struct Done {
        FaultProxy* p;
        Conn* c;
        ~Done() {
            --p->active_;
            c->done = true;
        }
    } done{this, self};

    const auto deadline = Clock::now() + opts_.max_lifetime;
    const int server = connect_loopback(opts_.target_port, Ms(1000));
    if (server < 0) {
        reset_close(client);
        return;
    }
    std::mt19937_64 drip_rng(plan.drip_seed);
    std::uniform_int_distribution<std::size_t> drip_size(1, std::max<std::size_t>(opts_.drip_max_bytes, 1));
    RecordTracker tracker;
    std::size_t from_client = 0, from_server = 0;
    long flight = 0;          // request bytes since the server last spoke
    long dropped = 0;         // answer bytes thrown away (drop_ack)
    Clock::time_point last_drop{};
    std::vector<char> buf(16 * 1024);

    auto send_to = [&](int fd, const char* p, std::size_t n) {
        if (plan.mode != ProxyMode::Drip) return write_all(fd, p, n, deadline, stop_);
        while (n > 0) {
            const std::size_t k = std::min(n, drip_size(drip_rng));
            if (!write_all(fd, p, k, deadline, stop_)) return false;
            p += k;
            n -= k;
            if (n > 0) std::this_thread::sleep_for(opts_.drip_delay);
        }
        return true;
    };
    auto count = [&](long c, long s) {
        std::lock_guard lock(mu_);
        stats_.client_bytes += c;
        stats_.server_bytes += s;
    };
    auto fired = [&] {
        std::lock_guard lock(mu_);
        ++stats_.fired[static_cast<std::size_t>(plan.mode)];
    };
    if (plan.mode == ProxyMode::Drip) fired();

    while (!stop_ && Clock::now() < deadline) {
        pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(p, 2, 50) < 0 && errno != EINTR) break;

        if (plan.mode == ProxyMode::DropAck && dropped > 0 && Clock::now() - last_drop > Ms(150))
            break;   // the server has answered (and stored); the kiosk never hears of it
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(client, buf.data(), buf.size(), 0);
            if (n <= 0) break;
            std::size_t len = static_cast<std::size_t>(n);
            flight += static_cast<long>(tracker.feed(buf.data(), len));
            if (plan.mode == ProxyMode::Reset && from_client + len >= plan.n) {
                const std::size_t k = plan.n - from_client;
                write_all(server, buf.data(), k, deadline, stop_);
                count(static_cast<long>(k), 0);
                fired();
                reset_close(client);
                reset_close(server);
                return;
            }
            if (plan.mode == ProxyMode::Stall && from_client + len >= plan.n) {
                const std::size_t k = plan.n - from_client;
                write_all(server, buf.data(), k, deadline, stop_);
                fired();
                std::string held(buf.data() + k, len - k);
                const auto until = Clock::now() + opts_.stall;
                while (!stop_ && Clock::now() < until) {
                    pollfd q{client, POLLIN, 0};
                    if (::poll(&q, 1, 50) > 0 && held.size() < (1u << 20)) {
                        const ssize_t m = ::recv(client, buf.data(), buf.size(), 0);
                        if (m > 0) held.append(buf.data(), static_cast<std::size_t>(m));
                        else std::this_thread::sleep_for(Ms(50));   // gone; keep holding until the stall ends
                    }
                }
                // Late: the kiosk has given up, but the server may still take it in.
                write_all(server, held.data(), held.size(), Clock::now() + Ms(500), stop_);
                count(static_cast<long>(k + held.size()), 0);
                std::this_thread::sleep_for(Ms(20));
                fin_close(client);
                fin_close(server);
                return;
            }
            if (!send_to(server, buf.data(), len)) break;
            from_client += len;
            count(static_cast<long>(len), 0);
        }
        if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::recv(server, buf.data(), buf.size(), 0);
            if (n <= 0) break;
            std::size_t len = static_cast<std::size_t>(n);
            if (flight > 0) {
                note_flight(flight);
                flight = 0;
            }
            if (plan.mode == ProxyMode::DropAck && tracker.request_started()) {
                dropped += static_cast<long>(len);
                last_drop = Clock::now();
                continue;
            }
            if (plan.mode == ProxyMode::Truncate && from_server + len >= plan.n) {
                const std::size_t k = plan.n - from_server;
                write_all(client, buf.data(), k, deadline, stop_);
                count(0, static_cast<long>(k));
                fired();
                fin_close(client);
                fin_close(server);
                return;
            }
            if (!send_to(client, buf.data(), len)) break;
            from_server += len;
            count(0, static_cast<long>(len));
        }
    }
    if (flight > 0) note_flight(flight);
    if (dropped > 0) fired();
    fin_close(client);
    fin_close(server);
}

}  // namespace studio::test
