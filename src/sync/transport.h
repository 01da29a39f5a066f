// HTTPS to studio-server with libcurl: one easy handle, reused (keep-alive, TLS
// session), TLS peer and host verification always on, an optional pinned public
// key, connect/total timeouts and a low-speed limit always set, a cap on the answer.
// Network failures are values (NetError), never exceptions.
#pragma once

#include <optional>
#include <string>

#include "sync/sync_tuning.h"

namespace studio::sync {

enum class NetError {
    None,         // an HTTP answer arrived (any status)
    BadUrl,       // not https://, or http:// to anything but the loopback
    Resolve,      // host name unknown
    Connect,      // nobody listening / network down
    Tls,          // certificate not trusted, wrong host name, handshake failed
    PinMismatch,  // the server's key is not the pinned one
    Timeout,      // connect or total timeout, or slower than the low-speed limit
    Send,
    Receive,      // connection dropped, or the body was cut short
    TooLarge,     // answer larger than max_response_bytes
    Other,
};
const char* to_string(NetError e);

struct HttpResponse {
    NetError error = NetError::None;
    std::string detail;                     // curl's reason when error != None
    long status = 0;
    std::string body;
    std::optional<long> retry_after_s;      // Retry-After, in seconds
    bool ok() const { return error == NetError::None && status >= 200 && status < 300; }
};

struct TransportConfig {
    std::string base_url;            // https://host[:port], without /api/v1
    std::string ca_file;             // CA bundle for the server; empty: the system's
    std::string pinned_public_key;   // "sha256//BASE64" (curl's format); empty: none
    std::string token;               // bearer token; never logged
    SyncTuning tuning;
};

// True for https://…, and for http://127.x.x.x, http://localhost, http://[::1] only.
bool check_server_url(const std::string& url, std::string& why);

class HttpClient {
public:
    explicit HttpClient(TransportConfig cfg);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpResponse get(const std::string& path);
    HttpResponse post_json(const std::string& path, const std::string& body);

    const TransportConfig& config() const { return cfg_; }

private:
    HttpResponse perform(const std::string& path, const std::string* body);

    TransportConfig cfg_;
    bool url_ok_ = false;
    std::string url_problem_;
    void* curl_ = nullptr;   // CURL*
};

}  // namespace studio::sync
