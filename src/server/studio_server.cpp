// StudioServer
//  - rate limiter, failed token attempts per IP
//  - gatekeeping before routing: overload, framing, size, token, role, rate, test faults
//  - handlers: health, push, changes, export
//  - lifecycle: bind, listen, stop
#include "server/studio_server.h"

#include <malloc.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <thread>

#include "core/attendance.h"
#include "sync/protocol.h"

namespace studio::server {

namespace {

using httplib::Request;
using httplib::Response;
using Gate = httplib::Server::HandlerResponse;

// The authenticated device of the request this thread is handling.
thread_local std::optional<Device> tl_device;
// The test fault chosen for the request this thread is handling.
thread_local Fault tl_fault;

void json_error(Response& res, int status, std::string_view code, std::string_view reason) {
    res.status = status;
    res.set_content(sync::encode_error(code, reason), "application/json");
}

// A request turned away before its body was read: the connection cannot be reused.
Gate refuse(Response& res, int status, std::string_view code, std::string_view reason) {
    json_error(res, status, code, reason);
    res.set_header("Connection", "close");
    LimitedServer::close_after_response();
    return Gate::Handled;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

}  // namespace

double RateLimiter::take(std::int64_t key, std::chrono::steady_clock::time_point now) {
    std::lock_guard lock(mu_);
    auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!fresh) {
        const double elapsed = std::chrono::duration<double>(now - b.last).count();
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.last = now;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return (1.0 - b.tokens) / rate_;
}

AuthFailureLimiter::AuthFailureLimiter(int max_failures, std::chrono::milliseconds window, std::size_t max_ips,
                                       bool loopback)
    : max_(max_failures), window_(window), max_ips_(std::max<std::size_t>(max_ips, 1)), loopback_(loopback) {}

bool AuthFailureLimiter::counts(const std::string& ip) const {
    return max_ > 0 && !ip.empty() && (loopback_ || !is_loopback_address(ip));
}

long AuthFailureLimiter::blocked(const std::string& ip, TimePoint now) {
    if (!counts(ip)) return 0;
    std::lock_guard lock(mu_);
    const auto it = table_.find(ip);
    if (it == table_.end()) return 0;
    const auto ends = it->second.window_start + window_;
    if (now >= ends) {
        table_.erase(it);
        return 0;
    }
    if (it->second.failures < max_) return 0;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(ends - now).count();
    return std::max<long>(1, static_cast<long>((left + 999) / 1000));
}

void AuthFailureLimiter::failed(const std::string& ip, TimePoint now) {
    if (!counts(ip)) return;
    std::lock_guard lock(mu_);
    auto it = table_.find(ip);
    if (it == table_.end()) {
        if (table_.size() >= max_ips_) {
            // Full: forget the windows that are over; if none is, the oldest one.
            for (auto e = table_.begin(); e != table_.end();)
                e = now >= e->second.window_start + window_ ? table_.erase(e) : std::next(e);
            if (table_.size() >= max_ips_)
                table_.erase(std::min_element(table_.begin(), table_.end(), [](const auto& a, const auto& b) {
                    return a.second.window_start < b.second.window_start;
                }));
        }
        it = table_.emplace(ip, Entry{now, 0}).first;
    } else if (now >= it->second.window_start + window_) {
        it->second = Entry{now, 0};
    }
    ++it->second.failures;
}

std::size_t AuthFailureLimiter::tracked() {
    std::lock_guard lock(mu_);
    return table_.size();
}

StudioServer::StudioServer(const ServerConfig& cfg, ServerHooks hooks)
    : cfg_(cfg), hooks_(std::move(hooks)), store_(cfg.db_path), rate_(cfg.rate_per_second, cfg.rate_burst),
      auth_failures_(cfg.limits.auth_failures_max, cfg.limits.auth_failure_window, cfg.limits.auth_failure_ips,
                     cfg.limits.auth_failures_loopback) {
    check_server_config(cfg_);
#ifdef __GLIBC__
    // Request bodies up to max_body_bytes come and go on every worker thread. glibc
    // raises its mmap threshold after the first large free and from then on keeps
    // such buffers in per-thread arenas: under abuse (`sync_soak abuse`) the server
    // grew from 14 to 79 MB and stayed there. A fixed threshold gives big buffers
    // back to the kernel when they are freed (the same run: 14 to 16 MB).
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
    std::shared_ptr<TlsContext> tls;
    if (!cfg_.plain_http) tls = std::make_shared<TlsContext>(cfg_.cert_file, cfg_.key_file);
    http_ = std::make_unique<LimitedServer>(cfg_.limits, tls);
    routes();
}

StudioServer::~StudioServer() { stop(); }

Seconds StudioServer::now() const { return (hooks_.clock ? *hooks_.clock : system_clock_).now(); }

bool StudioServer::wait_or_stop(std::chrono::milliseconds d) {
    std::unique_lock lock(stop_mu_);
    return !stop_cv_.wait_for(lock, d, [&] { return stopping_; });
}

int StudioServer::bind() {
    {
        std::lock_guard lock(stop_mu_);
        stopping_ = false;
    }
    const int port = cfg_.port == 0 ? http_->bind_to_any_port(cfg_.listen_address)
                                    : (http_->bind_to_port(cfg_.listen_address, cfg_.port) ? cfg_.port : -1);
    if (port <= 0)
        throw std::runtime_error("cannot listen on " + cfg_.listen_address + ":" + std::to_string(cfg_.port));
    http_->widen_listen_backlog();
    return port;
}

bool StudioServer::listen() {
    listening_ = true;
    const bool ok = http_->listen_after_bind();
    listening_ = false;
    return ok;
}

bool StudioServer::wait_running(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!http_->is_running() && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return http_->is_running();
}

void StudioServer::stop() {
    {
        std::lock_guard lock(stop_mu_);
        stopping_ = true;
    }
    stop_cv_.notify_all();
    // cpp-httplib's stop() does nothing until its loop runs: a stop() that races a
    // listen() just starting would be lost, and listen() would never return.
    if (listening_) wait_running(std::chrono::milliseconds(2000));
    http_->stop();
}

void StudioServer::routes() {
    LimitedServer& svr = *http_;
    const std::string api = sync::kApiPrefix;

    svr.set_error_handler([](const Request&, Response& res) {
        if (res.body.empty()) {
            const bool missing = res.status == 404, method = res.status == 405;
            res.set_content(sync::encode_error(missing ? "not_found" : method ? "method_not_allowed" : "error",
                                               missing ? "no such endpoint" : method ? "method not allowed"
                                                                                     : "request failed"),
                            "application/json");
        }
    });
    svr.set_exception_handler([this](const Request& req, Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (hooks_.log) hooks_.log("error in " + req.method + " " + req.path + ": " + what);
        json_error(res, 500, "internal", "the server could not complete the request; nothing was changed");
    });
    if (hooks_.log) {
        svr.set_logger([this](const Request& req, const Response& res) {
            hooks_.log(req.remote_addr + " " + (tl_device ? tl_device->studio + "/" + tl_device->label : "-") + " " +
                       req.method + " " + req.path + " " + std::to_string(res.status));
        });
    }

    svr.set_pre_routing_handler([this, api](const Request& req, Response& res) {
        tl_device.reset();
        tl_fault = Fault{};
        if (LimitedServer::overloaded_connection()) {
            res.set_header("Retry-After", "1");
            return refuse(res, 503, "overloaded", "the server is busy; try again shortly");
        }
        if (!starts_with(req.path, api + "/")) return Gate::Unhandled;   // a 404 from routing

        // Framing: one length, stated once; anything else is how requests get smuggled.
        const bool has_length = req.has_header("Content-Length");
        if (req.has_header("Transfer-Encoding")) {
            if (lower(req.get_header_value("Transfer-Encoding")) != "chunked" || has_length ||
                req.get_header_value_count("Transfer-Encoding") > 1)
                return refuse(res, 400, "bad_request", "unsupported Transfer-Encoding");
        }
        if (has_length) {
            std::int64_t n = 0;
            if (req.get_header_value_count("Content-Length") > 1 ||
                !sync::parse_whole_number(req.get_header_value("Content-Length"), std::int64_t{1} << 50, n))
                return refuse(res, 400, "bad_request", "bad Content-Length");
            if (static_cast<std::size_t>(n) > cfg_.limits.max_body_bytes) {
                ++http_->stats().too_large;
                return refuse(res, 413, "too_large",
                              "request body larger than " + std::to_string(cfg_.limits.max_body_bytes) + " bytes");
            }
        }
        if (req.path == api + "/health") return Gate::Unhandled;

        // An address that keeps presenting bad tokens is told to wait, and its tokens
        // are not looked at meanwhile: guessing stops, and other addresses carry on.
        const auto steady_now = std::chrono::steady_clock::now();
        if (const long wait = auth_failures_.blocked(req.remote_addr, steady_now); wait > 0) {
            res.set_header("Retry-After", std::to_string(wait));
            return refuse(res, 429, "rate_limited", "too many failed attempts from this address; try again later");
        }
        const std::string auth = req.get_header_value("Authorization");
        std::optional<Device> dev;
        if (auth.size() > 7 && lower(auth.substr(0, 7)) == "bearer ") dev = store_.authenticate(auth.substr(7), now());
        if (!dev) {
            // One answer for every reason (no token, unknown, revoked, malformed): it
            // tells a guesser nothing, and never echoes what was sent.
            auth_failures_.failed(req.remote_addr, steady_now);
            res.set_header("WWW-Authenticate", "Bearer");
            return refuse(res, 401, "unauthorized", "unknown or revoked device token");
        }
        const bool manager_path = req.path == api + "/export";
        if (manager_path != (dev->role == Role::Manager))
            return refuse(res, 403, "forbidden",
                          manager_path ? "export needs a manager token" : "this needs a kiosk token");
        if (const double wait = rate_.take(dev->id, std::chrono::steady_clock::now()); wait > 0) {
            res.set_header("Retry-After", std::to_string(static_cast<long>(std::ceil(wait))));
            return refuse(res, 429, "rate_limited", "too many requests from this device; slow down");
        }
        tl_device = dev;

        if (hooks_.fault) {
            const Fault f = tl_fault = hooks_.fault(req.method, req.path);
            if (f.kind == Fault::Kind::Stall && !f.after_commit) {
                if (!wait_or_stop(f.stall)) return refuse(res, 503, "stopping", "the server is stopping");
            } else if (f.kind != Fault::Kind::None && !f.after_commit) {
                res.status = 200;
                switch (f.kind) {
                    case Fault::Kind::Status:
                        json_error(res, f.status, "injected", "injected failure");
                        if (f.retry_after_s > 0) res.set_header("Retry-After", std::to_string(f.retry_after_s));
                        break;
                    case Fault::Kind::Garbage: res.set_content("<html>not json at all", "text/html"); break;
                    case Fault::Kind::Truncate:
                        res.set_content_provider(4096, "application/json", [](std::size_t, std::size_t, httplib::DataSink& sink) {
                            sink.write("{\"results\": [", 13);
                            return false;   // cut here: the client sees a short body
                        });
                        break;
                    default: break;
                }
                res.set_header("Connection", "close");
                LimitedServer::close_after_response();
                return Gate::Handled;
            }
        }
        return Gate::Unhandled;
    });

    // The push and changes handlers call this last: a fault that lets the work happen
    // and then loses, spoils or delays the answer.
    auto after_commit = [this](const Request&, Response& res) {
        const Fault f = tl_fault;
        if (!f.after_commit) return;
        switch (f.kind) {
            case Fault::Kind::Status: json_error(res, f.status, "injected", "injected failure"); break;
            case Fault::Kind::Garbage: res.set_content("{\"results\": [oops", "application/json"); break;
            case Fault::Kind::Truncate:
                res.set_content_provider(res.body.size() + 100, "application/json",
                                         [body = res.body](std::size_t, std::size_t, httplib::DataSink& sink) {
                                             sink.write(body.data(), body.size() / 2);
                                             return false;
                                         });
                res.body.clear();
                break;
            case Fault::Kind::Stall: wait_or_stop(f.stall); break;
            case Fault::Kind::None: break;
        }
        res.set_header("Connection", "close");
        LimitedServer::close_after_response();
    };

    svr.Get(api + "/health", [this](const Request&, Response& res) {
        res.set_content(nlohmann::json{{"status", "ok"}, {"protocol", sync::kProtocolVersion}, {"server_time", now()}}.dump(),
                        "application/json");
    });

    svr.Post(api + "/push", [this, after_commit](const Request& req, Response& res, const httplib::ContentReader& reader) {
        std::string body;
        bool too_big = false;
        const bool read_ok = reader([&](const char* data, std::size_t n) {
            // cpp-httplib 0.11.4 bounds neither chunked bodies nor this buffer: we do.
            if (body.size() + n > cfg_.limits.max_body_bytes) {
                too_big = true;
                return false;
            }
            body.append(data, n);
            return true;
        });
        if (too_big) {
            ++http_->stats().too_large;
            refuse(res, 413, "too_large", "request body larger than " + std::to_string(cfg_.limits.max_body_bytes) + " bytes");
            return;
        }
        if (!read_ok) {
            refuse(res, 400, "bad_request", "the request body could not be read");
            return;
        }
        sync::PushRequest push;
        std::string why;
        if (!sync::decode_push_request(body, push, why)) {
            json_error(res, 400, "bad_request", why);
            return;
        }
        const auto results = store_.push(*tl_device, push.items, now());
        res.set_content(sync::encode_push_response(results, now()), "application/json");
        after_commit(req, res);
    });

    svr.Get(api + "/changes", [this, after_commit](const Request& req, Response& res) {
        sync::ChangesQuery q;
        std::string why;
        if (!sync::decode_changes_query(req.params, static_cast<std::int64_t>(cfg_.max_changes_page), q, why))
            return json_error(res, 400, "bad_request", why);
        const ChangesPage page = store_.changes(*tl_device, q.cursor, static_cast<std::size_t>(q.limit));
        res.set_content(sync::encode_changes(page, now()), "application/json");
        after_commit(req, res);
    });

    svr.Get(api + "/export", [this](const Request& req, Response& res) {
        const std::string studio = req.get_param_value("studio"), from = req.get_param_value("from"),
                          to = req.get_param_value("to");
        if (studio.empty()) return json_error(res, 400, "bad_request", "studio: required");
        if (!valid_date(from)) return json_error(res, 400, "bad_request", "from: not a date (YYYY-MM-DD)");
        if (!valid_date(to)) return json_error(res, 400, "bad_request", "to: not a date (YYYY-MM-DD)");
        if (to < from) return json_error(res, 400, "bad_request", "to is before from");
        std::vector<AttendanceRow> rows;
        try {
            rows = store_.attendance(studio, from, to);
        } catch (const AdminError& e) {
            return json_error(res, 404, "not_found", e.what());
        }
        std::string csv = attendance_csv_header();
        for (const auto& r : rows) csv += attendance_csv_row(r);
        res.set_header("Content-Disposition", "attachment; filename=\"attendance-" + from + "-" + to + ".csv\"");
        res.set_content(csv, "text/csv; charset=utf-8");
    });
}

}  // namespace studio::server
