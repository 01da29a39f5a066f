// studio-server command line
//  - argument parsing and config loading
//  - device add / revoke / list
//  - import-clients, import-schedule, focus set, export-attendance
//  - serve (until SIGINT or SIGTERM)
#include "server/admin_cli.h"

#include <csignal>
#include <cstdlib>

#include <systemd/sd-daemon.h>
#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "core/attendance.h"
#include "server/server_config.h"
#include "server/server_store.h"
#include "server/studio_server.h"

namespace studio::server {

namespace {

const char* const kValueFlags[] = {"--db", "--config", "--studio", "--name", "--date", "--title", "--body",
                                   "--from", "--to", "--out"};
const char* const kSwitches[] = {"--skip-invalid", "--manager", "--help"};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Args {
    std::vector<std::string> words;   // command words and positional arguments
    std::vector<std::pair<std::string, std::string>> flags;
    std::optional<std::string> flag(const std::string& name) const {
        for (const auto& [k, v] : flags)
            if (k == name) return v;
        return std::nullopt;
    }
    std::string need(const std::string& name, const std::string& what) const {
        auto v = flag(name);
        if (!v || v->empty()) throw UsageError(what + " needs --" + name);
        return *v;
    }
};

Args parse(const std::vector<std::string>& argv) {
    Args a;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& s = argv[i];
        if (s == "-h") {
            a.flags.emplace_back("help", "");
            continue;
        }
        if (s.rfind("--", 0) != 0 || s.size() <= 2) {
            a.words.push_back(s);
            continue;
        }
        std::string name = s, value;
        const auto eq = s.find('=');
        const bool inline_value = eq != std::string::npos;
        if (inline_value) {
            name = s.substr(0, eq);
            value = s.substr(eq + 1);
        }
        bool takes = false, known = false;
        for (const char* f : kValueFlags) if (name == f) takes = known = true;
        for (const char* f : kSwitches) if (name == f) known = true;
        if (!known) throw UsageError("unknown option " + name);
        if (takes && !inline_value) {
            if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
            value = argv[++i];
        }
        a.flags.emplace_back(name.substr(2), value);
    }
    return a;
}

bool read_text(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return !in.bad();
}

ServerConfig load(const Args& a) {
    ServerConfig cfg;
    // systemd's StateDirectory= (studio-server.service) says where data lives.
    // Outside systemd, the package's folder when this user can write there.
    if (const char* dir = std::getenv("STATE_DIRECTORY"); dir && *dir) cfg.db_path = std::string(dir) + "/studio-server.db";
    else if (::access("/var/lib/studio-server", W_OK | X_OK) == 0) cfg.db_path = "/var/lib/studio-server/studio-server.db";
    if (auto path = a.flag("config")) {
        std::string text;
        if (!read_text(*path, text)) throw ServerConfigError("cannot read the config file " + *path);
        apply_server_config(cfg, text, *path);
    }
    if (auto db = a.flag("db")) cfg.db_path = *db;
    return cfg;
}

std::string when(std::optional<Seconds> t) { return t ? local_date(*t) + " " + local_hhmm(*t) : "never"; }

int cmd_device(const Args& a, ServerStore& store, std::ostream& out, std::ostream& err, const Clock& clock) {
    if (a.words.size() < 2) throw UsageError("device needs add, revoke or list");
    const std::string& verb = a.words[1];
    const bool manager = a.flag("manager").has_value();
    if (verb == "list") {
        for (const auto& d : store.devices())
            out << (d.revoked ? "revoked " : "active  ") << to_string(d.role) << "  "
                << (d.studio.empty() ? "-" : d.studio) << "  " << d.label << "  last seen " << when(d.last_seen) << "\n";
        return 0;
    }
    const std::string label = a.need("name", "device " + verb);
    const std::string studio = manager ? a.flag("studio").value_or("") : a.need("studio", "device " + verb);
    const Role role = manager ? Role::Manager : Role::Kiosk;
    if (verb == "add") {
        const std::string token = store.add_device(studio, label, role, clock.now());
        // The only time the token exists in clear: stdout, for the installer to copy.
        out << token << "\n";
        err << "studio-server: " << to_string(role) << " \"" << label << "\""
            << (studio.empty() ? "" : " of " + studio) << " added; the token above is shown once (only its hash is kept)\n";
        return 0;
    }
    if (verb == "revoke") {
        if (!store.revoke_device(studio, label, role, clock.now())) {
            err << "studio-server: no active " << to_string(role) << " named \"" << label << "\""
                << (studio.empty() ? "" : " in " + studio) << "\n";
            return 1;
        }
        out << "revoked " << to_string(role) << " \"" << label << "\"\n";
        return 0;
    }
    throw UsageError("device needs add, revoke or list");
}

int cmd_import_clients(const Args& a, ServerStore& store, std::ostream& out, std::ostream& err, const Clock& clock) {
    if (a.words.size() != 2) throw UsageError("import-clients needs one FILE.csv");
    std::string text;
    if (!read_text(a.words[1], text)) {
        err << "studio-server: cannot open " << a.words[1] << "\n";
        return 1;
    }
    const bool skip = a.flag("skip-invalid").has_value();
    const ImportReport r = store.import_clients(text, skip, clock.now());
    for (const auto& p : r.problems) err << a.words[1] << ":" << p.line << ": " << p.reason << "\n";
    if (!r.imported) {
        err << "studio-server: nothing imported: " << r.problems.size() << " bad row(s)"
            << (skip ? "" : " (fix them, or use --skip-invalid to import the good rows)") << "\n";
        return 1;
    }
    out << "imported " << (r.inserted + r.updated) << " client(s): " << r.inserted << " new, " << r.updated << " updated";
    if (!r.problems.empty()) out << "; skipped " << r.problems.size() << " bad row(s)";
    out << "\n";
    return 0;
}

int cmd_import_schedule(const Args& a, ServerStore& store, std::ostream& out, std::ostream& err) {
    if (a.words.size() != 2) throw UsageError("import-schedule needs --studio NAME and one FILE.csv");
    const std::string studio = a.need("studio", "import-schedule");
    std::string text;
    if (!read_text(a.words[1], text)) {
        err << "studio-server: cannot open " << a.words[1] << "\n";
        return 1;
    }
    store.ensure_studio(studio);
    const bool skip = a.flag("skip-invalid").has_value();
    const ScheduleReport r = store.import_schedule(studio, text, skip);
    for (const auto& p : r.problems) err << a.words[1] << ":" << p.line << ": " << p.reason << "\n";
    if (!r.imported) {
        err << "studio-server: nothing imported: " << r.problems.size() << " bad row(s)"
            << (skip ? "" : " (fix them, or use --skip-invalid to import the good rows)") << "\n";
        return 1;
    }
    out << "imported " << (r.inserted + r.updated) << " class(es) for " << studio << ": " << r.inserted << " new, "
        << r.updated << " updated\n";
    return 0;
}

int cmd_focus(const Args& a, ServerStore& store, std::ostream& out) {
    if (a.words.size() != 2 || a.words[1] != "set") throw UsageError("focus set --studio NAME --date D --title T [--body B]");
    SyncFocus f;
    const std::string studio = a.need("studio", "focus set");
    f.date = a.need("date", "focus set");
    f.title = a.need("title", "focus set");
    f.body = a.flag("body").value_or("");
    if (!valid_date(f.date)) throw UsageError("--date \"" + f.date + "\" is not a date (YYYY-MM-DD)");
    store.set_focus(studio, f);
    out << "focus for " << studio << " on " << f.date << ": " << f.title << "\n";
    return 0;
}

int cmd_export(const Args& a, ServerStore& store, std::ostream& out, std::ostream& err) {
    const std::string studio = a.need("studio", "export-attendance");
    const std::string from = a.need("from", "export-attendance"), to = a.need("to", "export-attendance");
    if (!valid_date(from)) throw UsageError("--from \"" + from + "\" is not a date (YYYY-MM-DD)");
    if (!valid_date(to)) throw UsageError("--to \"" + to + "\" is not a date (YYYY-MM-DD)");
    if (to < from) throw UsageError("--to is before --from");
    const auto rows = store.attendance(studio, from, to);
    std::string csv = attendance_csv_header();
    for (const auto& r : rows) csv += attendance_csv_row(r);
    const auto file = a.flag("out");
    if (!file || *file == "-") {
        out << csv;
        return 0;
    }
    // Written beside the target and renamed: never a half file that looks finished.
    const std::string part = *file + ".part";
    {
        std::ofstream f(part, std::ios::binary | std::ios::trunc);
        f.write(csv.data(), static_cast<std::streamsize>(csv.size()));
        f.flush();
        if (!f) {
            std::remove(part.c_str());
            err << "studio-server: cannot write " << *file << "\n";
            return 1;
        }
    }
    if (std::rename(part.c_str(), file->c_str()) != 0) {
        std::remove(part.c_str());
        err << "studio-server: cannot create " << *file << "\n";
        return 1;
    }
    out << "exported " << rows.size() << " check-in(s) of " << studio << " from " << from << " to " << to << " to "
        << *file << "\n";
    return 0;
}

int cmd_serve(const ServerConfig& cfg, std::ostream& out, std::ostream& err) {
    // Signals are taken by one thread with sigwait, so no handler runs inside a
    // worker; block them before any thread starts.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    std::mutex log_mu;
    ServerHooks hooks;
    hooks.log = [&](const std::string& line) {
        std::lock_guard lock(log_mu);
        err << line << "\n" << std::flush;
    };
    StudioServer server(cfg, hooks);
    const int port = server.bind();
    out << "studio-server: serving " << (cfg.plain_http ? "http" : "https") << "://" << cfg.listen_address << ":"
        << port << "/api/v1 (database " << cfg.db_path << ")\n"
        << std::flush;
    sd_notify(0, "READY=1");   // studio-server.service is Type=notify; a no-op elsewhere
    std::thread signals([&] {
        int sig = 0;
        sigwait(&set, &sig);
        server.stop();
    });
    const bool ok = server.listen();
    sd_notify(0, "STOPPING=1");
    // listen() also returns when the socket fails: wake the signal thread then.
    pthread_kill(signals.native_handle(), SIGTERM);
    signals.join();
    return ok ? 0 : 1;
}

// The config file and what it points to; exit 0 when `serve` would start.
int cmd_check_config(const Args& a, const ServerConfig& cfg, std::ostream& out, std::ostream& err) {
    try {
        check_server_config(cfg);
        check_server_files(cfg);
    } catch (const ServerConfigError& e) {
        err << "error: " << e.what() << "\n"
            << "studio-server: " << a.flag("config").value_or("(no --config: defaults)")
            << ": serve will not start until this is fixed\n";
        return kExitConfig;
    }
    out << a.flag("config").value_or("(no --config: defaults)") << ": OK\n"
        << "database:  " << cfg.db_path << "\n"
        << "listen:    " << (cfg.plain_http ? "http" : "https") << "://" << cfg.listen_address << ":" << cfg.port << "\n";
    return 0;
}

}  // namespace

