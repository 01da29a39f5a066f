#include "server/server_config.h"

#include "core/settings_file.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <charconv>
#include <functional>
#include <memory>

namespace studio::server {

namespace {

using Setter = std::function<bool(ServerConfig&, std::string_view)>;

struct Field {
    ServerConfigKey key;
    Setter set;
};

bool to_long(std::string_view v, long lo, long hi, long& out) {
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && p == v.data() + v.size() && out >= lo && out <= hi;
}

Setter text(std::string ServerConfig::*m) {
    return [=](ServerConfig& c, std::string_view v) {
        c.*m = std::string(v);
        return true;
    };
}

template <class F>
Setter number(long lo, long hi, F apply) {
    return [=](ServerConfig& c, std::string_view v) {
        long n = 0;
        if (!to_long(v, lo, hi, n)) return false;
        apply(c, n);
        return true;
    };
}

const std::vector<Field>& fields() {
    static const std::vector<Field> f = {
        {{"db_path", "the server's SQLite file"}, text(&ServerConfig::db_path)},
        {{"listen_address", "address to bind (0.0.0.0, ::, 127.0.0.1)"}, text(&ServerConfig::listen_address)},
        {{"port", "TCP port (0-65535)"}, number(0, 65535, [](ServerConfig& c, long n) { c.port = int(n); })},
        {{"cert_file", "PEM certificate chain for HTTPS"}, text(&ServerConfig::cert_file)},
        {{"key_file", "PEM private key for HTTPS"}, text(&ServerConfig::key_file)},
        {{"plain_http", "yes: plain HTTP behind a TLS proxy on this host (loopback address only)"},
         [](ServerConfig& c, std::string_view v) {
             if (v == "yes" || v == "true" || v == "1") c.plain_http = true;
             else if (v == "no" || v == "false" || v == "0") c.plain_http = false;
             else return false;
             return true;
         }},
        {{"max_body_bytes", "largest request body (1024-67108864)"},
         number(1024, 64l << 20, [](ServerConfig& c, long n) { c.limits.max_body_bytes = std::size_t(n); })},
        {{"max_header_bytes", "largest request line + headers (1024-1048576)"},
         number(1024, 1l << 20, [](ServerConfig& c, long n) { c.limits.max_header_bytes = std::size_t(n); })},
        {{"read_timeout_ms", "one read waiting for the client (100-600000)"},
         number(100, 600000, [](ServerConfig& c, long n) { c.limits.read_timeout = Millis(n); })},
        {{"write_timeout_ms", "one write waiting for the client (100-600000)"},
         number(100, 600000, [](ServerConfig& c, long n) { c.limits.write_timeout = Millis(n); })},
        {{"request_timeout_ms", "a whole request, first byte to last (100-600000)"},
         number(100, 600000, [](ServerConfig& c, long n) { c.limits.request_timeout = Millis(n); })},
        {{"handshake_timeout_ms", "the TLS handshake (100-600000)"},
         number(100, 600000, [](ServerConfig& c, long n) { c.limits.handshake_timeout = Millis(n); })},
        {{"keep_alive_timeout_ms", "idle time between requests on a connection (100-600000)"},
         number(100, 600000, [](ServerConfig& c, long n) { c.limits.keep_alive_timeout = Millis(n); })},
        {{"threads", "connections served at once (1-256)"},
         number(1, 256, [](ServerConfig& c, long n) { c.limits.threads = int(n); })},
        {{"queue", "connections waiting for a thread (0-4096)"},
         number(0, 4096, [](ServerConfig& c, long n) { c.limits.queue = int(n); })},
        {{"listen_backlog", "connections the kernel holds before accept (1-65535)"},
         number(1, 65535, [](ServerConfig& c, long n) { c.limits.listen_backlog = int(n); })},
        {{"auth_failures_max", "failed token attempts per IP within the window before 429 (0-100000, 0: off)"},
         number(0, 100000, [](ServerConfig& c, long n) { c.limits.auth_failures_max = int(n); })},
        {{"auth_failure_window_ms", "the window failed token attempts are counted in (1000-3600000)"},
         number(1000, 3600000, [](ServerConfig& c, long n) { c.limits.auth_failure_window = Millis(n); })},
        {{"auth_failure_ips", "addresses tracked at once for failed attempts (16-1000000)"},
         number(16, 1000000, [](ServerConfig& c, long n) { c.limits.auth_failure_ips = std::size_t(n); })},
        {{"auth_failures_loopback", "yes: count 127.0.0.1 too (no: a local TLS proxy makes every peer loopback)"},
         [](ServerConfig& c, std::string_view v) {
             if (v == "yes" || v == "true" || v == "1") c.limits.auth_failures_loopback = true;
             else if (v == "no" || v == "false" || v == "0") c.limits.auth_failures_loopback = false;
             else return false;
             return true;
         }},
        {{"rate_per_second", "requests per second per device, sustained (1-10000)"},
         number(1, 10000, [](ServerConfig& c, long n) { c.rate_per_second = double(n); })},
        {{"rate_burst", "requests per device in a burst (1-100000)"},
         number(1, 100000, [](ServerConfig& c, long n) { c.rate_burst = double(n); })},
    };
    return f;
}

}  // namespace

const std::vector<ServerConfigKey>& server_config_keys() {
    static const std::vector<ServerConfigKey> keys = [] {
        std::vector<ServerConfigKey> k;
        for (const auto& f : fields()) k.push_back(f.key);
        return k;
    }();
    return keys;
}

void apply_server_config(ServerConfig& cfg, std::string_view text, const std::string& origin) {
    apply_settings<ServerConfigError>(cfg, text, origin, fields());
}

bool is_loopback_address(std::string_view host) {
    if (host == "localhost" || host == "::1" || host == "[::1]") return true;
    in_addr a{};
    const std::string h(host);
    return ::inet_pton(AF_INET, h.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

void check_server_config(const ServerConfig& cfg) {
    if (cfg.plain_http) {
        if (!is_loopback_address(cfg.listen_address))
            throw ServerConfigError("plain_http serves only a loopback address (127.0.0.1 or ::1), not \"" +
                                    cfg.listen_address + "\": put a TLS-terminating proxy in front on this host");
        return;
    }
    if (cfg.cert_file.empty() || cfg.key_file.empty())
        throw ServerConfigError("HTTPS needs cert_file and key_file (or plain_http = yes on a loopback address)");
}

void check_server_files(const ServerConfig& cfg) {
    if (cfg.plain_http) return;
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    if (!ctx) throw ServerConfigError("OpenSSL could not start");
    const auto where = [&](const std::string& key) { return where_of(cfg, key); };
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), cfg.cert_file.c_str()) != 1)
        throw ServerConfigError(where("cert_file") + "cannot load a PEM certificate chain from " + cfg.cert_file);
    const bool key_fits = SSL_CTX_use_PrivateKey_file(ctx.get(), cfg.key_file.c_str(), SSL_FILETYPE_PEM) == 1;
    if (!key_fits) {
        // OpenSSL refuses a key that does not match the certificate here already:
        // tell that apart from a key that cannot be read at all.
        std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> alone(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
        if (!alone || SSL_CTX_use_PrivateKey_file(alone.get(), cfg.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
            throw ServerConfigError(where("key_file") + "cannot load a PEM private key from " + cfg.key_file +
                                    " (is it readable by the studio-server user?)");
    }
    ERR_clear_error();
    if (!key_fits || SSL_CTX_check_private_key(ctx.get()) != 1)
        throw ServerConfigError(where("key_file") + cfg.key_file + " is not the key of the certificate in " +
                                cfg.cert_file);
}

}  // namespace studio::server
