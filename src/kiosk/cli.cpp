// studio-kiosk command line
//  - argument parsing and config loading
//  - import-clients, search, checkin, export-attendance, status, demo-data
//  - sync --once (one pass with studio-server)
//  - check-config, backup
#include "kiosk/cli.h"

#include <SQLiteCpp/Exception.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <termios.h>
#include <unistd.h>

#include "core/checkin_text.h"
#include "core/search.h"
#include "core/text_fold.h"
#include "core/texts.h"
#include "store/database.h"
#include "store/demo_data.h"
#include "store/export_files.h"
#include "store/kiosk_store.h"
#include "store/sync_store.h"
#include "sync/engine.h"
#include "sync/indicator.h"
#include "sync/kiosk_sync.h"
#include "store/pins.h"
#include "store/self_care.h"
#include "core/log.h"
#include "kiosk/config_check.h"

namespace studio {

namespace {

// Flags that take a value; everything else starting with -- is a switch.
const char* const kValueFlags[] = {"--db", "--config", "--lang", "--code", "--client", "--class",
                                   "--from", "--to", "--out", "--windowed", "--role"};
const char* const kSwitches[] = {"--skip-invalid", "--help", "--once", "--exit-after-first-frame"};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

bool read_file(const std::string& path, std::string& out, std::string& why) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        why = "cannot open " + path;
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        why = "cannot read " + path;
        return false;
    }
    out = ss.str();
    return true;
}

Lang lang_of(const KioskConfig& cfg) {
    Lang l = Lang::En;
    lang_from_code(cfg.language, l);
    return l;
}

int cmd_import(const CliOptions& o, KioskStore& store, std::ostream& out, std::ostream& err, const Clock& clock) {
    if (o.args.size() != 1) throw UsageError("import-clients needs one FILE.csv");
    std::string text, why;
    if (!read_file(o.args[0], text, why)) {
        err << "studio-kiosk: " << why << "\n";
        return 1;
    }
    const bool skip = o.flag("skip-invalid").has_value();
    const ImportReport r = store.import_clients(text, skip, clock);
    for (const auto& p : r.problems) err << o.args[0] << ":" << p.line << ": " << p.reason << "\n";
    if (!r.imported) {
        err << "studio-kiosk: nothing imported: " << r.problems.size() << " bad row(s)"
            << (skip ? "" : " (fix them, or use --skip-invalid to import the good rows)") << "\n";
        return 1;
    }
    out << "imported " << (r.inserted + r.updated) << " client(s): " << r.inserted << " new, " << r.updated
        << " updated";
    if (!r.problems.empty()) out << "; skipped " << r.problems.size() << " bad row(s)";
    out << "\n";
    return 0;
}

int cmd_search(const CliOptions& o, KioskStore& store, std::ostream& out) {
    if (o.args.empty()) throw UsageError("search needs TEXT");
    std::string query;
    for (const auto& a : o.args) query += (query.empty() ? "" : " ") + a;
    SearchIndex index;
    index.build(store.search_entries());
    const auto hits = index.search(query);
    if (hits.empty()) {
        std::string letters;
        for (char ch : query)
            if (ch != ' ' && ch != '\t') letters += ch;
        out << (utf8_length(letters) < SearchLimits{}.min_chars ? "(type at least 2 characters)\n" : "(no match)\n");
        return 0;
    }
    for (const auto& h : hits) out << h.display << "\n";
    return 0;
}

