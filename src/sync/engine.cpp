#include "sync/engine.h"

#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <cctype>

#include "store/sync_store.h"
#include "sync/protocol.h"

namespace studio::sync {

const char* to_string(SyncStatus s) {
    switch (s) {
        case SyncStatus::Ok: return "ok";
        case SyncStatus::NotConfigured: return "not configured";
        case SyncStatus::Offline: return "offline";
        case SyncStatus::Timeout: return "server not answering";
        case SyncStatus::TlsError: return "server identity not verified";
        case SyncStatus::Unauthorized: return "token refused";
        case SyncStatus::RateLimited: return "rate limited";
        case SyncStatus::ServerBusy: return "server busy";
        case SyncStatus::ServerError: return "server error";
        case SyncStatus::Refused: return "request refused";
        case SyncStatus::BadResponse: return "bad answer from server";
        case SyncStatus::LocalError: return "local database error";
    }
    return "error";
}

namespace {

// "items[12].checkin.local_date: …" -> 12
std::optional<std::size_t> malformed_item(const std::string& reason) {
    if (reason.rfind("items[", 0) != 0) return std::nullopt;
    std::size_t i = 6, n = 0;
    if (i >= reason.size() || !std::isdigit(static_cast<unsigned char>(reason[i]))) return std::nullopt;
    while (i < reason.size() && std::isdigit(static_cast<unsigned char>(reason[i])) && n < 1000000)
        n = n * 10 + static_cast<std::size_t>(reason[i++] - '0');
    if (i >= reason.size() || reason[i] != ']') return std::nullopt;
    return n;
}

}  // namespace

SyncEngine::SyncEngine(KioskStore& store, HttpClient& http, const SyncTuning& tuning, const Clock& clock)
    : store_(store), http_(http), tuning_(tuning), clock_(clock) {}

// True for a 2xx answer; otherwise fills the report with what went wrong.
bool SyncEngine::answered(const HttpResponse& resp, SyncReport& r) {
    ++r.requests;
    if (resp.retry_after_s) r.retry_after = std::chrono::seconds(*resp.retry_after_s);
    if (resp.error != NetError::None) {
        switch (resp.error) {
            case NetError::BadUrl: r.status = SyncStatus::NotConfigured; break;
            case NetError::Tls:
            case NetError::PinMismatch: r.status = SyncStatus::TlsError; break;
            case NetError::Timeout: r.status = SyncStatus::Timeout; break;
            case NetError::Receive:
            case NetError::TooLarge: r.status = SyncStatus::BadResponse; break;
            default: r.status = SyncStatus::Offline; break;
        }
        r.detail = std::string(to_string(resp.error)) + ": " + resp.detail;
        return false;
    }
    if (resp.status >= 200 && resp.status < 300) return true;
    const std::string reason = error_reason(resp.body);
    const std::string http = "HTTP " + std::to_string(resp.status) + (reason.empty() ? "" : ": " + reason);
    if (resp.status == 401 || resp.status == 403) {
        r.status = SyncStatus::Unauthorized;
        r.detail = "the server refused this kiosk's token (" + http +
                   "); check-ins are kept here: ask the manager for a new token";
    } else if (resp.status == 429) {
        r.status = SyncStatus::RateLimited;
        r.detail = http;
    } else if (resp.status == 503) {
        r.status = SyncStatus::ServerBusy;
        r.detail = http;
    } else if (resp.status >= 500) {
        r.status = SyncStatus::ServerError;
        r.detail = http;
    } else {
        r.status = SyncStatus::Refused;
        r.detail = http;
    }
    return false;
}

bool SyncEngine::push(SyncReport& r) {
    for (int batch = 0; batch < tuning_.max_push_batches_per_pass; ++batch) {
        std::vector<OutboxItem> items = outbox_batch(store_, tuning_.push_batch);
        if (items.empty()) return true;
        if (drop_missing(store_, items, clock_.now()) > 0) {
            r.changed = true;
            items.erase(std::remove_if(items.begin(), items.end(), [](const OutboxItem& i) { return i.missing; }),
                        items.end());
            if (items.empty()) continue;
        }
        const HttpResponse resp = http_.post_json(std::string(kApiPrefix) + "/push", encode_push_request(items));
        if (!answered(resp, r)) {
            // One entry the server finds malformed must not hold back every later
            // check-in: set exactly that one aside (kept locally, listed as refused)
            // and go on. The server changed nothing for the batch.
            const auto bad = resp.status == 400 ? malformed_item(error_reason(resp.body)) : std::nullopt;
            if (!bad || *bad >= items.size()) return false;
            PushItemResult refused;
            refused.ref = items[*bad].ref;
            refused.result = PushOutcome::Rejected;
            refused.reason = "malformed: " + error_reason(resp.body);
            apply_push_results(store_, {items[*bad]}, {refused}, clock_.now());
            ++r.rejected;
            r.changed = true;
            r.status = SyncStatus::Ok;
            r.detail.clear();
            continue;
        }
        std::vector<PushItemResult> results;
        std::string why;
        bool matches = decode_push_response(resp.body, items.size(), results, why);
        for (std::size_t i = 0; matches && i < items.size(); ++i)
            if (results[i].ref != items[i].ref) {
                matches = false;
                why = "results out of order";
            }
        if (!matches) {
            r.status = SyncStatus::BadResponse;
            r.detail = "push answer: " + why;
            return false;
        }
        if (before_ack) before_ack();
        const AckSummary ack = apply_push_results(store_, items, results, clock_.now());
        r.delivered += ack.delivered;
        r.superseded += ack.superseded;
        r.rejected += ack.rejected;
        r.changed = true;   // the pending count the staff see moved
    }
    return true;
}

bool SyncEngine::pull(SyncReport& r) {
    for (int page_no = 0; page_no < tuning_.max_pull_pages_per_pass; ++page_no) {
        const std::int64_t cursor = sync_cursor(store_);
        const HttpResponse resp = http_.get(std::string(kApiPrefix) + "/changes?cursor=" + std::to_string(cursor) +
                                            "&limit=" + std::to_string(tuning_.pull_page));
        if (!answered(resp, r)) return false;
        ChangesPage page;
        std::string why;
        if (!decode_changes(resp.body, page, why)) {
            r.status = SyncStatus::BadResponse;
            r.detail = "changes answer: " + why;
            return false;
        }
        if (page.cursor < cursor) {
            r.status = SyncStatus::BadResponse;
            r.detail = "changes answer: the cursor went backwards";
            return false;
        }
        const ApplySummary sum = apply_changes(store_, page);
        const int applied = sum.clients + sum.passes + sum.classes + sum.focus + sum.checkins;
        r.pulled += applied;
        r.superseded += sum.superseded;
        if (sum.changed()) r.changed = true;
        if (!page.more) return true;
    }
    return true;
}

SyncReport SyncEngine::run_once() {
    SyncReport r;
    try {
        const bool ok = push(r) && pull(r);
        if (ok) record_sync_success(store_, clock_.now());
        else record_sync_failure(store_, clock_.now(), std::string(to_string(r.status)) + ": " + r.detail);
        r.pending_after = sync_state(store_).pending;
    } catch (const SQLite::Exception& e) {
        r.status = SyncStatus::LocalError;
        r.detail = e.what();
    }
    return r;
}

Millis backoff_delay(const SyncTuning& t, int failures, std::mt19937_64& rng,
                     std::optional<std::chrono::seconds> retry_after) {
    const int shift = std::clamp(failures - 1, 0, 30);
    const long long base = std::max<long long>(t.backoff_base.count(), 1);
    const long long cap = std::max<long long>(t.backoff_cap.count(), 0);
    const long long ceiling = std::min(cap, base << shift);
    std::uniform_int_distribution<long long> pick(0, std::max(ceiling, 0LL));
    Millis delay(pick(rng));
    if (retry_after) {
        const auto floor = std::min(*retry_after, t.retry_after_max);
        delay = std::max(delay, Millis(std::chrono::duration_cast<Millis>(floor)));
    }
    return delay;
}

}  // namespace studio::sync
