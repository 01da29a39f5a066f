// Coach and manager data on the kiosk's file
//  - helpers: dates, rows, outbox
//  - coach: classes_on, group_of
//  - coach: void_checkin, move_checkin
//  - manager: attendance by week and weekday, summary CSVs
#include "store/staff_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <optional>
#include <stdexcept>
#include <utility>

#include "core/clock.h"
#include "core/csv.h"
#include "core/uuid.h"

namespace studio {

namespace {

// ---- helpers ------------------------------------------------------------------------

void require_date(const std::string& date) {
    if (!valid_date(date)) throw std::invalid_argument("not a date (YYYY-MM-DD): \"" + date + "\"");
}

void require_range(const std::string& from, const std::string& to) {
    require_date(from);
    require_date(to);
    if (to < from) throw std::invalid_argument("the range ends (" + to + ") before it starts (" + from + ")");
}

// Local midnight at the start of `date`: classes are stored in Unix seconds, so a local
// day is the span between two such midnights (23 or 25 hours on a DST change).
Seconds day_start(const std::string& date) {
    LocalTime lt;
    parse_date(date, lt.year, lt.month, lt.day);
    return from_local(lt);
}

// 0 = Monday .. 6 = Sunday, from the calendar alone (no time zone): 1970-01-05 was a Monday.
int weekday_from_monday(const std::string& date) { return ((days_between("1970-01-05", date) % 7) + 7) % 7; }

constexpr const char* kClassCols = "c.id, c.uid, c.starts_at, c.duration_min, c.title, c.coach, c.focus";
ClassSession read_class(SQLite::Statement& q, int at) {
    ClassSession c;
    c.id = q.getColumn(at).getInt64();
    c.uid = q.getColumn(at + 1).getString();
    c.starts_at = q.getColumn(at + 2).getInt64();
    c.duration_min = q.getColumn(at + 3).getInt();
    c.title = q.getColumn(at + 4).getString();
    c.coach = q.getColumn(at + 5).getString();
    c.focus = q.getColumn(at + 6).getString();
    return c;
}

constexpr const char* kClientCols =
    "cl.id, cl.uid, COALESCE(cl.member_code, ''), cl.first_name, cl.last_name, cl.phone, cl.email, cl.prior_sessions";
Client read_client(SQLite::Statement& q, int at) {
    Client c;
    c.id = q.getColumn(at).getInt64();
    c.uid = q.getColumn(at + 1).getString();
    c.member_code = q.getColumn(at + 2).getString();
    c.first_name = q.getColumn(at + 3).getString();
    c.last_name = q.getColumn(at + 4).getString();
    c.phone = q.getColumn(at + 5).getString();
    c.email = q.getColumn(at + 6).getString();
    c.prior_sessions = q.getColumn(at + 7).getInt();
    return c;
}

// The stored fields of a check-in that undo and move need.
struct StoredCheckIn {
    ClientId client_id = 0;
    std::optional<ClassId> class_id;
    Seconds wall_time = 0;
    std::string local_date;
    bool clock_synced = false;
    std::int64_t monotonic_ms = 0;
    int session_number = 0;
    std::string pass_state;
    bool voided = false;
};

// Reads the check-in and refuses the two cases neither undo nor move can act on.
StoredCheckIn valid_checkin(SQLite::Database& db, const std::string& uuid) {
    SQLite::Statement q(db,
                        "SELECT client_id, class_id, wall_time, local_date, clock_synced, monotonic_ms, "
                        "session_number, pass_state, voided FROM checkins WHERE uuid = ?");
    q.bind(1, uuid);
    if (!q.executeStep()) throw std::runtime_error("no such check-in");
    StoredCheckIn k;
    k.client_id = q.getColumn(0).getInt64();
    if (!q.getColumn(1).isNull()) k.class_id = q.getColumn(1).getInt64();
    k.wall_time = q.getColumn(2).getInt64();
    k.local_date = q.getColumn(3).getString();
    k.clock_synced = q.getColumn(4).getInt() != 0;
    k.monotonic_ms = q.getColumn(5).getInt64();
    k.session_number = q.getColumn(6).getInt();
    k.pass_state = q.getColumn(7).getString();
    k.voided = q.getColumn(8).getInt() != 0;
    if (k.voided) throw std::runtime_error("already undone");
    return k;
}

void mark_voided(SQLite::Database& db, const std::string& uuid, Seconds now, const std::string& by_role) {
    // `voided = 0` in the WHERE: the caller read the row in this same IMMEDIATE
    // transaction, so exactly one row changes; the guard keeps a void from being rewritten.
    SQLite::Statement q(db, "UPDATE checkins SET voided = 1, voided_at = ?, voided_by = ? WHERE uuid = ? AND voided = 0");
    q.bind(1, static_cast<std::int64_t>(now));
    q.bind(2, by_role);
    q.bind(3, uuid);
    if (q.exec() != 1) throw std::logic_error("check-in " + uuid + " changed under an IMMEDIATE transaction");
}

void queue(SQLite::Database& db, const char* kind, const std::string& ref, Seconds now) {
    SQLite::Statement q(db, "INSERT INTO outbox (kind, ref, created_at) VALUES (?, ?, ?)");
    q.bind(1, kind);
    q.bind(2, ref);
    q.bind(3, static_cast<std::int64_t>(now));
    q.exec();
}

void require_role(const std::string& by_role) {
    // voided_by travels to the server: an anonymous undo would be untraceable there.
    if (by_role.empty()) throw std::invalid_argument("a staff role is needed to change a check-in");
}

// The weeks [first Monday, last Sunday] ending with `today`'s week.
struct WeekRange {
    std::string first;   // a Monday
    std::string last;    // a Sunday
};
WeekRange week_range(const std::string& today, int weeks) {
    require_date(today);
    if (weeks < 1) throw std::invalid_argument("at least one week is needed, not " + std::to_string(weeks));
    const std::string monday = add_days(today, -weekday_from_monday(today));
    return {add_days(monday, -7 * (weeks - 1)), add_days(monday, 6)};
}

// Valid check-ins per local date in [from, to]; days without any are absent.
std::vector<std::pair<std::string, int>> daily_counts(SQLite::Database& db, const std::string& from,
                                                      const std::string& to) {
    std::vector<std::pair<std::string, int>> out;
    SQLite::Statement q(db,
                        "SELECT local_date, COUNT(*) FROM checkins WHERE voided = 0 AND local_date >= ? "
                        "AND local_date <= ? GROUP BY local_date ORDER BY local_date");
    q.bind(1, from);
    q.bind(2, to);
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getInt());
    return out;
}

}  // namespace

