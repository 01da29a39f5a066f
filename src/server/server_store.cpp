// ServerStore
//  - helpers: change sequence, tokens, row readers
//  - admin: studios, devices, client and schedule import, focus, attendance
//  - push: clients, check-ins (one per client per class, idempotent by uuid forever), voids,
//    a kiosk's focus override (last push wins; the same focus again is a duplicate)
//  - changes feed
#include "server/server_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <openssl/evp.h>
#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/client_import.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/uuid.h"
#include "store/database.h"

namespace studio::server {

namespace {

constexpr Seconds kFutureSlack = 5 * 60;             // kiosk clock ahead of ours by more: flagged
constexpr Seconds kTooOld = 400 * 86400;             // older than this: flagged (weeks offline are normal)
constexpr Seconds kFarFromClass = 12 * 3600;         // check-in this far from its class's start: flagged

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string hex(const unsigned char* p, std::size_t n) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        s += digits[p[i] >> 4];
        s += digits[p[i] & 15];
    }
    return s;
}

std::string sha256_hex(std::string_view data) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    return hex(md, len);
}

void bind_text_or_null(SQLite::Statement& q, int idx, const std::string& s) {
    if (s.empty()) q.bind(idx);
    else q.bind(idx, s);
}

void bind_id_or_null(SQLite::Statement& q, int idx, std::optional<std::int64_t> id) {
    if (id) q.bind(idx, *id);
    else q.bind(idx);
}

// The next change sequence number, in the caller's transaction.
std::int64_t next_seq(SQLite::Database& db) {
    db.exec("UPDATE change_counter SET value = value + 1 WHERE id = 1");
    return db.execAndGet("SELECT value FROM change_counter WHERE id = 1").getInt64();
}

std::optional<std::int64_t> studio_id_of(SQLite::Database& db, const std::string& name) {
    SQLite::Statement q(db, "SELECT id FROM studios WHERE name = ?");
    q.bind(1, name);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
}

std::int64_t require_studio(SQLite::Database& db, const std::string& name) {
    auto id = studio_id_of(db, name);
    if (!id) throw AdminError("no studio named \"" + name + "\" (a studio exists once a device is added to it)");
    return *id;
}

constexpr const char* kCheckinSelect =
    "SELECT k.uuid, cl.uid, c.uid, k.wall_time, k.local_date, k.clock_synced, k.monotonic_ms, k.source, "
    "k.session_number, k.pass_state, k.voided, k.voided_at, k.voided_by, d.label, k.received_at, k.time_flag, "
    "k.change_seq, k.client_id, k.class_id "
    "FROM checkins k JOIN clients cl ON cl.id = k.client_id LEFT JOIN classes c ON c.id = k.class_id "
    "JOIN devices d ON d.id = k.device_id ";

SyncCheckIn read_checkin(SQLite::Statement& q) {
    SyncCheckIn k;
    k.uuid = q.getColumn(0).getString();
    k.client_uid = q.getColumn(1).getString();
    k.class_uid = q.getColumn(2).getString();
    k.wall_time = q.getColumn(3).getInt64();
    k.local_date = q.getColumn(4).getString();
    k.clock_synced = q.getColumn(5).getInt() != 0;
    k.monotonic_ms = q.getColumn(6).getInt64();
    k.source = q.getColumn(7).getString();
    k.session_number = q.getColumn(8).getInt();
    k.pass_state = q.getColumn(9).getString();
    k.voided = q.getColumn(10).getInt() != 0;
    k.voided_at = q.getColumn(11).getInt64();
    k.voided_by = q.getColumn(12).getString();
    k.device = q.getColumn(13).getString();
    k.received_at = q.getColumn(14).getInt64();
    k.time_flag = q.getColumn(15).getString();
    return k;
}

std::optional<SyncCheckIn> checkin_by_uuid(SQLite::Database& db, const std::string& uuid) {
    SQLite::Statement q(db, std::string(kCheckinSelect) + "WHERE k.uuid = ?");
    q.bind(1, uuid);
    if (!q.executeStep()) return std::nullopt;
    return read_checkin(q);
}

constexpr const char* kClientSelect =
    "SELECT uid, COALESCE(member_code, ''), first_name, last_name, phone, email, prior_sessions, change_seq, id "
    "FROM clients ";

SyncClient read_client(SQLite::Statement& q) {
    SyncClient c;
    c.uid = q.getColumn(0).getString();
    c.member_code = q.getColumn(1).getString();
    c.first_name = q.getColumn(2).getString();
    c.last_name = q.getColumn(3).getString();
    c.phone = q.getColumn(4).getString();
    c.email = q.getColumn(5).getString();
    c.prior_sessions = q.getColumn(6).getInt();
    return c;
}

constexpr const char* kClassSelect =
    "SELECT uid, starts_at, duration_min, title, coach, focus, change_seq, id FROM classes ";

SyncClass read_class(SQLite::Statement& q) {
    SyncClass c;
    c.uid = q.getColumn(0).getString();
    c.starts_at = q.getColumn(1).getInt64();
    c.duration_min = q.getColumn(2).getInt();
    c.title = q.getColumn(3).getString();
    c.coach = q.getColumn(4).getString();
    c.focus = q.getColumn(5).getString();
    return c;
}