int cmd_checkin(const CliOptions& o, KioskStore& store, const KioskConfig& cfg, std::ostream& out,
                std::ostream& err, const Clock& clock) {
    const auto code = o.flag("code"), client = o.flag("client"), cls = o.flag("class");
    if (code.has_value() == client.has_value()) throw UsageError("checkin needs --code CODE or --client ID");
    std::optional<Client> c;
    if (code) {
        c = store.client_by_code(*code);
        if (!c) {
            err << "studio-kiosk: no client with member code \"" << *code << "\"\n";
            return 1;
        }
    } else {
        char* end = nullptr;
        const long long id = std::strtoll(client->c_str(), &end, 10);
        if (client->empty() || *end) throw UsageError("--client needs a number");
        c = store.client_by_id(id);
        if (!c) {
            err << "studio-kiosk: no client with id " << *client << "\n";
            return 1;
        }
    }
    ClassPick pick;
    if (cls) {
        char* end = nullptr;
        pick = ClassPick::of(std::strtoll(cls->c_str(), &end, 10));
        if (cls->empty() || *end) throw UsageError("--class needs a number");
    }
    const auto outcome = store.check_in(c->id, Source::Cli, clock, cfg.rules, pick);
    const auto text = describe_checkin(outcome.client, outcome.cls, outcome.decision,
                                       store.focus_on(local_date(outcome.wall_time)), builtin_texts(), lang_of(cfg));
    if (text.already) {
        out << "Already checked in: nothing recorded\n";
    } else {
        out << text.welcome << "\n" << text.session << "\n";
    }
    out << text.class_line << "\n";
    out << "Pass: " << to_string(outcome.decision.pass.kind) << (text.pass_attention ? " (see the coach)" : "")
        << " - " << text.pass_line << "\n";
    for (const auto& m : text.messages) out << m << "\n";
    if (!text.focus_title.empty()) {
        out << builtin_texts().get(lang_of(cfg), "focus.label") << ": " << text.focus_title;
        if (!text.focus_body.empty()) out << " - " << text.focus_body;
        out << "\n";
    }
    if (!outcome.uuid.empty()) out << "check-in " << outcome.uuid << "\n";
    return 0;
}

int cmd_export(const CliOptions& o, KioskStore& store, std::ostream& out, std::ostream& err) {
    const auto from = o.flag("from"), to = o.flag("to"), file = o.flag("out");
    if (!from || !to) throw UsageError("export-attendance needs --from YYYY-MM-DD --to YYYY-MM-DD");
    if (!valid_date(*from)) throw UsageError("--from \"" + *from + "\" is not a date (YYYY-MM-DD)");
    if (!valid_date(*to)) throw UsageError("--to \"" + *to + "\" is not a date (YYYY-MM-DD)");
    if (*to < *from) throw UsageError("--to is before --from");
    const auto rows = store.attendance(*from, *to);
    std::string csv = attendance_csv_header();
    for (const auto& r : rows) csv += attendance_csv_row(r);
    if (!file || *file == "-") {
        out << csv;
        return 0;
    }
    // A file goes through the same writer as the manager screen's export: a temporary
    // file beside it, fsync, rename, fsync of the folder, so a full disk or a pulled
    // drive never leaves a half file that looks finished. A pipe or a device (which
    // cannot be renamed over) is written in place.
    std::error_code ec;
    const auto kind = std::filesystem::status(*file, ec).type();
    if (kind != std::filesystem::file_type::not_found && kind != std::filesystem::file_type::regular) {
        std::ofstream f(*file, std::ios::binary);
        f.write(csv.data(), static_cast<std::streamsize>(csv.size()));
        f.flush();
        if (!f) {
            err << "studio-kiosk: writing " << *file << " failed\n";
            return 1;
        }
    } else {
        const std::filesystem::path path(*file);
        const std::string dir = path.has_parent_path() ? path.parent_path().string() : ".";
        const ExportResult r = write_export(dir, path.filename().string(), csv);
        if (!r.ok()) {
            err << "studio-kiosk: cannot write " << *file << ": " << r.message << "\n";
            return 1;
        }
    }
    out << "exported " << rows.size() << " check-in(s) from " << *from << " to " << *to << " to " << *file << "\n";
    return 0;
}

std::string when(std::optional<Seconds> t) { return t ? local_date(*t) + " " + local_hhmm(*t) : "never"; }

