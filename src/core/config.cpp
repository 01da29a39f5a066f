#include "core/config.h"

#include "core/settings_file.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <functional>

namespace studio {

namespace {

struct Field {
    ConfigKey key;
    std::function<bool(KioskConfig&, std::string_view)> set;
};

std::function<bool(KioskConfig&, std::string_view)> int_field(int KioskConfig::*m, int lo, int hi) {
    return [=](KioskConfig& c, std::string_view v) {
        int n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) return false;
        c.*m = n;
        return true;
    };
}
std::function<bool(KioskConfig&, std::string_view)> rule_field(int RulesConfig::*m, int lo, int hi) {
    return [=](KioskConfig& c, std::string_view v) {
        int n = 0;
        auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
        if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) return false;
        c.rules.*m = n;
        return true;
    };
}
std::function<bool(KioskConfig&, std::string_view)> text_field(std::string KioskConfig::*m) {
    return [=](KioskConfig& c, std::string_view v) {
        c.*m = std::string(v);
        return true;
    };
}

const std::vector<Field>& fields() {
    static const std::vector<Field> f = {
        {{"db_path", "local database file"}, text_field(&KioskConfig::db_path)},
        {{"language", "public screen language at start: en or ru"},
         [](KioskConfig& c, std::string_view v) {
             if (v != "en" && v != "ru") return false;
             c.language = std::string(v);
             return true;
         }},
        {{"checkin_window_before_min", "minutes before a class's start that check-ins belong to it (0-180)"},
         rule_field(&RulesConfig::window_before_min, 0, 180)},
        {{"checkin_window_after_min", "minutes after a class's start that check-ins belong to it (0-180)"},
         rule_field(&RulesConfig::window_after_min, 0, 180)},
        {{"long_gap_days", "days away after which a visit gets a welcome-back note (1-365)"},
         rule_field(&RulesConfig::long_gap_days, 1, 365)},
        {{"done_seconds", "seconds the done screen stays before going home (2-60)"},
         int_field(&KioskConfig::done_seconds, 2, 60)},
        {{"idle_reset_seconds", "seconds untouched before any screen resets to home (5-600)"},
         int_field(&KioskConfig::idle_reset_seconds, 5, 600)},
        {{"staff_hold_seconds", "seconds to hold the logo to open the staff PIN pad (1-10)"},
         int_field(&KioskConfig::staff_hold_seconds, 1, 10)},
        {{"fullscreen", "yes or no"},
         [](KioskConfig& c, std::string_view v) {
             if (v == "yes" || v == "true" || v == "1") c.fullscreen = true;
             else if (v == "no" || v == "false" || v == "0") c.fullscreen = false;
             else return false;
             return true;
         }},
        {{"window_width", "window width when not fullscreen (320-7680)"},
         int_field(&KioskConfig::window_width, 320, 7680)},
        {{"window_height", "window height when not fullscreen (240-4320)"},
         int_field(&KioskConfig::window_height, 240, 4320)},
        {{"font_path", "TTF font with Latin and Cyrillic"}, text_field(&KioskConfig::font_path)},
        {{"server_url", "https URL of studio-server; empty disables sync"}, text_field(&KioskConfig::server_url)},
        {{"ca_file", "CA certificate file for the server; empty uses the system CAs"},
         text_field(&KioskConfig::ca_file)},
        {{"pinned_public_key", "optional sha256//BASE64 pin of the server's public key"},
         text_field(&KioskConfig::pinned_public_key)},
        {{"token_file", "file holding this device's bearer token"}, text_field(&KioskConfig::token_file)},
        {{"backup_dir", "folder for the daily database copies; empty: backups/ beside the database"},
         text_field(&KioskConfig::backup_dir)},
        {{"backups_kept", "daily database copies kept (1-60)"}, int_field(&KioskConfig::backups_kept, 1, 60)},
        {{"log_level", "journal verbosity: error, warning, info or debug"},
         [](KioskConfig& c, std::string_view v) {
             if (v != "error" && v != "warning" && v != "info" && v != "debug") return false;
             c.log_level = std::string(v);
             return true;
         }},
    };
    return f;
}

}  // namespace

const std::vector<ConfigKey>& config_keys() {
    static const std::vector<ConfigKey> keys = [] {
        std::vector<ConfigKey> k;
        for (const auto& f : fields()) k.push_back(f.key);
        return k;
    }();
    return keys;
}

void apply_config(KioskConfig& cfg, std::string_view text, const std::string& origin) {
    apply_settings<ConfigError>(cfg, text, origin, fields());
}

std::string default_db_path() {
    // systemd's StateDirectory= sets this for the service.
    if (const char* dir = std::getenv("STATE_DIRECTORY"); dir && *dir) return std::string(dir) + "/kiosk.db";
    // Installed from the package: the service's folder, so `sudo -u studio-kiosk
    // studio-kiosk status` on the Pi looks at the kiosk's own database.
    if (::access(kPackagedStateDir, W_OK | X_OK) == 0) return std::string(kPackagedStateDir) + "/kiosk.db";
    return "studio-kiosk.db";
}

std::string backup_dir_for(const KioskConfig& cfg) {
    if (!cfg.backup_dir.empty()) return cfg.backup_dir;
    const auto slash = cfg.db_path.rfind('/');
    return slash == std::string::npos ? std::string("backups") : cfg.db_path.substr(0, slash) + "/backups";
}

}  // namespace studio