void print_admin_usage(std::ostream& out) {
    out << "usage: studio-server [--db PATH] [--config PATH] COMMAND\n"
           "\n"
           "  serve                          serve /api/v1 over HTTPS (cert_file, key_file in the config)\n"
           "  check-config                   check the config file, certificate and key; exit 78 if serve\n"
           "                                 would refuse to start\n"
           "  device add --studio NAME --name LABEL\n"
           "                                 add a kiosk; prints its bearer token once\n"
           "  device add --manager --name LABEL\n"
           "                                 add a manager token (attendance export)\n"
           "  device revoke --studio NAME --name LABEL | --manager --name LABEL\n"
           "  device list                    devices, their role and when they were last seen\n"
           "  import-clients FILE.csv [--skip-invalid]\n"
           "                                 add or update clients (by member code), as the kiosk's\n"
           "  import-schedule --studio NAME FILE.csv [--skip-invalid]\n"
           "                                 classes: date,start,duration_min,title[,coach,focus,uid]\n"
           "  focus set --studio NAME --date YYYY-MM-DD --title TEXT [--body TEXT]\n"
           "  export-attendance --studio NAME --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]\n"
           "                                 attendance CSV, the kiosk's format\n"
           "\n"
           "exit: 0 success, 1 failure (reason on stderr), 2 usage, 78 configuration error\n";
}