// Every problem with the config, fatal or not; exit 0 when the kiosk would start.
int cmd_check_config(const CliOptions& o, const KioskConfig& cfg, std::ostream& out, std::ostream& err) {
    const auto problems = check_config(cfg);
    bool fatal = false;
    for (const auto& p : problems) {
        err << (p.fatal ? "error: " : "warning: ") << p.message << "\n";
        fatal |= p.fatal;
    }
    const std::string file = o.config_path.empty() ? "(no --config: defaults)" : o.config_path;
    if (fatal) {
        err << "studio-kiosk: " << file << ": the kiosk will not start until the errors above are fixed\n";
        return kExitConfig;
    }
    out << file << ": OK" << (problems.empty() ? "" : " (with warnings)") << "\n"
        << "database:  " << cfg.db_path << "\n"
        << "backups:   " << backup_dir_for(cfg) << " (newest " << cfg.backups_kept << " kept)\n"
        << "sync:      " << (cfg.server_url.empty() ? "off (standalone)" : cfg.server_url) << "\n";
    return 0;
}

int cmd_backup(KioskStore& store, const KioskConfig& cfg, std::ostream& out, std::ostream& err, const Clock& clock) {
    const BackupResult r = daily_backup(store.path(), backup_dir_for(cfg), local_date(clock.now()), cfg.backups_kept);
    if (!r.error.empty()) {
        err << "studio-kiosk: backup failed: " << r.error << "\n";
        return 1;
    }
    out << (r.made ? "backup written: " : "today's backup exists: ") << r.file;
    if (r.removed) out << " (" << r.removed << " old cop" << (r.removed == 1 ? "y" : "ies") << " removed)";
    out << "\n";
    return 0;
}

int cmd_status(KioskStore& store, const KioskConfig& cfg, std::ostream& out, const Clock& clock) {
    const StoreStatus s = store.status(clock);
    out << "database:        " << store.path() << " (schema " << s.schema_version << ")\n"
        << "clients:         " << s.clients << "\n"
        << "check-ins today: " << s.checkins_today << "\n"
        << "pending sync:    " << s.pending_sync << "\n";
    const SyncState st = sync_state(store);
    const auto ind = sync::sync_indicator(st, sync::sync_configured(cfg), clock.now());
    out << "server:          " << (cfg.server_url.empty() ? "(none: standalone)" : cfg.server_url) << "\n"
        << "last sync:       " << when(st.last_success) << "\n"
        << "last error:      " << (st.last_error.empty() ? "none" : st.last_error + " (" + when(st.last_error_at) + ")")
        << "\n"
        << "refused items:   " << st.rejected << "\n"
        << "sync:            " << sync::to_string(ind.level) << " - " << ind.line << "\n";
    const auto copies = list_backups(backup_dir_for(cfg));
    out << "backups:         " << copies.size() << " in " << backup_dir_for(cfg)
        << (copies.empty() ? "" : ", newest " + std::filesystem::path(copies.front()).filename().string()) << "\n";
    if (const long long free = free_bytes(std::filesystem::absolute(store.path()).parent_path().string()); free >= 0)
        out << "free storage:    " << (free >> 20) << " MB\n";
    for (const auto& e : unseen_health_events(store))
        out << "attention:       " << local_date(e.at) << " " << local_hhmm(e.at) << " " << e.kind
            << (e.detail.empty() ? "" : ": " + e.detail)
            << (e.kind == "repaired" ? " (" + std::to_string(e.saved) + " unsent entries recovered, " +
                                           std::to_string(e.lost) + " rows lost)"
                                     : "")
            << "\n";
    return 0;
}