// The server's client for a kiosk's snapshot: same uid, else same member code, else
// a new client under the kiosk's uid (a walk-in, or one the kiosk imported itself).
std::int64_t resolve_client(SQLite::Database& db, const SyncClient& c, Seconds now, bool& created) {
    created = false;
    {
        SQLite::Statement q(db, "SELECT id FROM clients WHERE uid = ?");
        q.bind(1, c.uid);
        if (q.executeStep()) return q.getColumn(0).getInt64();
    }
    if (!c.member_code.empty()) {
        SQLite::Statement q(db, "SELECT id FROM clients WHERE member_key = ?");
        q.bind(1, lower_ascii(c.member_code));
        if (q.executeStep()) return q.getColumn(0).getInt64();
    }
    SQLite::Statement ins(db, "INSERT INTO clients (uid, member_code, member_key, first_name, last_name, phone, email, "
                              "prior_sessions, created_at, updated_at, change_seq) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    ins.bind(1, c.uid);
    bind_text_or_null(ins, 2, c.member_code);
    bind_text_or_null(ins, 3, lower_ascii(c.member_code));
    ins.bind(4, c.first_name);
    ins.bind(5, c.last_name);
    ins.bind(6, c.phone);
    ins.bind(7, c.email);
    ins.bind(8, c.prior_sessions);
    ins.bind(9, static_cast<std::int64_t>(now));
    ins.bind(10, static_cast<std::int64_t>(now));
    ins.bind(11, next_seq(db));
    ins.executeStep();
    created = true;
    return ins.getColumn(0).getInt64();
}

std::string uid_of_client(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement q(db, "SELECT uid FROM clients WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::string time_flag(const SyncCheckIn& k, const std::optional<SyncClass>& cls, Seconds now) {
    std::string flags;
    auto add = [&](const char* f) { flags += (flags.empty() ? "" : ",") + std::string(f); };
    if (!k.clock_synced) add("clock_not_synced");
    if (k.wall_time > now + kFutureSlack) add("in_future");
    else if (k.wall_time < now - kTooOld) add("too_old");
    if (cls && (k.wall_time > cls->starts_at + kFarFromClass || k.wall_time < cls->starts_at - kFarFromClass))
        add("far_from_class");
    return flags;
}

PushItemResult duplicate_of(const std::string& ref, const std::string& canonical, SQLite::Database& db) {
    PushItemResult r;
    r.ref = ref;
    r.result = PushOutcome::Duplicate;
    r.canonical = canonical;
    if (canonical != ref) r.canonical_checkin = checkin_by_uuid(db, canonical);
    return r;
}

PushItemResult rejected(const std::string& ref, std::string reason) {
    PushItemResult r;
    r.ref = ref;
    r.result = PushOutcome::Rejected;
    r.reason = std::move(reason);
    return r;
}

PushItemResult push_client(SQLite::Database& db, const OutboxItem& item, Seconds now) {
    bool created = false;
    const std::int64_t id = resolve_client(db, item.client, now, created);
    if (created) {
        PushItemResult r;
        r.ref = item.ref;
        r.result = PushOutcome::Stored;
        return r;
    }
    PushItemResult r;
    r.ref = item.ref;
    r.result = PushOutcome::Duplicate;
    r.canonical = uid_of_client(db, id);
    return r;
}

PushItemResult push_checkin(SQLite::Database& db, const Device& dev, const OutboxItem& item, Seconds now) {
    const SyncCheckIn& k = item.checkin;
    // Idempotent forever: a uuid seen once gets the same answer every time.
    {
        SQLite::Statement q(db, "SELECT 1 FROM checkins WHERE uuid = ?");
        q.bind(1, k.uuid);
        if (q.executeStep()) return duplicate_of(k.uuid, k.uuid, db);
    }
    {
        SQLite::Statement q(db, "SELECT canonical_uuid FROM superseded_checkins WHERE uuid = ?");
        q.bind(1, k.uuid);
        if (q.executeStep()) return duplicate_of(k.uuid, q.getColumn(0).getString(), db);
    }

    bool created = false;
    const std::int64_t client_id = resolve_client(db, item.client, now, created);

    std::optional<std::int64_t> class_id;
    if (item.cls) {
        SQLite::Statement q(db, "SELECT id, studio_id FROM classes WHERE uid = ?");
        q.bind(1, item.cls->uid);
        if (q.executeStep()) {
            if (q.getColumn(1).getInt64() != dev.studio_id)
                return rejected(k.uuid, "class " + item.cls->uid + " belongs to another studio");
            class_id = q.getColumn(0).getInt64();
        } else {
            // A class the kiosk knows and the server does not (set up on the kiosk):
            // keep it, under this kiosk's studio.
            SQLite::Statement ins(db, "INSERT INTO classes (uid, studio_id, starts_at, duration_min, title, coach, "
                                      "focus, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
            ins.bind(1, item.cls->uid);
            ins.bind(2, dev.studio_id);
            ins.bind(3, static_cast<std::int64_t>(item.cls->starts_at));
            ins.bind(4, item.cls->duration_min);
            ins.bind(5, item.cls->title);
            ins.bind(6, item.cls->coach);
            ins.bind(7, item.cls->focus);
            ins.bind(8, next_seq(db));
            ins.executeStep();
            class_id = ins.getColumn(0).getInt64();
        }
    }

    if (!k.voided) {
        // The kiosk's rule, again on the server: one per client per class; a visit
        // without a class, once a day and not after one with a class that day.
        SQLite::Statement q(db, class_id ? "SELECT uuid FROM checkins WHERE client_id = ? AND voided = 0 AND class_id = ? "
                                           "ORDER BY id LIMIT 1"
                                         : "SELECT uuid FROM checkins WHERE client_id = ? AND voided = 0 AND "
                                           "local_date = ? ORDER BY id LIMIT 1");
        q.bind(1, client_id);
        if (class_id) q.bind(2, *class_id);
        else q.bind(2, k.local_date);
        if (q.executeStep()) {
            const std::string canonical = q.getColumn(0).getString();
            q.reset();
            SQLite::Statement s(db, "INSERT INTO superseded_checkins (uuid, canonical_uuid, studio_id, device_id, "
                                    "client_id, class_id, wall_time, local_date, clock_synced, received_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            s.bind(1, k.uuid);
            s.bind(2, canonical);
            s.bind(3, dev.studio_id);
            s.bind(4, dev.id);
            s.bind(5, client_id);
            bind_id_or_null(s, 6, class_id);
            s.bind(7, static_cast<std::int64_t>(k.wall_time));
            s.bind(8, k.local_date);
            s.bind(9, k.clock_synced ? 1 : 0);
            s.bind(10, static_cast<std::int64_t>(now));
            s.exec();
            return duplicate_of(k.uuid, canonical, db);
        }
    }

    SQLite::Statement ins(db, "INSERT INTO checkins (uuid, studio_id, device_id, client_id, class_id, wall_time, "
                              "local_date, clock_synced, monotonic_ms, source, session_number, pass_state, received_at, "
                              "time_flag, voided, voided_at, voided_by, change_seq) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, k.uuid);
    ins.bind(2, dev.studio_id);
    ins.bind(3, dev.id);
    ins.bind(4, client_id);
    bind_id_or_null(ins, 5, class_id);
    ins.bind(6, static_cast<std::int64_t>(k.wall_time));
    ins.bind(7, k.local_date);
    ins.bind(8, k.clock_synced ? 1 : 0);
    ins.bind(9, static_cast<std::int64_t>(k.monotonic_ms));
    ins.bind(10, k.source);
    ins.bind(11, k.session_number);
    ins.bind(12, k.pass_state);
    ins.bind(13, static_cast<std::int64_t>(now));
    ins.bind(14, time_flag(k, item.cls, now));
    ins.bind(15, k.voided ? 1 : 0);
    if (k.voided) {
        ins.bind(16, static_cast<std::int64_t>(k.voided_at));
        ins.bind(17, k.voided_by);
    } else {
        ins.bind(16);
        ins.bind(17);
    }
    ins.bind(18, next_seq(db));
    ins.exec();
    PushItemResult r;
    r.ref = k.uuid;
    r.result = PushOutcome::Stored;
    return r;
}

PushItemResult push_void(SQLite::Database& db, const Device& dev, const OutboxItem& item) {
    const SyncVoid& v = item.void_;
    SQLite::Statement q(db, "SELECT studio_id, voided FROM checkins WHERE uuid = ?");
    q.bind(1, v.uuid);
    if (q.executeStep()) {
        if (q.getColumn(0).getInt64() != dev.studio_id) return rejected(v.uuid, "check-in of another studio");
        if (q.getColumn(1).getInt() != 0) return duplicate_of(v.uuid, v.uuid, db);
        q.reset();
        SQLite::Statement u(db, "UPDATE checkins SET voided = 1, voided_at = ?, voided_by = ?, change_seq = ? "
                                "WHERE uuid = ?");
        u.bind(1, static_cast<std::int64_t>(v.voided_at));
        u.bind(2, v.voided_by);
        u.bind(3, next_seq(db));
        u.bind(4, v.uuid);
        u.exec();
        PushItemResult r;
        r.ref = v.uuid;
        r.result = PushOutcome::Stored;
        return r;
    }
    SQLite::Statement s(db, "SELECT canonical_uuid FROM superseded_checkins WHERE uuid = ?");
    s.bind(1, v.uuid);
    if (s.executeStep())
        return rejected(v.uuid, "this check-in was not counted: the visit counts under " + s.getColumn(0).getString() +
                                    "; void that one instead");
    return rejected(v.uuid, "no such check-in on the server");
}

// Upserts a studio's focus for a day as a new change, in the caller's transaction:
// the admin's `focus set` and a kiosk's pushed override store it the same way.
void store_focus(SQLite::Database& db, std::int64_t studio_id, const SyncFocus& f) {
    SQLite::Statement q(db, "INSERT INTO day_focus (studio_id, date, title, body, change_seq) VALUES (?, ?, ?, ?, ?) "
                            "ON CONFLICT (studio_id, date) DO UPDATE SET title = excluded.title, body = excluded.body, "
                            "change_seq = excluded.change_seq");
    q.bind(1, studio_id);
    q.bind(2, f.date);
    q.bind(3, f.title);
    q.bind(4, f.body);
    q.bind(5, next_seq(db));
    q.exec();
}

// Why a focus can never be stored, or "" when it can. The codec refuses all of this
// with a 400 already; this keeps the store safe whoever calls it.
std::string focus_problem(const SyncFocus& f) {
    if (!valid_date(f.date)) return "date: not a date (YYYY-MM-DD)";
    if (f.title.empty()) return "title: a focus needs a title";
    if (f.title.size() > kSyncMaxText) return "title: longer than " + std::to_string(kSyncMaxText) + " bytes";
    if (f.body.size() > kSyncMaxLongText) return "body: longer than " + std::to_string(kSyncMaxLongText) + " bytes";
    if (!is_valid_utf8(f.title) || !is_valid_utf8(f.body)) return "not valid UTF-8";
    return {};
}

// A manager's override of the day's focus on a kiosk, for that kiosk's studio. The
// last push wins, like the admin's `focus set`; the same focus again (a resend after
// a lost answer) is a duplicate and changes nothing, so the feed does not repeat it.
PushItemResult push_focus(SQLite::Database& db, const Device& dev, const OutboxItem& item) {
    const SyncFocus& f = item.focus;
    if (std::string why = focus_problem(f); !why.empty()) return rejected(item.ref, std::move(why));
    if (dev.studio_id == 0) return rejected(item.ref, "this device belongs to no studio");
    PushItemResult r;
    r.ref = item.ref;
    {
        SQLite::Statement q(db, "SELECT title, body FROM day_focus WHERE studio_id = ? AND date = ?");
        q.bind(1, dev.studio_id);
        q.bind(2, f.date);
        if (q.executeStep() && q.getColumn(0).getString() == f.title && q.getColumn(1).getString() == f.body) {
            r.result = PushOutcome::Duplicate;
            r.canonical = item.ref;
            return r;
        }
    }
    store_focus(db, dev.studio_id, f);
    r.result = PushOutcome::Stored;
    return r;
}

bool parse_hhmm(std::string_view s, int& h, int& m) {
    if (s.size() != 5 || s[2] != ':') return false;
    for (std::size_t i : {0u, 1u, 3u, 4u})
        if (s[i] < '0' || s[i] > '9') return false;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    return h < 24 && m < 60;
}

}  // namespace

const char* to_string(Role r) { return r == Role::Manager ? "manager" : "kiosk"; }

std::string token_hash(std::string_view token) { return sha256_hex(token); }

std::string new_token() {
    unsigned char b[32];
    std::size_t got = 0;
    while (got < sizeof b) {
        const ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0) throw std::runtime_error("getrandom failed");
        got += static_cast<std::size_t>(n);
    }
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string s = "sst_";   // recognisable in a config file or a leak scanner
    unsigned bits = 0, acc = 0;
    for (unsigned char c : b) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            s += alphabet[(acc >> bits) & 63];
        }
    }
    if (bits > 0) s += alphabet[(acc << (6 - bits)) & 63];
    return s;
}

ServerStore::ServerStore(const std::string& path) {
    static const std::vector<Migration> server = builtin_migrations("server");
    db_ = open_database(path, server);
}
ServerStore::~ServerStore() = default;

// ---- admin ----------------------------------------------------------------------

std::int64_t ServerStore::ensure_studio(const std::string& name) {
    std::lock_guard lock(mu_);
    if (name.empty()) throw AdminError("a studio needs a name");
    if (auto id = studio_id_of(*db_, name)) return *id;
    SQLite::Statement q(*db_, "INSERT INTO studios (name, created_at) VALUES (?, ?) RETURNING id");
    q.bind(1, name);
    q.bind(2, static_cast<std::int64_t>(SystemClock().now()));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::string ServerStore::add_device(const std::string& studio, const std::string& label, Role role, Seconds now) {
    if (label.empty()) throw AdminError("a device needs a name (--name)");
    if (role == Role::Kiosk && studio.empty()) throw AdminError("a kiosk belongs to a studio (--studio)");
    std::optional<std::int64_t> studio_id;
    if (!studio.empty()) studio_id = ensure_studio(studio);
    std::lock_guard lock(mu_);
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    {
        SQLite::Statement q(*db_, "SELECT COUNT(*) FROM devices WHERE label = ? AND role = ? AND revoked_at IS NULL AND "
                                  "(studio_id = ? OR (studio_id IS NULL AND ? IS NULL))");
        q.bind(1, label);
        q.bind(2, to_string(role));
        bind_id_or_null(q, 3, studio_id);
        bind_id_or_null(q, 4, studio_id);
        q.executeStep();
        if (q.getColumn(0).getInt() > 0)
            throw AdminError("an active " + std::string(to_string(role)) + " named \"" + label + "\" exists" +
                             (studio.empty() ? "" : " in " + studio) + "; revoke it first");
    }
    const std::string token = new_token();
    SQLite::Statement ins(*db_, "INSERT INTO devices (studio_id, label, role, token_sha256, created_at) VALUES (?, ?, ?, ?, ?)");
    bind_id_or_null(ins, 1, studio_id);
    ins.bind(2, label);
    ins.bind(3, to_string(role));
    ins.bind(4, token_hash(token));
    ins.bind(5, static_cast<std::int64_t>(now));
    ins.exec();
    tx.commit();
    return token;
}

bool ServerStore::revoke_device(const std::string& studio, const std::string& label, Role role, Seconds now) {
    std::lock_guard lock(mu_);
    std::optional<std::int64_t> studio_id;
    if (!studio.empty()) studio_id = require_studio(*db_, studio);
    SQLite::Statement q(*db_, "UPDATE devices SET revoked_at = ? WHERE label = ? AND role = ? AND revoked_at IS NULL AND "
                              "(studio_id = ? OR (studio_id IS NULL AND ? IS NULL))");
    q.bind(1, static_cast<std::int64_t>(now));
    q.bind(2, label);
    q.bind(3, to_string(role));
    bind_id_or_null(q, 4, studio_id);
    bind_id_or_null(q, 5, studio_id);
    return q.exec() > 0;
}

std::vector<Device> ServerStore::devices() {
    std::lock_guard lock(mu_);
    std::vector<Device> out;
    SQLite::Statement q(*db_, "SELECT d.id, COALESCE(d.studio_id, 0), COALESCE(s.name, ''), d.label, d.role, "
                              "d.revoked_at IS NOT NULL, d.last_seen_at FROM devices d "
                              "LEFT JOIN studios s ON s.id = d.studio_id ORDER BY s.name, d.label, d.id");
    while (q.executeStep()) {
        Device d;
        d.id = q.getColumn(0).getInt64();
        d.studio_id = q.getColumn(1).getInt64();
        d.studio = q.getColumn(2).getString();
        d.label = q.getColumn(3).getString();
        d.role = q.getColumn(4).getString() == "manager" ? Role::Manager : Role::Kiosk;
        d.revoked = q.getColumn(5).getInt() != 0;
        if (!q.getColumn(6).isNull()) d.last_seen = q.getColumn(6).getInt64();
        out.push_back(std::move(d));
    }
    return out;
}

ImportReport ServerStore::import_clients(std::string_view csv_text, bool skip_invalid, Seconds now) {
    ImportReport report;
    ParsedImport parsed = parse_client_csv(csv_text);
    report.problems = parsed.problems;
    if (!parsed.header_ok || (!parsed.problems.empty() && !skip_invalid)) return report;

    std::lock_guard lock(mu_);
    auto& db = *db_;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& row : parsed.rows) {
        const Client& c = row.client;
        const std::string key = lower_ascii(c.member_code);
        std::int64_t id = 0;
        SQLite::Statement q(db, std::string(kClientSelect) + "WHERE member_key = ?");
        q.bind(1, key);
        if (q.executeStep()) {
            id = q.getColumn(8).getInt64();
            const SyncClient old = read_client(q);
            q.reset();
            if (old.member_code != c.member_code || old.first_name != c.first_name || old.last_name != c.last_name ||
                old.phone != c.phone || old.email != c.email || old.prior_sessions != c.prior_sessions) {
                SQLite::Statement u(db, "UPDATE clients SET member_code = ?, first_name = ?, last_name = ?, phone = ?, "
                                        "email = ?, prior_sessions = ?, updated_at = ?, change_seq = ? WHERE id = ?");
                u.bind(1, c.member_code);
                u.bind(2, c.first_name);
                u.bind(3, c.last_name);
                u.bind(4, c.phone);
                u.bind(5, c.email);
                u.bind(6, c.prior_sessions);
                u.bind(7, static_cast<std::int64_t>(now));
                u.bind(8, next_seq(db));
                u.bind(9, id);
                u.exec();
            }
            ++report.updated;
        } else {
            q.reset();
            SyncClient s;
            s.uid = new_uuid();
            s.member_code = c.member_code;
            s.first_name = c.first_name;
            s.last_name = c.last_name;
            s.phone = c.phone;
            s.email = c.email;
            s.prior_sessions = c.prior_sessions;
            bool created = false;
            id = resolve_client(db, s, now, created);
            ++report.inserted;
        }
        if (row.pass) {
            const Pass& p = *row.pass;
            SQLite::Statement old(db, "SELECT sessions_total, valid_until FROM passes WHERE client_id = ? AND valid_from = ?");
            old.bind(1, id);
            old.bind(2, p.valid_from);
            bool same = false;
            if (old.executeStep()) {
                const bool unlimited = old.getColumn(0).isNull();
                same = unlimited == !p.sessions_total && (unlimited || old.getColumn(0).getInt() == *p.sessions_total) &&
                       old.getColumn(1).getString() == p.valid_until;
            }
            old.reset();
            if (!same) {
                SQLite::Statement u(db, "INSERT INTO passes (client_id, sessions_total, valid_from, valid_until, change_seq) "
                                        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id, valid_from) DO UPDATE SET "
                                        "sessions_total = excluded.sessions_total, valid_until = excluded.valid_until, "
                                        "change_seq = excluded.change_seq");
                u.bind(1, id);
                if (p.sessions_total) u.bind(2, *p.sessions_total);
                else u.bind(2);
                u.bind(3, p.valid_from);
                u.bind(4, p.valid_until);
                u.bind(5, next_seq(db));
                u.exec();
            }
        }
    }
    tx.commit();
    report.imported = true;
    return report;
}

