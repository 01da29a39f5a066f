// The kiosk's settings: one documented struct with defaults. The config file
// (`key = value` lines, `#` comments) maps onto it one to one; see
// assets/kiosk.conf.example for every key.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/rules.h"

namespace studio {

struct KioskConfig {
    std::string db_path;                 // local database; empty: $STATE_DIRECTORY/kiosk.db or ./studio-kiosk.db
    std::string language = "en";         // the public screen's language at start and after each reset (en, ru)
    RulesConfig rules;                   // check-in window and long-gap note (see core/rules.h)
    int done_seconds = 8;                // the done screen goes home by itself after this long
    int idle_reset_seconds = 20;         // any screen but home resets after this long untouched
    int staff_hold_seconds = 3;          // press-and-hold on the logo that opens the staff PIN pad
    bool fullscreen = true;              // false for a desktop window (see --windowed)
    int window_width = 1280;             // windowed size
    int window_height = 800;
    std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";   // needs Cyrillic
    std::string server_url;              // https://... of studio-server; empty: no sync
    std::string ca_file;                 // CA bundle that signs the server's certificate; empty: system CAs
    std::string pinned_public_key;       // optional "sha256//BASE64" pin of the server key
    std::string token_file;              // file holding this device's bearer token (never logged)
    std::string backup_dir;              // daily database copies; empty: "backups" next to the database
    int backups_kept = 7;                // newest daily copies kept (older ones are deleted)
    std::string log_level = "info";      // journal verbosity: error, warning, info, debug

    // Where each key was set ("kiosk.conf:12: "), so later checks can name the line.
    std::map<std::string, std::string> where;
};

class ConfigError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Applies `key = value` lines onto `cfg`; throws ConfigError naming the line of an
// unknown key or a bad value. `origin` names the file in messages.
void apply_config(KioskConfig& cfg, std::string_view text, const std::string& origin);

struct ConfigKey {
    const char* name;
    const char* help;
};
const std::vector<ConfigKey>& config_keys();

// The database path to use when neither --db nor db_path is given: systemd's
// $STATE_DIRECTORY, else the package's /var/lib/studio-kiosk if this user can
// write there, else ./studio-kiosk.db.
inline constexpr const char* kPackagedStateDir = "/var/lib/studio-kiosk";
std::string default_db_path();

// The folder daily backups go to: backup_dir, or "backups" beside the database.
std::string backup_dir_for(const KioskConfig& cfg);

// A problem found in a loaded config that parsing alone cannot see (a missing
// file, a folder the kiosk cannot write). `fatal`: the kiosk refuses to start.
struct ConfigProblem {
    bool fatal;
    std::string message;   // "kiosk.conf:12: key: what is wrong; what to do"
};
// check_config (kiosk/config_check.h) finds them.

// Exit status of a kiosk or server stopped by its configuration (sysexits EX_CONFIG);
// the units do not restart on it (RestartPreventExitStatus=78).
inline constexpr int kExitConfig = 78;

}  // namespace studio
