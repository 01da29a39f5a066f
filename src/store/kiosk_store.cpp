// KioskStore
//  - clients and passes (lookups, upserts, CSV import)
//  - schedule and focus
//  - check-ins (the one write path), attendance export, status
#include "store/kiosk_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include "core/uuid.h"
#include "store/database.h"

namespace studio {

namespace {

Client read_client(SQLite::Statement& q) {
    Client c;
    c.id = q.getColumn(0).getInt64();
    c.uid = q.getColumn(1).getString();
    c.member_code = q.getColumn(2).getString();   // NULL reads as ""
    c.first_name = q.getColumn(3).getString();
    c.last_name = q.getColumn(4).getString();
    c.phone = q.getColumn(5).getString();
    c.email = q.getColumn(6).getString();
    c.prior_sessions = q.getColumn(7).getInt();
    return c;
}
constexpr const char* kClientCols = "id, uid, member_code, first_name, last_name, phone, email, prior_sessions";

ClassSession read_class(SQLite::Statement& q) {
    ClassSession c;
    c.id = q.getColumn(0).getInt64();
    c.uid = q.getColumn(1).getString();
    c.starts_at = q.getColumn(2).getInt64();
    c.duration_min = q.getColumn(3).getInt();
    c.title = q.getColumn(4).getString();
    c.coach = q.getColumn(5).getString();
    c.focus = q.getColumn(6).getString();
    return c;
}
constexpr const char* kClassCols = "id, uid, starts_at, duration_min, title, coach, focus";

void bind_text_or_null(SQLite::Statement& q, int idx, const std::string& s) {
    if (s.empty()) q.bind(idx);
    else q.bind(idx, s);
}

}  // namespace

KioskStore::KioskStore(const std::string& path) : path_(path), db_(open_kiosk_database(path)) {}
KioskStore::~KioskStore() = default;

// ---- clients and passes ----------------------------------------------------

std::optional<Client> KioskStore::client_by_id(ClientId id) {
    SQLite::Statement q(*db_, std::string("SELECT ") + kClientCols + " FROM clients WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_client(q);
}

std::optional<Client> KioskStore::client_by_code(std::string_view code) {
    SQLite::Statement q(*db_, std::string("SELECT ") + kClientCols +
                                  " FROM clients WHERE member_code = ? COLLATE NOCASE LIMIT 1");
    q.bind(1, std::string(code));
    if (!q.executeStep()) return std::nullopt;
    return read_client(q);
}

std::vector<SearchEntry> KioskStore::search_entries() {
    std::vector<SearchEntry> out;
    SQLite::Statement q(*db_, "SELECT id, first_name, last_name, phone, COALESCE(member_code, '') FROM clients");
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                       q.getColumn(3).getString(), q.getColumn(4).getString()});
    return out;
}

std::vector<Pass> KioskStore::passes_of(ClientId id) {
    std::vector<Pass> out;
    SQLite::Statement q(*db_,
                        "SELECT id, client_id, sessions_total, valid_from, valid_until FROM passes "
                        "WHERE client_id = ? ORDER BY valid_from");
    q.bind(1, id);
    while (q.executeStep()) {
        Pass p;
        p.id = q.getColumn(0).getInt64();
        p.client_id = q.getColumn(1).getInt64();
        if (!q.getColumn(2).isNull()) p.sessions_total = q.getColumn(2).getInt();
        p.valid_from = q.getColumn(3).getString();
        p.valid_until = q.getColumn(4).getString();
        out.push_back(p);
    }
    return out;
}