int run_admin_cli(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err, const Clock& clock) {
    Args a;
    try {
        a = parse(argv);
    } catch (const UsageError& e) {
        err << "studio-server: " << e.what() << "\n";
        print_admin_usage(err);
        return 2;
    }
    if (a.flag("help") || (!a.words.empty() && a.words[0] == "help")) {
        print_admin_usage(out);
        return 0;
    }
    if (a.words.empty()) {
        print_admin_usage(err);
        return 2;
    }
    const std::string& cmd = a.words[0];
    static const char* const known[] = {"serve", "device", "import-clients", "import-schedule", "focus",
                                        "export-attendance", "check-config"};
    bool is_known = false;
    for (const char* k : known) is_known |= cmd == k;
    if (!is_known) {
        err << "studio-server: unknown command \"" << cmd << "\"\n";
        print_admin_usage(err);
        return 2;
    }
    try {
        ServerConfig cfg;
        try {
            cfg = load(a);
            if (cmd == "serve") check_server_files(cfg);
        } catch (const ServerConfigError& e) {
            err << "studio-server: " << e.what() << "\n";
            return kExitConfig;
        }
        if (cmd == "check-config") return cmd_check_config(a, cfg, out, err);
        if (cmd == "serve") return cmd_serve(cfg, out, err);
        ServerStore store(cfg.db_path);
        if (cmd == "device") return cmd_device(a, store, out, err, clock);
        if (cmd == "import-clients") return cmd_import_clients(a, store, out, err, clock);
        if (cmd == "import-schedule") return cmd_import_schedule(a, store, out, err);
        if (cmd == "focus") return cmd_focus(a, store, out);
        if (cmd == "export-attendance") return cmd_export(a, store, out, err);
    } catch (const UsageError& e) {
        err << "studio-server: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "studio-server: " << e.what() << "\n";
        return 1;
    }
    return 2;
}

}  // namespace studio::server