// ---- coach: the day's classes and who came ----------------------------------------

std::vector<ClassHeadcount> classes_on(KioskStore& store, const std::string& date) {
    require_date(date);
    auto& db = store.db();
    std::vector<ClassHeadcount> out;
    // One read transaction: the headcounts and the no-class row come from one snapshot,
    // even while the sync worker writes on its own connection.
    SQLite::Transaction tx(db);
    SQLite::Statement q(db, std::string("SELECT ") + kClassCols +
                                ", COUNT(k.uuid) FROM classes c "
                                "LEFT JOIN checkins k ON k.class_id = c.id AND k.voided = 0 "
                                "WHERE c.starts_at >= ? AND c.starts_at < ? GROUP BY c.id ORDER BY c.starts_at, c.id");
    q.bind(1, static_cast<std::int64_t>(day_start(date)));
    q.bind(2, static_cast<std::int64_t>(day_start(add_days(date, 1))));
    while (q.executeStep()) out.push_back({read_class(q, 0), q.getColumn(7).getInt()});

    SQLite::Statement n(db, "SELECT COUNT(*) FROM checkins WHERE class_id IS NULL AND local_date = ? AND voided = 0");
    n.bind(1, date);
    n.executeStep();
    if (const int without = n.getColumn(0).getInt(); without > 0) out.push_back({ClassSession{}, without});
    tx.commit();
    return out;
}

