// The sync state as staff read it: a level for the small, calm indicator on the
// kiosk (a colour for staff, nothing alarming for clients) and one short line,
// from the state in the database (store/sync_store.h: sync_state()). Pure.
#pragma once

#include <string>

#include "store/sync_store.h"

namespace studio::sync {

struct SyncIndicator {
    enum class Level {
        Idle,        // sync not configured: a standalone kiosk
        Synced,      // nothing waiting, last pass fine
        Waiting,     // entries waiting, no error (or only a short outage)
        Attention,   // something staff should look at: token refused, refused items, long outage
    };
    Level level = Level::Idle;
    int pending = 0;
    std::string line;   // e.g. "All sent · 2 min ago", "12 waiting · last sent 3 h ago"
};

// `configured`: a server_url and token are set. `now`: the wall clock.
// A failure makes the level Attention when it is a refusal (token, TLS, rejected
// items) or when nothing got through for `stale_after` seconds.
SyncIndicator sync_indicator(const SyncState& s, bool configured, Seconds now, Seconds stale_after = 6 * 3600);

const char* to_string(SyncIndicator::Level l);

}  // namespace studio::sync
