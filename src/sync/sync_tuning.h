// Every number the kiosk's sync uses, in one place (as couchbase-lite-core's
// ReplicatorTuning.hh does). The defaults are for a Pi on a studio's Wi-Fi; tests
// build a SyncTuning with millisecond timings instead of touching these.
#pragma once

#include <chrono>
#include <cstddef>

namespace studio::sync {

using Millis = std::chrono::milliseconds;

struct SyncTuning {
    // ---- batching ----------------------------------------------------------
    // Outbox entries sent in one push. ~600 bytes each on the wire: 200 stay well
    // under the server's body limit (kMaxBodyBytes) while keeping requests few.
    std::size_t push_batch = 200;
    // Changes asked for in one pull page; the server caps it at its own maximum.
    std::size_t pull_page = 500;
    // Bound on pushes and pulls in one pass, so a pass always ends (then the worker
    // simply runs another). 10,000 queued check-ins need 50 pushes at 200.
    int max_push_batches_per_pass = 200;
    int max_pull_pages_per_pass = 200;

    // ---- HTTP (libcurl) ------------------------------------------------------
    // TCP + TLS handshake must finish within this (curl's default is 300 s).
    Millis connect_timeout{5000};
    // A whole request, upload and answer included (curl's default: never).
    Millis total_timeout{30000};
    // Abort a transfer slower than this many bytes/s for low_speed_time: a stalled
    // server is noticed long before total_timeout on a large page.
    long low_speed_limit_bytes = 64;
    std::chrono::seconds low_speed_time{10};
    // Largest answer accepted; anything longer is treated as garbage.
    std::size_t max_response_bytes = 16u << 20;

    // ---- timing of the worker --------------------------------------------------
    // After a clean pass: how long until the next pull (new check-ins wake the
    // worker at once through request_now()).
    Millis poll_interval{30000};
    // While the coach screen is open the kiosk asks for a pass this often, so a
    // check-in at the entrance shows on the coach's tablet within seconds.
    Millis coach_poll_interval{5000};
    // Backoff after a failed pass: a random wait in [0, min(cap, base * 2^n)]
    // ("full jitter"), n = failures in a row; a Retry-After from the server is a
    // floor on top of that.
    Millis backoff_base{1000};
    Millis backoff_cap{300000};
    // A Retry-After larger than this is clamped (a broken proxy must not park a
    // kiosk for a day).
    std::chrono::seconds retry_after_max{3600};
};

}  // namespace studio::sync
