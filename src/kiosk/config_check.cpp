#include "kiosk/config_check.h"

#include <unistd.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/settings_file.h"
#include "sync/kiosk_sync.h"

namespace studio {

namespace {

namespace fs = std::filesystem;

class Checker {
public:
    explicit Checker(const KioskConfig& cfg) : cfg_(cfg) {}

    void fatal(const std::string& key, const std::string& what) { add(true, key, what); }
    void warn(const std::string& key, const std::string& what) { add(false, key, what); }

    // A folder the kiosk will create files in: it must exist (or be creatable) and be writable.
    void writable_folder(const std::string& key, const fs::path& dir) {
        std::error_code ec;
        fs::path probe = dir;
        while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();   // the part that exists
        if (probe.empty()) probe = ".";
        if (!fs::is_directory(probe, ec)) {
            fatal(key, probe.string() + " is not a folder");
            return;
        }
        if (::access(probe.c_str(), W_OK | X_OK) != 0)
            fatal(key, "cannot write in " + probe.string() + " (as user " + std::to_string(::getuid()) +
                           "); give the kiosk's user write access or choose another folder");
    }

    void readable_file(const std::string& key, const std::string& path, const std::string& hint) {
        std::ifstream in(path, std::ios::binary);
        if (!in) fatal(key, "cannot read " + path + "; " + hint);
    }

    std::vector<ConfigProblem> take() { return std::move(out_); }

private:
    void add(bool is_fatal, const std::string& key, const std::string& what) {
        out_.push_back({is_fatal, where_of(cfg_, key) + what});
    }
    const KioskConfig& cfg_;
    std::vector<ConfigProblem> out_;
};

bool looks_like_pin(const std::string& pins) {
    // curl's format: one or more "sha256//BASE64" separated by ';'.
    std::size_t start = 0;
    while (start <= pins.size()) {
        const auto end = std::min(pins.find(';', start), pins.size());
        const std::string one = pins.substr(start, end - start);
        if (one.rfind("sha256//", 0) != 0 || one.size() != 8 + 44 || one.back() != '=') return false;
        for (std::size_t i = 8; i + 1 < one.size(); ++i) {
            const char c = one[i];
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) return false;
        }
        start = end + 1;
    }
    return true;
}

}  // namespace

std::vector<ConfigProblem> check_config(const KioskConfig& cfg) {
    Checker c(cfg);
    c.readable_file("font_path", cfg.font_path,
                    "install fonts-dejavu-core or name a TTF font with Latin and Cyrillic letters");

    const fs::path db = cfg.db_path;
    c.writable_folder("db_path", db.has_parent_path() ? db.parent_path() : fs::path("."));
    c.writable_folder("backup_dir", backup_dir_for(cfg));

    if (!cfg.server_url.empty()) {
        std::string why;
        sync::TransportConfig transport;
        if (!sync::transport_from_config(cfg, transport, why)) {
            // Name the key the reason is about.
            const bool about_token = why.find("token") != std::string::npos;
            c.fatal(about_token ? "token_file" : "server_url", why);
            // The URL's problem stops transport_from_config before the token: look at it too.
            if (!about_token) {
                if (cfg.token_file.empty())
                    c.fatal("token_file", "not set; `studio-server device add` prints this kiosk's token");
                else
                    c.readable_file("token_file", cfg.token_file,
                                    "put this kiosk's token there (`studio-server device add` prints it)");
            }
        }
        if (!cfg.token_file.empty()) {
            struct stat st{};
            if (::stat(cfg.token_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
                c.warn("token_file", cfg.token_file + " can be read by other users; chmod 600 it");
        }
        if (!cfg.ca_file.empty()) {
            std::ifstream in(cfg.ca_file, std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (!in && text.empty())
                c.fatal("ca_file", "cannot read " + cfg.ca_file + "; copy the studio's CA certificate (PEM) there");
            else if (text.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
                c.fatal("ca_file", cfg.ca_file + " holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\")");
        }
        if (!cfg.pinned_public_key.empty() && !looks_like_pin(cfg.pinned_public_key))
            c.fatal("pinned_public_key",
                    "expected sha256// followed by 44 base64 characters (several separated by ';'); "
                    "see README for the openssl command that prints it");
    } else {
        for (const char* key : {"token_file", "ca_file", "pinned_public_key"})
            if (cfg.where.count(key))
                c.warn(key, "is set but server_url is not, so this kiosk does not sync");
    }
    return c.take();
}

}  // namespace studio
