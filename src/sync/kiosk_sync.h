// From the kiosk's config (core/config.h: server_url, ca_file, pinned_public_key,
// token_file) to what the sync needs, for `studio-kiosk sync --once`, `status`,
// and the screens' SyncWorker alike.
#pragma once

#include <string>

#include "core/config.h"
#include "sync/transport.h"
#include "sync/worker.h"

namespace studio::sync {

// True when sync is configured at all (a server_url is set).
bool sync_configured(const KioskConfig& cfg);

// Fills `out` (tuning: the defaults of sync_tuning.h). False with a one-line reason
// when sync is not configured, the URL is not allowed, or the token file cannot be
// read. The token itself never appears in `why`.
bool transport_from_config(const KioskConfig& cfg, TransportConfig& out, std::string& why);

// The worker's settings for the kiosk's database `cfg.db_path`.
bool worker_from_config(const KioskConfig& cfg, WorkerConfig& out, std::string& why);

}  // namespace studio::sync
