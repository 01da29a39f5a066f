// One sync pass: drain the outbox in batches (oldest first), then pull the changes
// feed from the stored cursor. Outbox entries leave only after the server answered
// for them; a crash anywhere simply means the next pass resends (the server answers
// "duplicate" for a uuid it has). Every outcome is a value (SyncReport).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <random>
#include <string>

#include "core/clock.h"
#include "store/kiosk_store.h"
#include "sync/sync_tuning.h"
#include "sync/transport.h"

namespace studio::sync {

enum class SyncStatus {
    Ok,
    NotConfigured,   // no server_url / token
    Offline,         // cannot reach the server (network down, server down)
    Timeout,         // the server did not answer in time (stalled, slow)
    TlsError,        // certificate not trusted, wrong host, pin mismatch: refused, data kept
    Unauthorized,    // 401/403: unknown or revoked token: refused, data kept
    RateLimited,     // 429
    ServerBusy,      // 503
    ServerError,     // other 5xx
    Refused,         // 400/413/other 4xx: the server will not take this batch as it is
    BadResponse,     // an answer that is not the protocol (garbage, cut short)
    LocalError,      // the local database failed
};
const char* to_string(SyncStatus s);

struct SyncReport {
    SyncStatus status = SyncStatus::Ok;
    std::string detail;            // one line for the staff screen / status
    int delivered = 0;             // outbox entries the server now has
    int superseded = 0;            // ours, counted under another kiosk's check-in
    int rejected = 0;              // refused for good (sync_rejected)
    int pulled = 0;                // rows applied from the changes feed
    int requests = 0;              // HTTP requests made
    int pending_after = 0;         // outbox entries left
    std::optional<std::chrono::seconds> retry_after;
    bool changed = false;          // local data the screens show changed
    bool ok() const { return status == SyncStatus::Ok; }
};

class SyncEngine {
public:
    SyncEngine(KioskStore& store, HttpClient& http, const SyncTuning& tuning, const Clock& clock);
    SyncReport run_once();

    // Test seam: runs after the server answered a push and before the answer is
    // stored. A test throws from it to stand for the kiosk dying at that moment.
    std::function<void()> before_ack;

private:
    bool push(SyncReport& r);
    bool pull(SyncReport& r);
    bool answered(const HttpResponse& resp, SyncReport& r);

    KioskStore& store_;
    HttpClient& http_;
    SyncTuning tuning_;
    const Clock& clock_;
};

// Full-jitter exponential backoff: uniform in [0, min(cap, base * 2^(failures-1))],
// never less than Retry-After (itself clamped to retry_after_max).
Millis backoff_delay(const SyncTuning& t, int failures, std::mt19937_64& rng,
                     std::optional<std::chrono::seconds> retry_after);

}  // namespace studio::sync