// One pass: push everything pending (oldest first), then pull. Exit 0 only when
// nothing is left to deliver.
int cmd_sync(const CliOptions& o, KioskStore& store, const KioskConfig& cfg, std::ostream& out, std::ostream& err,
             const Clock& clock) {
    if (!o.flag("once")) throw UsageError("sync runs one pass: use `sync --once` (the kiosk screens sync continuously)");
    sync::TransportConfig transport;
    std::string why;
    if (!sync::transport_from_config(cfg, transport, why)) {
        err << "studio-kiosk: " << why << "\n";
        return 1;
    }
    sync::HttpClient http(transport);
    sync::SyncEngine engine(store, http, transport.tuning, clock);
    const sync::SyncReport r = engine.run_once();
    out << "delivered " << r.delivered << ", counted elsewhere " << r.superseded << ", refused " << r.rejected
        << ", received " << r.pulled << " change(s) in " << r.requests << " request(s); pending " << r.pending_after
        << "\n";
    if (!r.ok()) {
        err << "studio-kiosk: sync failed: " << sync::to_string(r.status) << ": " << r.detail << "\n";
        return 1;
    }
    if (r.pending_after > 0) {
        err << "studio-kiosk: " << r.pending_after << " entries still pending; run again\n";
        return 1;
    }
    return 0;
}

// The PIN comes on stdin, never on the command line (it would show in `ps` and
// the shell's history); on a terminal it is not echoed.
int cmd_set_pin(const CliOptions& o, KioskStore& store, std::istream& in, std::ostream& out, std::ostream& err) {
    const auto role = o.flag("role");
    if (!role || (*role != "coach" && *role != "manager")) throw UsageError("set-pin needs --role coach|manager");
    const bool tty = isatty(STDIN_FILENO) && &in == &std::cin;
    termios saved{};
    if (tty) {
        err << "New " << *role << " PIN (4-8 digits): " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string pin;
    std::getline(in, pin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        err << "\n";
    }
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    if (!valid_pin(pin)) {
        err << "studio-kiosk: a PIN is 4 to 8 digits; nothing changed\n";
        return 1;
    }
    set_staff_pin(store, *role, pin);
    out << *role << " PIN set\n";
    return 0;
}

}  // namespace

std::optional<std::string> CliOptions::flag(const std::string& name) const {
    for (const auto& [k, v] : flags)
        if (k == name) return v;
    return std::nullopt;
}

CliOptions parse_cli(const std::vector<std::string>& argv) {
    CliOptions o;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a == "-h" || a == "--help") {
            o.help = true;
            continue;
        }
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string name = a, value;
            const auto eq = a.find('=');
            bool has_inline = eq != std::string::npos;
            if (has_inline) {
                name = a.substr(0, eq);
                value = a.substr(eq + 1);
            }
            bool takes_value = false, known = false;
            for (const char* f : kValueFlags) if (name == f) takes_value = known = true;
            for (const char* f : kSwitches) if (name == f) known = true;
            if (!known) {
                o.error = "unknown option " + name;
                return o;
            }
            if (takes_value && !has_inline) {
                if (i + 1 >= argv.size()) {
                    o.error = name + " needs a value";
                    return o;
                }
                value = argv[++i];
            }
            if (name == "--db") o.db_path = value;
            else if (name == "--config") o.config_path = value;
            else if (name == "--lang") o.lang = value;
            else o.flags.emplace_back(name.substr(2), value);
            continue;
        }
        if (o.command.empty()) o.command = a;
        else o.args.push_back(a);
    }
    return o;
}

KioskConfig load_config(const CliOptions& opts) {
    KioskConfig cfg;
    if (!opts.config_path.empty()) {
        std::string text, why;
        if (!read_file(opts.config_path, text, why)) throw ConfigError(why);
        apply_config(cfg, text, opts.config_path);
    }
    if (!opts.db_path.empty()) cfg.db_path = opts.db_path;
    if (cfg.db_path.empty()) cfg.db_path = default_db_path();
    if (!opts.lang.empty()) {
        Lang l;
        if (!lang_from_code(opts.lang, l)) throw ConfigError("--lang must be en or ru");
        cfg.language = opts.lang;
    }
    LogLevel level = LogLevel::Info;
    log_level_from_name(cfg.log_level, level);
    set_log_level(level);
    return cfg;
}