std::vector<GroupMember> group_of(KioskStore& store, ClassId class_id, const std::string& date) {
    if (class_id == 0) require_date(date);
    std::vector<GroupMember> out;
    SQLite::Statement q(store.db(),
                        std::string("SELECT k.uuid, k.wall_time, k.session_number, k.pass_state, k.source, ") +
                            kClientCols +
                            " FROM checkins k JOIN clients cl ON cl.id = k.client_id WHERE k.voided = 0 AND " +
                            (class_id == 0 ? "k.class_id IS NULL AND k.local_date = ?" : "k.class_id = ?") +
                            " ORDER BY k.wall_time, k.rowid");
    if (class_id == 0) q.bind(1, date);
    else q.bind(1, class_id);
    while (q.executeStep()) {
        GroupMember m;
        m.checkin_uuid = q.getColumn(0).getString();
        m.arrived_at = q.getColumn(1).getInt64();
        m.session_number = q.getColumn(2).getInt();
        m.pass_state = q.getColumn(3).getString();
        // The schema's CHECK allows only the three known sources.
        m.source = source_from_string(q.getColumn(4).getString()).value_or(Source::Self);
        m.client = read_client(q, 5);
        m.milestone = milestone_of(m.session_number);
        out.push_back(std::move(m));
    }
    return out;
}

// ---- coach: undo and move ---------------------------------------------------------

void void_checkin(KioskStore& store, const std::string& uuid, const std::string& by_role, const Clock& clock) {
    require_role(by_role);
    auto& db = store.db();
    // IMMEDIATE: the check and the update are one step against the sync worker, which may
    // void the same row as superseded at the same moment.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    valid_checkin(db, uuid);
    const Seconds now = clock.now();
    mark_voided(db, uuid, now, by_role);
    queue(db, "void", uuid, now);
    tx.commit();
}