ClientId KioskStore::upsert_client(const Client& c) {
    const auto now = SystemClock().now();
    SQLite::Statement q(*db_,
                        "INSERT INTO clients (uid, member_code, first_name, last_name, phone, email, prior_sessions, "
                        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (member_code) DO UPDATE SET first_name = excluded.first_name, "
                        "last_name = excluded.last_name, phone = excluded.phone, email = excluded.email, "
                        "prior_sessions = excluded.prior_sessions, updated_at = excluded.updated_at "
                        "RETURNING id");
    q.bind(1, c.uid.empty() ? new_uuid() : c.uid);
    bind_text_or_null(q, 2, c.member_code);
    q.bind(3, c.first_name);
    q.bind(4, c.last_name);
    q.bind(5, c.phone);
    q.bind(6, c.email);
    q.bind(7, c.prior_sessions);
    q.bind(8, static_cast<std::int64_t>(now));
    q.bind(9, static_cast<std::int64_t>(now));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void KioskStore::upsert_pass(const Pass& p) {
    SQLite::Statement q(*db_,
                        "INSERT INTO passes (client_id, sessions_total, valid_from, valid_until) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (client_id, valid_from) DO UPDATE SET sessions_total = excluded.sessions_total, "
                        "valid_until = excluded.valid_until");
    q.bind(1, p.client_id);
    if (p.sessions_total) q.bind(2, *p.sessions_total);
    else q.bind(2);
    q.bind(3, p.valid_from);
    q.bind(4, p.valid_until);
    q.exec();
}

ClientId KioskStore::create_walk_in(const std::string& first, const std::string& last, const std::string& phone,
                                    const Clock& clock) {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    const std::string uid = new_uuid();
    SQLite::Statement q(*db_,
                        "INSERT INTO clients (uid, member_code, first_name, last_name, phone, email, prior_sessions, "
                        "created_at, updated_at) VALUES (?, NULL, ?, ?, ?, '', 0, ?, ?) RETURNING id");
    q.bind(1, uid);
    q.bind(2, first);
    q.bind(3, last);
    q.bind(4, phone);
    q.bind(5, static_cast<std::int64_t>(clock.now()));
    q.bind(6, static_cast<std::int64_t>(clock.now()));
    q.executeStep();
    const ClientId id = q.getColumn(0).getInt64();
    q.reset();
    SQLite::Statement o(*db_, "INSERT INTO outbox (kind, ref, created_at) VALUES ('client', ?, ?)");
    o.bind(1, uid);
    o.bind(2, static_cast<std::int64_t>(clock.now()));
    o.exec();
    tx.commit();
    return id;
}

ImportReport KioskStore::import_clients(std::string_view csv_text, bool skip_invalid, const Clock&) {
    ImportReport report;
    ParsedImport parsed = parse_client_csv(csv_text);
    report.problems = parsed.problems;
    if (!parsed.header_ok || (!parsed.problems.empty() && !skip_invalid)) return report;

    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& row : parsed.rows) {
        const bool existed = client_by_code(row.client.member_code).has_value();
        const ClientId id = upsert_client(row.client);
        (existed ? report.updated : report.inserted)++;
        if (row.pass) {
            Pass p = *row.pass;
            p.client_id = id;
            upsert_pass(p);
        }
    }
    tx.commit();
    report.imported = true;
    return report;
}

// ---- schedule and focus ----------------------------------------------------