ScheduleReport ServerStore::import_schedule(const std::string& studio, std::string_view csv_text, bool skip_invalid) {
    ScheduleReport report;
    const auto records = parse_csv(csv_text);
    if (records.empty()) {
        report.problems.push_back({1, "empty file: expected a header row"});
        return report;
    }
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < records[0].fields.size(); ++i) {
        std::string name = lower_ascii(records[0].fields[i]);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        col[name] = i;
    }
    for (const char* need : {"date", "start", "duration_min", "title"})
        if (!col.count(need)) report.problems.push_back({1, std::string("missing column ") + need});
    if (!report.problems.empty()) return report;
    auto field = [&](const CsvRecord& r, const char* name) -> std::string {
        auto it = col.find(name);
        return it != col.end() && it->second < r.fields.size() ? r.fields[it->second] : std::string();
    };

    std::vector<SyncClass> rows;
    for (std::size_t i = 1; i < records.size(); ++i) {
        const CsvRecord& r = records[i];
        if (!r.error.empty()) {
            report.problems.push_back({r.line, r.error});
            continue;
        }
        const std::string date = field(r, "date"), start = field(r, "start"), dur = field(r, "duration_min");
        SyncClass c;
        int y, mo, d, h, mi;
        if (!parse_date(date, y, mo, d)) {
            report.problems.push_back({r.line, "date: not a date (YYYY-MM-DD)"});
            continue;
        }
        if (!parse_hhmm(start, h, mi)) {
            report.problems.push_back({r.line, "start: expected HH:MM"});
            continue;
        }
        char* end = nullptr;
        const long minutes = std::strtol(dur.c_str(), &end, 10);
        if (dur.empty() || *end || minutes < 1 || minutes > 24 * 60) {
            report.problems.push_back({r.line, "duration_min: a number of minutes from 1 to 1440"});
            continue;
        }
        c.title = field(r, "title");
        if (c.title.empty() || c.title.size() > 200) {
            report.problems.push_back({r.line, "title: required, at most 200 bytes"});
            continue;
        }
        c.coach = field(r, "coach");
        c.focus = field(r, "focus");
        LocalTime lt;
        lt.year = y;
        lt.month = mo;
        lt.day = d;
        lt.hour = h;
        lt.minute = mi;
        c.starts_at = from_local(lt);
        c.duration_min = static_cast<int>(minutes);
        c.uid = field(r, "uid");
        // Without a uid, the same row imported twice is the same class.
        if (c.uid.empty()) c.uid = "class-" + sha256_hex(studio + "|" + date + "|" + start + "|" + c.title).substr(0, 32);
        if (c.uid.size() > 64) {
            report.problems.push_back({r.line, "uid: at most 64 characters"});
            continue;
        }
        rows.push_back(std::move(c));
    }
    if (!report.problems.empty() && !skip_invalid) return report;

    std::lock_guard lock(mu_);
    auto& db = *db_;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const std::int64_t studio_id = require_studio(db, studio);
    for (const auto& c : rows) {
        SQLite::Statement q(db, "SELECT studio_id FROM classes WHERE uid = ?");
        q.bind(1, c.uid);
        const bool exists = q.executeStep();
        if (exists && q.getColumn(0).getInt64() != studio_id)
            throw AdminError("class uid " + c.uid + " belongs to another studio");
        q.reset();
        SQLite::Statement u(db, "INSERT INTO classes (uid, studio_id, starts_at, duration_min, title, coach, focus, change_seq) "
                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (uid) DO UPDATE SET "
                                "starts_at = excluded.starts_at, duration_min = excluded.duration_min, "
                                "title = excluded.title, coach = excluded.coach, focus = excluded.focus, "
                                "change_seq = excluded.change_seq");
        u.bind(1, c.uid);
        u.bind(2, studio_id);
        u.bind(3, static_cast<std::int64_t>(c.starts_at));
        u.bind(4, c.duration_min);
        u.bind(5, c.title);
        u.bind(6, c.coach);
        u.bind(7, c.focus);
        u.bind(8, next_seq(db));
        u.exec();
        (exists ? report.updated : report.inserted)++;
    }
    tx.commit();
    report.imported = true;
    return report;
}