std::string move_checkin(KioskStore& store, const std::string& uuid, ClassPick target, const std::string& by_role,
                         const Clock& clock) {
    require_role(by_role);
    if (target.kind == ClassPick::ByWindow)
        throw std::invalid_argument("a move needs a class or no class, not a choice by time window");
    auto& db = store.db();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const StoredCheckIn old = valid_checkin(db, uuid);

    std::optional<ClassId> new_class;
    if (target.kind == ClassPick::Class) {
        const auto cls = store.class_by_id(target.id);
        if (!cls) throw std::runtime_error("no such class");
        if (old.class_id == target.id) throw std::runtime_error("the check-in is already in that class");
        // The new row keeps the visit's date and time: a class on another day would make it
        // a visit that never happened.
        if (local_date(cls->starts_at) != old.local_date) throw std::runtime_error("that class is on another day");
        SQLite::Statement q(db, "SELECT 1 FROM checkins WHERE client_id = ? AND class_id = ? AND voided = 0");
        q.bind(1, old.client_id);
        q.bind(2, target.id);
        if (q.executeStep()) throw std::runtime_error("the client is already checked in for that class");
        new_class = target.id;
    } else {
        if (!old.class_id) throw std::runtime_error("the check-in already has no class");
        SQLite::Statement q(db,
                            "SELECT 1 FROM checkins WHERE client_id = ? AND class_id IS NULL AND local_date = ? "
                            "AND voided = 0");
        q.bind(1, old.client_id);
        q.bind(2, old.local_date);
        if (q.executeStep()) throw std::runtime_error("the client already has a visit without a class that day");
    }

    // Void first, then insert: the partial unique index (client, class) only ever sees
    // one valid row, and the server receives the void before the replacement.
    const Seconds now = clock.now();
    mark_voided(db, uuid, now, by_role);
    queue(db, "void", uuid, now);

    const std::string fresh = new_uuid();
    SQLite::Statement ins(db,
                          "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, "
                          "monotonic_ms, source, session_number, pass_state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, fresh);
    ins.bind(2, old.client_id);
    if (new_class) ins.bind(3, *new_class);
    else ins.bind(3);
    ins.bind(4, static_cast<std::int64_t>(old.wall_time));
    ins.bind(5, old.local_date);
    ins.bind(6, old.clock_synced ? 1 : 0);
    ins.bind(7, static_cast<std::int64_t>(old.monotonic_ms));
    ins.bind(8, std::string(to_string(Source::Coach)));
    // The same visit in another class: its number and pass use do not change.
    ins.bind(9, old.session_number);
    ins.bind(10, old.pass_state);
    ins.exec();
    queue(db, "checkin", fresh, now);
    tx.commit();
    return fresh;
}

// ---- manager: attendance at a glance ----------------------------------------------

std::vector<WeekCount> attendance_by_week(KioskStore& store, const std::string& today, int weeks) {
    const WeekRange range = week_range(today, weeks);
    std::vector<WeekCount> out;
    for (int i = 0; i < weeks; ++i) out.push_back({add_days(range.first, 7 * i), 0});
    for (const auto& [date, n] : daily_counts(store.db(), range.first, range.last))
        out[static_cast<std::size_t>(days_between(range.first, date) / 7)].count += n;
    return out;
}

std::array<int, 7> attendance_by_weekday(KioskStore& store, const std::string& today, int weeks) {
    const WeekRange range = week_range(today, weeks);
    std::array<int, 7> out{};
    // range.first is a Monday, so the offset from it modulo 7 is the weekday from Monday.
    for (const auto& [date, n] : daily_counts(store.db(), range.first, range.last))
        out[static_cast<std::size_t>(days_between(range.first, date) % 7)] += n;
    return out;
}

// ---- manager: summaries for export --------------------------------------------------

std::string client_summary_csv(KioskStore& store, const std::string& from, const std::string& to) {
    require_range(from, to);
    std::string out = csv_line({"first_name", "last_name", "member_code", "visits", "first_visit", "last_visit",
                                "last_session_number", "last_pass_state"});
    // One pass over the visits grouped by client, each client's in visit order: the first
    // and last rows of a group give the first and latest visit.
    SQLite::Statement q(store.db(),
                        "SELECT cl.id, cl.first_name, cl.last_name, COALESCE(cl.member_code, ''), k.local_date, "
                        "k.session_number, k.pass_state FROM checkins k JOIN clients cl ON cl.id = k.client_id "
                        "WHERE k.voided = 0 AND k.local_date >= ? AND k.local_date <= ? "
                        "ORDER BY cl.last_name, cl.first_name, cl.id, k.local_date, k.wall_time, k.rowid");
    q.bind(1, from);
    q.bind(2, to);
    struct Row {
        ClientId id = 0;
        std::string first, last, code, first_visit, last_visit, pass_state;
        int visits = 0, session = 0;
    };
    std::optional<Row> row;
    auto flush = [&] {
        if (!row) return;
        // Names and codes are free text: guard them; counts and dates are written as they are.
        out += csv_line({spreadsheet_safe(row->first), spreadsheet_safe(row->last), spreadsheet_safe(row->code),
                         std::to_string(row->visits), row->first_visit, row->last_visit, std::to_string(row->session),
                         row->pass_state});
    };
    while (q.executeStep()) {
        const ClientId id = q.getColumn(0).getInt64();
        if (!row || row->id != id) {
            flush();
            row = Row{id, q.getColumn(1).getString(), q.getColumn(2).getString(), q.getColumn(3).getString(),
                      q.getColumn(4).getString(), "", "", 0, 0};
        }
        row->visits++;
        row->last_visit = q.getColumn(4).getString();
        row->session = q.getColumn(5).getInt();
        row->pass_state = q.getColumn(6).getString();
    }
    flush();
    return out;
}

std::string class_summary_csv(KioskStore& store, const std::string& from, const std::string& to) {
    require_range(from, to);
    std::string out = csv_line({"date", "start", "class", "coach", "arrived"});
    SQLite::Statement q(store.db(),
                        "SELECT c.starts_at, c.title, c.coach, COUNT(k.uuid) FROM classes c "
                        "LEFT JOIN checkins k ON k.class_id = c.id AND k.voided = 0 "
                        "WHERE c.starts_at >= ? AND c.starts_at < ? GROUP BY c.id ORDER BY c.starts_at, c.id");
    q.bind(1, static_cast<std::int64_t>(day_start(from)));
    q.bind(2, static_cast<std::int64_t>(day_start(add_days(to, 1))));
    while (q.executeStep()) {
        const Seconds start = q.getColumn(0).getInt64();
        out += csv_line({local_date(start), local_hhmm(start), spreadsheet_safe(q.getColumn(1).getString()),
                         spreadsheet_safe(q.getColumn(2).getString()), std::to_string(q.getColumn(3).getInt())});
    }
    return out;
}

}  // namespace studio
