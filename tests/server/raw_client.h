// A raw TCP client, optionally over TLS without verification: it plays the badly
// behaved or hostile peer in the limit tests, byte by byte. 127.0.0.1 only.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace studio::test {

class RawClient {
public:
    // `rcvbuf` > 0 shrinks the receive buffer (a peer that reads slowly). `source`:
    // the local address to connect from (e.g. "127.0.0.2": another client IP on the
    // loopback network), or the default.
    RawClient(int port, bool tls, bool handshake = true, int rcvbuf = 0, const char* source = nullptr) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        if (source) {
            sockaddr_in from{};
            from.sin_family = AF_INET;
            if (::inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
                ::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
                ::close(fd_);
                throw std::runtime_error(std::string("cannot bind to ") + source);
            }
        }
        timeval tv{5, 0};   // no call in a test blocks longer than this
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("connect failed");
        if (tls && handshake) {
            ctx_ = SSL_CTX_new(TLS_client_method());
            SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
            ssl_ = SSL_new(ctx_);
            SSL_set_fd(ssl_, fd_);
            if (SSL_connect(ssl_) != 1) throw std::runtime_error("TLS handshake failed");
        }
    }
    ~RawClient() {
        if (ssl_) SSL_free(ssl_);
        if (ctx_) SSL_CTX_free(ctx_);
        if (fd_ >= 0) ::close(fd_);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    // False once the peer has closed (or reset) the connection.
    bool send(std::string_view data) {
        std::size_t off = 0;
        while (off < data.size()) {
            const long n = ssl_ ? SSL_write(ssl_, data.data() + off, static_cast<int>(data.size() - off))
                                : ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) return false;
            off += static_cast<std::size_t>(n);
        }
        return true;
    }

    // Everything until the peer closes, or `limit` passes.
    std::string read_all(std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
        std::string out;
        const auto until = std::chrono::steady_clock::now() + limit;
        char buf[8192];
        while (std::chrono::steady_clock::now() < until) {
            if (!ssl_ || SSL_pending(ssl_) == 0) {
                pollfd p{fd_, POLLIN, 0};
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                      until - std::chrono::steady_clock::now()).count();
                if (::poll(&p, 1, static_cast<int>(std::max<long long>(left, 1))) <= 0) break;
            }
            const long n = ssl_ ? SSL_read(ssl_, buf, sizeof buf) : ::recv(fd_, buf, sizeof buf, 0);
            if (n <= 0) {
                closed_ = true;
                break;
            }
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out;
    }
    bool closed() const { return closed_; }
    // True when the kernel had to send the connection's SYN again (the server's
    // listen queue was full): how a too small backlog shows, without timing anything.
    bool syn_retransmitted() const {
        tcp_info info{};
        socklen_t len = sizeof info;
        return ::getsockopt(fd_, IPPROTO_TCP, TCP_INFO, &info, &len) == 0 && info.tcpi_total_retrans > 0;
    }

    static int status_of(const std::string& response) {
        if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return 0;
        return std::stoi(response.substr(9, 3));
    }

private:
    int fd_ = -1;
    SSL_CTX* ctx_ = nullptr;
    SSL* ssl_ = nullptr;
    bool closed_ = false;
};

}  // namespace studio::test