void ServerStore::set_focus(const std::string& studio, const SyncFocus& f) {
    if (!valid_date(f.date)) throw AdminError("--date \"" + f.date + "\" is not a date (YYYY-MM-DD)");
    if (f.title.empty()) throw AdminError("a focus needs a title");
    std::lock_guard lock(mu_);
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    store_focus(*db_, require_studio(*db_, studio), f);
    tx.commit();
}

std::vector<AttendanceRow> ServerStore::attendance(const std::string& studio, const std::string& from,
                                                   const std::string& to) {
    std::lock_guard lock(mu_);
    const std::int64_t studio_id = require_studio(*db_, studio);
    std::vector<AttendanceRow> out;
    SQLite::Statement q(*db_,
                        "SELECT k.local_date, k.wall_time, c.title, c.starts_at, c.coach, cl.first_name, cl.last_name, "
                        "COALESCE(cl.member_code, ''), k.session_number, k.source, k.pass_state, k.clock_synced, k.uuid "
                        "FROM checkins k JOIN clients cl ON cl.id = k.client_id "
                        "LEFT JOIN classes c ON c.id = k.class_id "
                        "WHERE k.studio_id = ? AND k.voided = 0 AND k.local_date >= ? AND k.local_date <= ? "
                        "ORDER BY k.wall_time, k.id");
    q.bind(1, studio_id);
    q.bind(2, from);
    q.bind(3, to);
    while (q.executeStep()) {
        AttendanceRow r;
        r.date = q.getColumn(0).getString();
        r.time = local_hhmm(q.getColumn(1).getInt64());
        r.class_title = q.getColumn(2).getString();
        if (!q.getColumn(3).isNull()) r.class_start = local_hhmm(q.getColumn(3).getInt64());
        r.coach = q.getColumn(4).getString();
        r.first_name = q.getColumn(5).getString();
        r.last_name = q.getColumn(6).getString();
        r.member_code = q.getColumn(7).getString();
        r.session_number = q.getColumn(8).getInt();
        r.source = q.getColumn(9).getString();
        r.pass_state = q.getColumn(10).getString();
        r.clock_synced = q.getColumn(11).getInt() != 0;
        r.checkin_id = q.getColumn(12).getString();
        out.push_back(std::move(r));
    }
    return out;
}

