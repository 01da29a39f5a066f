#include "sync/transport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <openssl/x509_vfy.h>

#include <mutex>
#include <stdexcept>

namespace studio::sync {

namespace {

struct Sink {
    std::string* body;
    std::size_t max;
    bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t len = size * n;
    if (sink->body->size() + len > sink->max) {
        sink->too_large = true;
        return 0;   // aborts the transfer (CURLE_WRITE_ERROR)
    }
    sink->body->append(data, len);
    return len;
}

NetError classify(CURLcode c) {
    switch (c) {
        case CURLE_OK: return NetError::None;
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL: return NetError::BadUrl;
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY: return NetError::Resolve;
        case CURLE_COULDNT_CONNECT: return NetError::Connect;
        case CURLE_OPERATION_TIMEDOUT: return NetError::Timeout;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CERTPROBLEM:
        case CURLE_SSL_CIPHER:
        case CURLE_SSL_ISSUER_ERROR: return NetError::Tls;
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return NetError::PinMismatch;
        case CURLE_SEND_ERROR: return NetError::Send;
        case CURLE_RECV_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING: return NetError::Receive;
        case CURLE_WRITE_ERROR: return NetError::TooLarge;
        default: return NetError::Other;
    }
}

std::once_flag curl_init_once;

}  // namespace

const char* to_string(NetError e) {
    switch (e) {
        case NetError::None: return "none";
        case NetError::BadUrl: return "bad server URL";
        case NetError::Resolve: return "server name not found";
        case NetError::Connect: return "cannot connect";
        case NetError::Tls: return "TLS verification failed";
        case NetError::PinMismatch: return "server key does not match the pinned key";
        case NetError::Timeout: return "timed out";
        case NetError::Send: return "send failed";
        case NetError::Receive: return "connection dropped";
        case NetError::TooLarge: return "answer too large";
        case NetError::Other: return "network error";
    }
    return "network error";
}

bool check_server_url(const std::string& url, std::string& why) {
    if (url.rfind("https://", 0) == 0 && url.size() > 8) return true;
    if (url.rfind("http://", 0) == 0) {
        std::string host = url.substr(7);
        host = host.substr(0, host.find_first_of("/?#"));
        if (!host.empty() && host.front() == '[') host = host.substr(0, host.find(']') + 1);
        else host = host.substr(0, host.find(':'));
        in_addr v4{};
        const bool loopback_v4 = ::inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
        if (host == "localhost" || host == "[::1]" || loopback_v4) return true;
        why = "plain http:// is allowed only to this machine (127.0.0.1, localhost); use https://";
        return false;
    }
    why = "server_url must start with https://";
    return false;
}

HttpClient::HttpClient(TransportConfig cfg) : cfg_(std::move(cfg)) {
    std::call_once(curl_init_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    while (!cfg_.base_url.empty() && cfg_.base_url.back() == '/') cfg_.base_url.pop_back();
    url_ok_ = check_server_url(cfg_.base_url, url_problem_);
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResponse HttpClient::get(const std::string& path) { return perform(path, nullptr); }

HttpResponse HttpClient::post_json(const std::string& path, const std::string& body) { return perform(path, &body); }

HttpResponse HttpClient::perform(const std::string& path, const std::string* body) {
    HttpResponse out;
    if (!url_ok_) {
        out.error = NetError::BadUrl;
        out.detail = url_problem_;
        return out;
    }
    CURL* c = static_cast<CURL*>(curl_);
    // Reset per request (the connection cache and TLS sessions survive a reset).
    curl_easy_reset(c);
    const SyncTuning& t = cfg_.tuning;
    const std::string url = cfg_.base_url + path;
    char errbuf[CURL_ERROR_SIZE] = {};
    Sink sink{&out.body, t.max_response_bytes};

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, cfg_.base_url.rfind("https://", 0) == 0 ? "https" : "http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(t.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(t.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, t.low_speed_limit_bytes);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(t.low_speed_time.count()));
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    // Verification is never switched off, whatever the config says.
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!cfg_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, cfg_.ca_file.c_str());
    if (!cfg_.pinned_public_key.empty()) curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, cfg_.pinned_public_key.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "studio-kiosk/1");

    curl_slist* headers = nullptr;
    const std::string auth = "Authorization: Bearer " + cfg_.token;
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    if (body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");   // no 100-continue round trip
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);

    out.error = sink.too_large ? NetError::TooLarge : classify(rc);
    if (out.error != NetError::None) {
        out.detail = errbuf[0] ? errbuf : curl_easy_strerror(rc);
        out.body.clear();
        // A certificate outside its validity period is most often this kiosk's clock
        // (a Pi without a battery clock boots in the past): say so. Verification
        // stays on; the check-ins wait here until the clock is right.
        long verify = 0;
        if (rc == CURLE_PEER_FAILED_VERIFICATION &&
            curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &verify) == CURLE_OK) {
            if (verify == X509_V_ERR_CERT_NOT_YET_VALID)
                out.detail = "the server's certificate is not valid yet by this kiosk's clock: check the kiosk's "
                             "date and time (" + out.detail + ")";
            else if (verify == X509_V_ERR_CERT_HAS_EXPIRED)
                out.detail = "the server's certificate has expired, or this kiosk's clock is ahead: check the "
                             "kiosk's date and time (" + out.detail + ")";
        }
        return out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
    curl_off_t retry = 0;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry) == CURLE_OK && retry > 0)
        out.retry_after_s = static_cast<long>(retry);
    return out;
}

}  // namespace studio::sync
