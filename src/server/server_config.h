// studio-server's settings: one documented struct with defaults; the config file
// (`key = value` lines, `#` comments, as the kiosk's) maps onto it one to one.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/limited_server.h"

namespace studio::server {

struct ServerConfig {
    std::string db_path = "studio-server.db";   // the server's SQLite file (WAL)
    std::string listen_address = "0.0.0.0";     // address to bind
    int port = 8443;                            // TCP port (0: any free port, printed at start)
    std::string cert_file;                      // PEM certificate chain for HTTPS (required unless plain_http)
    std::string key_file;                       // PEM private key for HTTPS
    bool plain_http = false;                    // plain HTTP behind a TLS proxy on this host: loopback binds only
    HttpLimits limits;                          // body, head, timeouts, threads, queue (see limited_server.h)
    double rate_per_second = 5.0;               // requests a device may make per second, sustained
    double rate_burst = 60.0;                   // ... and in a burst (a kiosk back online after weeks)
    std::size_t max_changes_page = 1000;        // rows in one changes page at most

    // Where each key was set ("server.conf:7: "), so later checks can name the line.
    std::map<std::string, std::string> where;
};

class ServerConfigError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Applies `key = value` lines onto `cfg`; throws naming the line of an unknown key or bad value.
void apply_server_config(ServerConfig& cfg, std::string_view text, const std::string& origin);

// Throws when the settings cannot be served safely (plain HTTP off loopback, no certificate).
void check_server_config(const ServerConfig& cfg);

// Reads the certificate chain and key and checks that they belong together, so a
// wrong path or a mismatched pair is named at start, not at the first handshake.
void check_server_files(const ServerConfig& cfg);

// Exit status of `serve` and `check-config` on a configuration mistake (sysexits EX_CONFIG);
// studio-server.service does not restart on it.
inline constexpr int kExitConfig = 78;

bool is_loopback_address(std::string_view host);

struct ServerConfigKey {
    const char* name;
    const char* help;
};
const std::vector<ServerConfigKey>& server_config_keys();

}  // namespace studio::server
