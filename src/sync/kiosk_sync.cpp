#include "sync/kiosk_sync.h"

#include <fstream>
#include <sstream>

namespace studio::sync {

bool sync_configured(const KioskConfig& cfg) { return !cfg.server_url.empty(); }

bool transport_from_config(const KioskConfig& cfg, TransportConfig& out, std::string& why) {
    if (!sync_configured(cfg)) {
        why = "no server_url in the config: this kiosk keeps its check-ins locally";
        return false;
    }
    if (!check_server_url(cfg.server_url, why)) return false;
    if (cfg.token_file.empty()) {
        why = "no token_file in the config (studio-server device add prints the token)";
        return false;
    }
    std::ifstream in(cfg.token_file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in) {
        why = "cannot read the token file " + cfg.token_file;
        return false;
    }
    std::string token = ss.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.erase(0, 1);
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
        why = "the token file " + cfg.token_file + " does not hold one token";
        return false;
    }
    out = TransportConfig{};
    out.base_url = cfg.server_url;
    out.ca_file = cfg.ca_file;
    out.pinned_public_key = cfg.pinned_public_key;
    out.token = token;
    return true;
}

bool worker_from_config(const KioskConfig& cfg, WorkerConfig& out, std::string& why) {
    out = WorkerConfig{};
    out.db_path = cfg.db_path;
    return transport_from_config(cfg, out.transport, why);
}

}  // namespace studio::sync