// ---- protocol ----------------------------------------------------------------------

std::optional<Device> ServerStore::authenticate(std::string_view token, Seconds now) {
    if (token.empty() || token.size() > 256) return std::nullopt;
    const std::string hash = token_hash(token);
    std::lock_guard lock(mu_);
    SQLite::Statement q(*db_, "SELECT d.id, COALESCE(d.studio_id, 0), COALESCE(s.name, ''), d.label, d.role, d.last_seen_at "
                              "FROM devices d LEFT JOIN studios s ON s.id = d.studio_id "
                              "WHERE d.token_sha256 = ? AND d.revoked_at IS NULL");
    q.bind(1, hash);
    if (!q.executeStep()) return std::nullopt;
    Device d;
    d.id = q.getColumn(0).getInt64();
    d.studio_id = q.getColumn(1).getInt64();
    d.studio = q.getColumn(2).getString();
    d.label = q.getColumn(3).getString();
    d.role = q.getColumn(4).getString() == "manager" ? Role::Manager : Role::Kiosk;
    const Seconds seen = q.getColumn(5).isNull() ? 0 : q.getColumn(5).getInt64();
    q.reset();
    if (now - seen >= 60) {   // a write per minute at most, not one per request
        SQLite::Statement u(*db_, "UPDATE devices SET last_seen_at = ? WHERE id = ?");
        u.bind(1, static_cast<std::int64_t>(now));
        u.bind(2, d.id);
        u.exec();
    }
    d.last_seen = now;
    return d;
}

