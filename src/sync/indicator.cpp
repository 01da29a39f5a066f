#include "sync/indicator.h"

namespace studio::sync {

namespace {

std::string ago(Seconds seconds) {
    if (seconds < 90) return "just now";
    if (seconds < 90 * 60) return std::to_string((seconds + 30) / 60) + " min ago";
    if (seconds < 36 * 3600) return std::to_string((seconds + 1800) / 3600) + " h ago";
    return std::to_string((seconds + 43200) / 86400) + " days ago";
}

bool is_refusal(const std::string& error) {
    // Errors recorded by SyncEngine start with to_string(SyncStatus).
    for (const char* p : {"token refused", "server identity not verified", "request refused", "not configured"})
        if (error.rfind(p, 0) == 0) return true;
    return false;
}

}  // namespace

const char* to_string(SyncIndicator::Level l) {
    switch (l) {
        case SyncIndicator::Level::Idle: return "idle";
        case SyncIndicator::Level::Synced: return "synced";
        case SyncIndicator::Level::Waiting: return "waiting";
        case SyncIndicator::Level::Attention: return "attention";
    }
    return "idle";
}

SyncIndicator sync_indicator(const SyncState& s, bool configured, Seconds now, Seconds stale_after) {
    SyncIndicator ind;
    ind.pending = s.pending;
    if (!configured) {
        ind.level = SyncIndicator::Level::Idle;
        ind.line = s.pending > 0 ? std::to_string(s.pending) + " kept on this kiosk (no server set)" : "Standalone";
        return ind;
    }
    const std::string last = s.last_success ? "last sent " + ago(now - *s.last_success) : "never sent yet";
    if (s.last_error.empty() && s.pending == 0) {
        ind.level = SyncIndicator::Level::Synced;
        ind.line = s.last_success ? "All sent · " + ago(now - *s.last_success) : "All sent";
    } else if (s.last_error.empty()) {
        ind.level = SyncIndicator::Level::Waiting;
        ind.line = std::to_string(s.pending) + " waiting · " + last;
    } else {
        const bool stale = !s.last_success || now - *s.last_success > stale_after;
        ind.level = is_refusal(s.last_error) || (stale && s.pending > 0) ? SyncIndicator::Level::Attention
                                                                         : SyncIndicator::Level::Waiting;
        ind.line = std::to_string(s.pending) + " waiting · " + last + " · " + s.last_error;
    }
    if (s.rejected > 0) {
        ind.level = SyncIndicator::Level::Attention;
        ind.line += " · " + std::to_string(s.rejected) + " refused by the server";
    }
    return ind;
}

}  // namespace studio::sync