ClassId KioskStore::upsert_class(const ClassSession& c) {
    SQLite::Statement q(*db_,
                        "INSERT INTO classes (uid, starts_at, duration_min, title, coach, focus) VALUES (?, ?, ?, ?, ?, ?) "
                        "ON CONFLICT (uid) DO UPDATE SET starts_at = excluded.starts_at, "
                        "duration_min = excluded.duration_min, title = excluded.title, coach = excluded.coach, "
                        "focus = excluded.focus RETURNING id");
    q.bind(1, c.uid.empty() ? new_uuid() : c.uid);
    q.bind(2, static_cast<std::int64_t>(c.starts_at));
    q.bind(3, c.duration_min);
    q.bind(4, c.title);
    q.bind(5, c.coach);
    q.bind(6, c.focus);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::vector<ClassSession> KioskStore::classes_between(Seconds from, Seconds to) {
    std::vector<ClassSession> out;
    SQLite::Statement q(*db_, std::string("SELECT ") + kClassCols +
                                  " FROM classes WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, id");
    q.bind(1, static_cast<std::int64_t>(from));
    q.bind(2, static_cast<std::int64_t>(to));
    while (q.executeStep()) out.push_back(read_class(q));
    return out;
}

std::optional<ClassSession> KioskStore::class_by_id(ClassId id) {
    SQLite::Statement q(*db_, std::string("SELECT ") + kClassCols + " FROM classes WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_class(q);
}

std::optional<ClassSession> KioskStore::next_class(Seconds not_before) {
    SQLite::Statement q(*db_, std::string("SELECT ") + kClassCols +
                                  " FROM classes WHERE starts_at >= ? ORDER BY starts_at, id LIMIT 1");
    q.bind(1, static_cast<std::int64_t>(not_before));
    if (!q.executeStep()) return std::nullopt;
    return read_class(q);
}

void KioskStore::set_focus(const DayFocus& f) {
    SQLite::Statement q(*db_,
                        "INSERT INTO day_focus (date, title, body) VALUES (?, ?, ?) "
                        "ON CONFLICT (date) DO UPDATE SET title = excluded.title, body = excluded.body");
    q.bind(1, f.date);
    q.bind(2, f.title);
    q.bind(3, f.body);
    q.exec();
}

std::optional<DayFocus> KioskStore::focus_on(const std::string& date) {
    SQLite::Statement q(*db_, "SELECT date, title, body FROM day_focus WHERE date = ?");
    q.bind(1, date);
    if (!q.executeStep()) return std::nullopt;
    return DayFocus{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString()};
}

// ---- check-ins ---------------------------------------------------------------

std::vector<ClassSession> KioskStore::classes_for_checkin(Seconds t, const RulesConfig& rules) {
    const Seconds reach = Seconds{std::max(rules.window_before_min, rules.window_after_min)} * 60;
    return classes_in_window(classes_between(t - reach, t + reach + 1), t, rules);
}

CheckInOutcome KioskStore::check_in(ClientId client_id, Source source, const Clock& clock, const RulesConfig& rules,
                                    ClassPick pick) {
    // IMMEDIATE: the read of earlier visits and the insert are one step, even with the
    // sync worker writing to the same file.
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    CheckInOutcome out;
    out.wall_time = clock.now();
    auto client = client_by_id(client_id);
    if (!client) throw std::runtime_error("no client with id " + std::to_string(client_id));
    out.client = *client;

    CheckInContext ctx;
    ctx.client = *client;
    ctx.passes = passes_of(client_id);
    ctx.today = local_date(out.wall_time);
    {
        SQLite::Statement q(*db_, "SELECT class_id, local_date FROM checkins WHERE client_id = ? AND voided = 0");
        q.bind(1, client_id);
        while (q.executeStep()) {
            PriorVisit v;
            if (!q.getColumn(0).isNull()) v.class_id = q.getColumn(0).getInt64();
            v.local_date = q.getColumn(1).getString();
            ctx.visits.push_back(v);
        }
    }
    if (pick.kind == ClassPick::Class) {
        out.cls = class_by_id(pick.id);
        if (!out.cls) throw std::runtime_error("no class with id " + std::to_string(pick.id));
    } else if (pick.kind == ClassPick::ByWindow) {
        const auto in = classes_for_checkin(out.wall_time, rules);
        if (!in.empty()) out.cls = in.front();
    }
    ctx.cls = out.cls;
    out.decision = decide_checkin(ctx, rules);
    if (out.decision.already_checked_in) return out;   // nothing written; the transaction rolls back

    out.uuid = new_uuid();
    SQLite::Statement ins(*db_,
                          "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, "
                          "monotonic_ms, source, session_number, pass_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, out.uuid);
    ins.bind(2, client_id);
    if (out.cls) ins.bind(3, out.cls->id);
    else ins.bind(3);
    ins.bind(4, static_cast<std::int64_t>(out.wall_time));
    ins.bind(5, ctx.today);
    ins.bind(6, clock.synchronised() ? 1 : 0);
    ins.bind(7, static_cast<std::int64_t>(clock.monotonic_ms()));
    ins.bind(8, std::string(to_string(source)));
    ins.bind(9, out.decision.session_number);
    ins.bind(10, std::string(to_string(out.decision.pass.kind)));
    ins.exec();
    SQLite::Statement ob(*db_, "INSERT INTO outbox (kind, ref, created_at) VALUES ('checkin', ?, ?)");
    ob.bind(1, out.uuid);
    ob.bind(2, static_cast<std::int64_t>(out.wall_time));
    ob.exec();
    tx.commit();   // synchronous=FULL: on disk before anyone is told "done"
    return out;
}

std::vector<AttendanceRow> KioskStore::attendance(const std::string& from_date, const std::string& to_date) {
    std::vector<AttendanceRow> out;
    SQLite::Statement q(*db_,
                        "SELECT k.local_date, k.wall_time, c.title, c.starts_at, c.coach, cl.first_name, cl.last_name, "
                        "COALESCE(cl.member_code, ''), k.session_number, k.source, k.pass_state, k.clock_synced, k.uuid "
                        "FROM checkins k JOIN clients cl ON cl.id = k.client_id "
                        "LEFT JOIN classes c ON c.id = k.class_id "
                        "WHERE k.voided = 0 AND k.local_date >= ? AND k.local_date <= ? "
                        "ORDER BY k.wall_time, k.rowid");
    q.bind(1, from_date);
    q.bind(2, to_date);
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

StoreStatus KioskStore::status(const Clock& clock) {
    StoreStatus s;
    s.clients = db_->execAndGet("SELECT COUNT(*) FROM clients").getInt();
    SQLite::Statement q(*db_, "SELECT COUNT(*) FROM checkins WHERE voided = 0 AND local_date = ?");
    q.bind(1, local_date(clock.now()));
    q.executeStep();
    s.checkins_today = q.getColumn(0).getInt();
    s.pending_sync = db_->execAndGet("SELECT COUNT(*) FROM outbox").getInt();
    s.schema_version = schema_version(*db_);
    return s;
}

std::optional<std::string> KioskStore::meta(const std::string& key) {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

void KioskStore::set_meta(const std::string& key, const std::string& value) {
    SQLite::Statement q(*db_, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

}  // namespace studio