void print_usage(std::ostream& out) {
    out << "usage: studio-kiosk [--db PATH] [--config PATH] [--lang en|ru] [COMMAND]\n"
           "\n"
           "  (no command) | run [--windowed WxH]\n"
           "                                 open the kiosk screens (fullscreen unless --windowed)\n"
           "  screenshots --out DIR          walk through the screens headless, write PNGs\n"
           "  import-clients FILE.csv [--skip-invalid]\n"
           "                                 add or update clients (by member code) from a CSV\n"
           "  search TEXT                    what the public screen shows for TEXT\n"
           "  checkin --code CODE | --client ID [--class ID]\n"
           "                                 check a client in by the kiosk's rules\n"
           "  export-attendance --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]\n"
           "                                 attendance as CSV (stdout without --out)\n"
           "  status                         clients, check-ins today, pending sync, last sync and error\n"
           "  sync --once                    send pending check-ins to studio-server and fetch its changes;\n"
           "                                 exit 0 when nothing is left pending\n"
           "  demo-data                      fill the database with a demo studio\n"
           "  set-pin --role coach|manager   set a staff PIN (read from stdin; stored hashed)\n"
           "  check-config                   check the config file and what it points to; exit 78 if the\n"
           "                                 kiosk would refuse to start\n"
           "  backup                         make today's database copy now (the kiosk does it daily)\n"
           "\n"
           "exit: 0 success, 1 failure (reason on stderr), 2 usage, 78 configuration error\n";
}

int run_cli(const CliOptions& o, std::ostream& out, std::ostream& err, const Clock& clock) {
    if (!o.error.empty()) {
        err << "studio-kiosk: " << o.error << "\n";
        print_usage(err);
        return 2;
    }
    if (o.help || o.command == "help") {
        print_usage(out);
        return 0;
    }
    static const char* const known[] = {"import-clients", "search", "checkin", "export-attendance", "status",
                                        "demo-data", "set-pin", "sync", "check-config", "backup"};
    bool is_known = false;
    for (const char* k : known) is_known |= o.command == k;
    if (!is_known) {
        err << "studio-kiosk: unknown command \"" << o.command << "\"\n";
        print_usage(err);
        return 2;
    }
    try {
        KioskConfig cfg;
        try {
            cfg = load_config(o);
        } catch (const ConfigError& e) {
            err << "studio-kiosk: " << e.what() << "\n";
            return kExitConfig;
        }
        if (o.command == "check-config") return cmd_check_config(o, cfg, out, err);
        KioskStore store(cfg.db_path);
        if (o.command == "backup") return cmd_backup(store, cfg, out, err, clock);
        if (o.command == "import-clients") return cmd_import(o, store, out, err, clock);
        if (o.command == "search") return cmd_search(o, store, out);
        if (o.command == "checkin") return cmd_checkin(o, store, cfg, out, err, clock);
        if (o.command == "export-attendance") return cmd_export(o, store, out, err);
        if (o.command == "status") return cmd_status(store, cfg, out, clock);
        if (o.command == "sync") return cmd_sync(o, store, cfg, out, err, clock);
        if (o.command == "set-pin") return cmd_set_pin(o, store, std::cin, out, err);
        if (o.command == "demo-data") {
            const auto s = load_demo_data(store, clock);
            out << "demo studio in " << cfg.db_path << ": " << s.clients << " clients, " << s.classes
                << " classes, " << s.past_visits << " earlier visits\n";
            return 0;
        }
    } catch (const UsageError& e) {
        err << "studio-kiosk: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        // SQLite, schema and config errors: one line, nothing half-written (transactions roll back).
        err << "studio-kiosk: " << e.what() << "\n";
        return 1;
    }
    return 2;
}

}  // namespace studio