std::vector<PushItemResult> ServerStore::push(const Device& device, const std::vector<OutboxItem>& items, Seconds now) {
    std::lock_guard lock(mu_);
    std::vector<PushItemResult> out;
    out.reserve(items.size());
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& item : items) {
        switch (item.kind) {
            case OutboxKind::Client: out.push_back(push_client(*db_, item, now)); break;
            case OutboxKind::CheckIn: out.push_back(push_checkin(*db_, device, item, now)); break;
            case OutboxKind::Void: out.push_back(push_void(*db_, device, item)); break;
            case OutboxKind::Focus: out.push_back(push_focus(*db_, device, item)); break;
        }
    }
    tx.commit();
    return out;
}

ChangesPage ServerStore::changes(const Device& device, std::int64_t cursor, std::size_t limit) {
    std::lock_guard lock(mu_);
    auto& db = *db_;
    ChangesPage page;
    SQLite::Transaction tx(db);   // one snapshot for every table and the counter
    const auto lim = static_cast<std::int64_t>(limit);

    struct Row {
        std::int64_t seq;
        int kind;   // 0 client, 1 pass, 2 class, 3 focus, 4 check-in
        std::size_t index;
    };
    std::vector<Row> rows;
    std::vector<SyncClient> clients;
    std::vector<std::int64_t> client_ids;
    std::vector<SyncPass> passes;
    std::vector<std::int64_t> pass_client_ids;
    std::vector<SyncClass> classes;
    std::vector<std::int64_t> class_ids;
    std::vector<SyncFocus> focus;
    std::vector<SyncCheckIn> checkins;
    std::vector<std::pair<std::int64_t, std::optional<std::int64_t>>> checkin_refs;

    {
        SQLite::Statement q(db, std::string(kClientSelect) + "WHERE change_seq > ? ORDER BY change_seq LIMIT ?");
        q.bind(1, cursor);
        q.bind(2, lim);
        while (q.executeStep()) {
            rows.push_back({q.getColumn(7).getInt64(), 0, clients.size()});
            client_ids.push_back(q.getColumn(8).getInt64());
            clients.push_back(read_client(q));
        }
    }
    {
        SQLite::Statement q(db, "SELECT cl.uid, p.sessions_total, p.valid_from, p.valid_until, p.change_seq, p.client_id "
                                "FROM passes p JOIN clients cl ON cl.id = p.client_id "
                                "WHERE p.change_seq > ? ORDER BY p.change_seq LIMIT ?");
        q.bind(1, cursor);
        q.bind(2, lim);
        while (q.executeStep()) {
            SyncPass p;
            p.client_uid = q.getColumn(0).getString();
            if (!q.getColumn(1).isNull()) p.sessions_total = q.getColumn(1).getInt();
            p.valid_from = q.getColumn(2).getString();
            p.valid_until = q.getColumn(3).getString();
            rows.push_back({q.getColumn(4).getInt64(), 1, passes.size()});
            pass_client_ids.push_back(q.getColumn(5).getInt64());
            passes.push_back(std::move(p));
        }
    }
    {
        SQLite::Statement q(db, std::string(kClassSelect) + "WHERE studio_id = ? AND change_seq > ? ORDER BY change_seq LIMIT ?");
        q.bind(1, device.studio_id);
        q.bind(2, cursor);
        q.bind(3, lim);
        while (q.executeStep()) {
            rows.push_back({q.getColumn(6).getInt64(), 2, classes.size()});
            class_ids.push_back(q.getColumn(7).getInt64());
            classes.push_back(read_class(q));
        }
    }
    {
        SQLite::Statement q(db, "SELECT date, title, body, change_seq FROM day_focus WHERE studio_id = ? AND change_seq > ? "
                                "ORDER BY change_seq LIMIT ?");
        q.bind(1, device.studio_id);
        q.bind(2, cursor);
        q.bind(3, lim);
        while (q.executeStep()) {
            rows.push_back({q.getColumn(3).getInt64(), 3, focus.size()});
            focus.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()});
        }
    }
    {
        // Other kiosks' check-ins of this studio; this kiosk's own only when voided
        // (it has them already). A replacement kiosk gets a new token, so it sees all.
        SQLite::Statement q(db, std::string(kCheckinSelect) +
                                    "WHERE k.studio_id = ? AND k.change_seq > ? AND (k.device_id <> ? OR k.voided = 1) "
                                    "ORDER BY k.change_seq LIMIT ?");
        q.bind(1, device.studio_id);
        q.bind(2, cursor);
        q.bind(3, device.id);
        q.bind(4, lim);
        while (q.executeStep()) {
            rows.push_back({q.getColumn(16).getInt64(), 4, checkins.size()});
            std::optional<std::int64_t> cls;
            if (!q.getColumn(18).isNull()) cls = q.getColumn(18).getInt64();
            checkin_refs.emplace_back(q.getColumn(17).getInt64(), cls);
            checkins.push_back(read_checkin(q));
        }
    }

    // Each table gave its first `limit` rows after the cursor, so the first `limit`
    // of them all, in sequence order, are exactly the next `limit` changes.
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.seq < b.seq; });
    if (rows.size() >= limit && limit > 0) {
        rows.resize(limit);
        page.more = true;
        page.cursor = rows.back().seq;
    } else {
        // Nothing else for this kiosk up to now: skip over other studios' changes too.
        page.cursor = std::max(cursor, db.execAndGet("SELECT value FROM change_counter WHERE id = 1").getInt64());
    }

    std::set<std::int64_t> have_clients, have_classes, need_clients, need_classes;
    for (const Row& r : rows) {
        switch (r.kind) {
            case 0:
                page.clients.push_back(clients[r.index]);
                have_clients.insert(client_ids[r.index]);
                break;
            case 1:
                page.passes.push_back(passes[r.index]);
                need_clients.insert(pass_client_ids[r.index]);
                break;
            case 2:
                page.classes.push_back(classes[r.index]);
                have_classes.insert(class_ids[r.index]);
                break;
            case 3: page.focus.push_back(focus[r.index]); break;
            case 4:
                page.checkins.push_back(checkins[r.index]);
                need_clients.insert(checkin_refs[r.index].first);
                if (checkin_refs[r.index].second) need_classes.insert(*checkin_refs[r.index].second);
                break;
        }
    }
    // Rows a pass or check-in of this page refers to come along (again, if need be),
    // so a kiosk never meets a reference it cannot resolve.
    for (std::int64_t id : need_clients) {
        if (have_clients.count(id)) continue;
        SQLite::Statement q(db, std::string(kClientSelect) + "WHERE id = ?");
        q.bind(1, id);
        if (q.executeStep()) page.clients.push_back(read_client(q));
    }
    for (std::int64_t id : need_classes) {
        if (have_classes.count(id)) continue;
        SQLite::Statement q(db, std::string(kClassSelect) + "WHERE id = ?");
        q.bind(1, id);
        if (q.executeStep()) page.classes.push_back(read_class(q));
    }
    tx.commit();
    return page;
}

int ServerStore::count(const std::string& table_and_where) {
    std::lock_guard lock(mu_);
    return db_->execAndGet("SELECT COUNT(*) FROM " + table_and_where).getInt();
}

}  // namespace studio::server
