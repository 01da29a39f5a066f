// The kiosk's side of sync
//  - queueing a manager's focus override
//  - reading the outbox with its rows
//  - applying the server's per-item answers (the only place entries leave the outbox)
//  - applying the changes feed (clients, passes, classes, focus, other kiosks' check-ins)
//  - sync state in the meta table
#include "store/sync_store.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

#include "core/clock.h"
#include "core/csv.h"

namespace studio {

namespace {

constexpr const char* kCursorKey = "sync.cursor";
constexpr const char* kLastSuccessKey = "sync.last_success";
constexpr const char* kLastAttemptKey = "sync.last_attempt";
constexpr const char* kLastErrorKey = "sync.last_error";
constexpr const char* kLastErrorAtKey = "sync.last_error_at";

std::optional<std::string> meta_of(SQLite::Database& db, const char* key) {
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

void set_meta_of(SQLite::Database& db, const char* key, const std::string& value) {
    SQLite::Statement q(db, "INSERT INTO meta (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

std::optional<Seconds> meta_seconds(SQLite::Database& db, const char* key) {
    auto v = meta_of(db, key);
    if (!v || v->empty()) return std::nullopt;
    try {
        return static_cast<Seconds>(std::stoll(*v));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void bind_text_or_null(SQLite::Statement& q, int idx, const std::string& s) {
    if (s.empty()) q.bind(idx);
    else q.bind(idx, s);
}

std::optional<std::int64_t> id_by_uid(SQLite::Database& db, const char* table, const std::string& uid) {
    if (uid.empty()) return std::nullopt;
    SQLite::Statement q(db, std::string("SELECT id FROM ") + table + " WHERE uid = ?");
    q.bind(1, uid);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getInt64();
}

bool read_client_by_uid(SQLite::Database& db, const std::string& uid, SyncClient& c) {
    SQLite::Statement q(db, "SELECT uid, COALESCE(member_code, ''), first_name, last_name, phone, email, "
                            "prior_sessions FROM clients WHERE uid = ?");
    q.bind(1, uid);
    if (!q.executeStep()) return false;
    c.uid = q.getColumn(0).getString();
    c.member_code = q.getColumn(1).getString();
    c.first_name = q.getColumn(2).getString();
    c.last_name = q.getColumn(3).getString();
    c.phone = q.getColumn(4).getString();
    c.email = q.getColumn(5).getString();
    c.prior_sessions = q.getColumn(6).getInt();
    return true;
}

// A check-in with its client and class, as the server needs it to store the visit
// even when it has never heard of this kiosk's client or class.
bool read_checkin(SQLite::Database& db, const std::string& uuid, OutboxItem& item) {
    SQLite::Statement q(db,
                        "SELECT k.uuid, cl.uid, k.wall_time, k.local_date, k.clock_synced, k.monotonic_ms, k.source, "
                        "k.session_number, k.pass_state, k.voided, COALESCE(k.voided_at, 0), COALESCE(k.voided_by, ''), "
                        "c.uid, c.starts_at, c.duration_min, c.title, c.coach, c.focus "
                        "FROM checkins k JOIN clients cl ON cl.id = k.client_id "
                        "LEFT JOIN classes c ON c.id = k.class_id WHERE k.uuid = ?");
    q.bind(1, uuid);
    if (!q.executeStep()) return false;
    SyncCheckIn& k = item.checkin;
    k.uuid = q.getColumn(0).getString();
    k.client_uid = q.getColumn(1).getString();
    k.wall_time = q.getColumn(2).getInt64();
    k.local_date = q.getColumn(3).getString();
    k.clock_synced = q.getColumn(4).getInt() != 0;
    k.monotonic_ms = q.getColumn(5).getInt64();
    k.source = q.getColumn(6).getString();
    k.session_number = q.getColumn(7).getInt();
    k.pass_state = q.getColumn(8).getString();
    k.voided = q.getColumn(9).getInt() != 0;
    k.voided_at = q.getColumn(10).getInt64();
    k.voided_by = q.getColumn(11).getString();
    if (!q.getColumn(12).isNull()) {
        SyncClass c;
        c.uid = q.getColumn(12).getString();
        c.starts_at = q.getColumn(13).getInt64();
        c.duration_min = q.getColumn(14).getInt();
        c.title = q.getColumn(15).getString();
        c.coach = q.getColumn(16).getString();
        c.focus = q.getColumn(17).getString();
        k.class_uid = c.uid;
        item.cls = c;
    }
    return read_client_by_uid(db, k.client_uid, item.client);
}

void reject(SQLite::Database& db, const std::string& kind, const std::string& ref, const std::string& reason,
            Seconds now) {
    SQLite::Statement q(db, "INSERT INTO sync_rejected (kind, ref, reason, rejected_at) VALUES (?, ?, ?, ?)");
    q.bind(1, kind);
    q.bind(2, ref);
    q.bind(3, reason);
    q.bind(4, static_cast<std::int64_t>(now));
    q.exec();
}

void delete_outbox(SQLite::Database& db, std::int64_t seq) {
    SQLite::Statement q(db, "DELETE FROM outbox WHERE seq = ?");
    q.bind(1, seq);
    q.exec();
}

// ---- applying the server's records ------------------------------------------------

bool apply_client(SQLite::Database& db, const SyncClient& c) {
    if (c.uid.empty()) return false;
    std::optional<std::int64_t> id = id_by_uid(db, "clients", c.uid);
    if (!id && !c.member_code.empty()) {
        // A client this kiosk imported itself has its own uid: the member code is the
        // shared identity, and the server's uid wins from now on.
        SQLite::Statement q(db, "SELECT id FROM clients WHERE member_code = ? COLLATE NOCASE");
        q.bind(1, c.member_code);
        if (q.executeStep()) id = q.getColumn(0).getInt64();
    }
    if (!c.member_code.empty()) {
        // The server says this code belongs to this client; a stale local holder loses it.
        SQLite::Statement q(db, "UPDATE clients SET member_code = NULL WHERE member_code = ? COLLATE NOCASE AND id <> ?");
        q.bind(1, c.member_code);
        q.bind(2, id.value_or(-1));
        q.exec();
    }
    const auto now = SystemClock().now();
    if (id) {
        SQLite::Statement q(db, "UPDATE clients SET uid = ?, member_code = ?, first_name = ?, last_name = ?, phone = ?, "
                                "email = ?, prior_sessions = ?, updated_at = ? WHERE id = ?");
        q.bind(1, c.uid);
        bind_text_or_null(q, 2, c.member_code);
        q.bind(3, c.first_name);
        q.bind(4, c.last_name);
        q.bind(5, c.phone);
        q.bind(6, c.email);
        q.bind(7, c.prior_sessions);
        q.bind(8, static_cast<std::int64_t>(now));
        q.bind(9, *id);
        q.exec();
    } else {
        SQLite::Statement q(db, "INSERT INTO clients (uid, member_code, first_name, last_name, phone, email, "
                                "prior_sessions, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, c.uid);
        bind_text_or_null(q, 2, c.member_code);
        q.bind(3, c.first_name);
        q.bind(4, c.last_name);
        q.bind(5, c.phone);
        q.bind(6, c.email);
        q.bind(7, c.prior_sessions);
        q.bind(8, static_cast<std::int64_t>(now));
        q.bind(9, static_cast<std::int64_t>(now));
        q.exec();
    }
    return true;
}

bool apply_pass(SQLite::Database& db, const SyncPass& p) {
    const auto client = id_by_uid(db, "clients", p.client_uid);
    if (!client) return false;
    SQLite::Statement q(db, "INSERT INTO passes (client_id, sessions_total, valid_from, valid_until) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (client_id, valid_from) DO UPDATE SET sessions_total = excluded.sessions_total, "
                            "valid_until = excluded.valid_until");
    q.bind(1, *client);
    if (p.sessions_total) q.bind(2, *p.sessions_total);
    else q.bind(2);
    q.bind(3, p.valid_from);
    q.bind(4, p.valid_until);
    q.exec();
    return true;
}

void apply_class(SQLite::Database& db, const SyncClass& c) {
    SQLite::Statement q(db, "INSERT INTO classes (uid, starts_at, duration_min, title, coach, focus) VALUES (?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT (uid) DO UPDATE SET starts_at = excluded.starts_at, "
                            "duration_min = excluded.duration_min, title = excluded.title, coach = excluded.coach, "
                            "focus = excluded.focus");
    q.bind(1, c.uid);
    q.bind(2, static_cast<std::int64_t>(c.starts_at));
    q.bind(3, c.duration_min);
    q.bind(4, c.title);
    q.bind(5, c.coach);
    q.bind(6, c.focus);
    q.exec();
}

// This kiosk changed the day's focus and the server has not acknowledged it yet.
bool focus_pending(SQLite::Database& db, const std::string& date) {
    SQLite::Statement q(db, "SELECT 1 FROM outbox WHERE kind = 'focus' AND ref = ? LIMIT 1");
    q.bind(1, date);
    return q.executeStep();
}

void apply_focus(SQLite::Database& db, const SyncFocus& f) {
    SQLite::Statement q(db, "INSERT INTO day_focus (date, title, body) VALUES (?, ?, ?) "
                            "ON CONFLICT (date) DO UPDATE SET title = excluded.title, body = excluded.body");
    q.bind(1, f.date);
    q.bind(2, f.title);
    q.bind(3, f.body);
    q.exec();
}

// Marks this kiosk's check-in `uuid` as counted under `canonical` instead: voided, so
// no count or rule sees it, but kept, with a pointer to the one that counts.
int supersede(SQLite::Database& db, const std::string& uuid, const std::string& canonical, Seconds now) {
    SQLite::Statement q(db, "UPDATE checkins SET voided = 1, voided_at = ?, voided_by = 'sync', superseded_by = ? "
                            "WHERE uuid = ? AND voided = 0");
    q.bind(1, static_cast<std::int64_t>(now));
    q.bind(2, canonical);
    q.bind(3, uuid);
    return q.exec();
}

enum class Applied { Inserted, Updated, Unchanged, Skipped };

// Stores another kiosk's check-in (or a void of any check-in). `fallback_client` and
// `fallback_class` stand in when the uids are not known here (a client this kiosk
// imported itself). Adds to `superseded` this kiosk's unsent check-ins it replaces.
Applied apply_checkin(SQLite::Database& db, const SyncCheckIn& r, std::optional<std::int64_t> fallback_client,
                      std::optional<std::int64_t> fallback_class, int& superseded) {
    std::optional<std::int64_t> client = id_by_uid(db, "clients", r.client_uid);
    if (!client) client = fallback_client;
    if (!client) return Applied::Skipped;
    std::optional<std::int64_t> cls;
    if (!r.class_uid.empty()) {
        cls = id_by_uid(db, "classes", r.class_uid);
        if (!cls) cls = fallback_class;
    }
    const auto now = SystemClock().now();

    {
        SQLite::Statement q(db, "SELECT voided FROM checkins WHERE uuid = ?");
        q.bind(1, r.uuid);
        if (q.executeStep()) {
            // Known already: only a void changes anything (check-ins are never edited).
            if (!r.voided || q.getColumn(0).getInt() != 0) return Applied::Unchanged;
            SQLite::Statement v(db, "UPDATE checkins SET voided = 1, voided_at = ?, voided_by = ? WHERE uuid = ?");
            v.bind(1, static_cast<std::int64_t>(r.voided_at));
            v.bind(2, r.voided_by);
            v.bind(3, r.uuid);
            v.exec();
            return Applied::Updated;
        }
    }

    bool voided = r.voided;
    std::string voided_by = r.voided_by;
    Seconds voided_at = r.voided_at;
    if (!voided) {
        // The same rule as at the door, seen from the other side: this kiosk's own
        // unsent check-in for the same visit is the redundant one (the server has the
        // other already, and would answer "duplicate" for ours).
        // An unsent check-in for a class is redundant with theirs for the same class; an
        // unsent one without a class, with any of theirs on the same day.
        SQLite::Statement q(db,
                            "SELECT k.uuid, k.class_id IS NOT NULL, "
                            "EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'checkin' AND o.ref = k.uuid) "
                            "FROM checkins k WHERE k.client_id = ? AND k.voided = 0 AND "
                            "(k.class_id = ? OR (k.class_id IS NULL AND k.local_date = ?))");
        q.bind(1, *client);
        if (cls) q.bind(2, *cls);
        else q.bind(2);
        q.bind(3, r.local_date);
        std::vector<std::string> pending;
        bool settled_conflict = false;
        while (q.executeStep()) {
            if (q.getColumn(2).getInt() != 0) pending.push_back(q.getColumn(0).getString());
            else if (q.getColumn(1).getInt() != 0) settled_conflict = true;
        }
        for (const auto& uuid : pending) {
            superseded += supersede(db, uuid, r.uuid, now);
            SQLite::Statement d(db, "DELETE FROM outbox WHERE kind = 'checkin' AND ref = ?");
            d.bind(1, uuid);
            d.exec();
        }
        if (settled_conflict && cls) {
            // Cannot happen while the server keeps its rule; if it ever does, keep the
            // row (so it is known) without counting it twice or breaking the feed.
            voided = true;
            voided_by = "sync-conflict";
            voided_at = now;
        }
    }

    SQLite::Statement ins(db,
                          "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, "
                          "monotonic_ms, source, session_number, pass_state, voided, voided_at, voided_by, origin, "
                          "device, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'remote', ?, ?)");
    ins.bind(1, r.uuid);
    ins.bind(2, *client);
    if (cls) ins.bind(3, *cls);
    else ins.bind(3);
    ins.bind(4, static_cast<std::int64_t>(r.wall_time));
    ins.bind(5, r.local_date);
    ins.bind(6, r.clock_synced ? 1 : 0);
    ins.bind(7, static_cast<std::int64_t>(r.monotonic_ms));
    ins.bind(8, r.source);
    ins.bind(9, r.session_number);
    ins.bind(10, r.pass_state);
    ins.bind(11, voided ? 1 : 0);
    if (voided) {
        ins.bind(12, static_cast<std::int64_t>(voided_at));
        ins.bind(13, voided_by);
    } else {
        ins.bind(12);
        ins.bind(13);
    }
    ins.bind(14, r.device);
    ins.bind(15, static_cast<std::int64_t>(r.received_at));
    ins.exec();
    return Applied::Inserted;
}

}  // namespace

const char* to_string(OutboxKind k) {
    switch (k) {
        case OutboxKind::Client: return "client";
        case OutboxKind::CheckIn: return "checkin";
        case OutboxKind::Void: return "void";
        case OutboxKind::Focus: return "focus";
    }
    return "checkin";
}

const char* to_string(PushOutcome o) {
    switch (o) {
        case PushOutcome::Stored: return "stored";
        case PushOutcome::Duplicate: return "duplicate";
        case PushOutcome::Rejected: return "rejected";
    }
    return "rejected";
}

void set_focus_and_queue(KioskStore& store, const DayFocus& focus, Seconds now) {
    // The server's rules (src/sync/protocol.cpp), checked here so the manager hears
    // about it now instead of the entry being refused later.
    if (!valid_date(focus.date)) throw std::invalid_argument("focus date \"" + focus.date + "\" is not a date (YYYY-MM-DD)");
    if (focus.title.empty()) throw std::invalid_argument("a focus needs a title");
    if (focus.title.size() > kSyncMaxText)
        throw std::invalid_argument("focus title longer than " + std::to_string(kSyncMaxText) + " bytes");
    if (focus.body.size() > kSyncMaxLongText)
        throw std::invalid_argument("focus text longer than " + std::to_string(kSyncMaxLongText) + " bytes");
    if (!is_valid_utf8(focus.title) || !is_valid_utf8(focus.body)) throw std::invalid_argument("focus text is not valid UTF-8");

    auto& db = store.db();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    store.set_focus(focus);
    {
        // One pending entry per day is enough: the push reads the row as it is then.
        // An entry already on its way is unaffected: its answer deletes nothing here.
        SQLite::Statement d(db, "DELETE FROM outbox WHERE kind = 'focus' AND ref = ?");
        d.bind(1, focus.date);
        d.exec();
    }
    SQLite::Statement q(db, "INSERT INTO outbox (kind, ref, created_at) VALUES ('focus', ?, ?)");
    q.bind(1, focus.date);
    q.bind(2, static_cast<std::int64_t>(now));
    q.exec();
    tx.commit();
}

std::vector<OutboxItem> outbox_batch(KioskStore& store, std::size_t limit) {
    auto& db = store.db();
    std::vector<OutboxItem> out;
    // One read transaction: the rows and the outbox are one consistent snapshot.
    SQLite::Transaction tx(db);
    SQLite::Statement q(db, "SELECT seq, kind, ref FROM outbox ORDER BY seq LIMIT ?");
    q.bind(1, static_cast<std::int64_t>(limit));
    while (q.executeStep()) {
        OutboxItem item;
        item.seq = q.getColumn(0).getInt64();
        const std::string kind = q.getColumn(1).getString();
        item.ref = q.getColumn(2).getString();
        if (kind == "client") {
            item.kind = OutboxKind::Client;
            item.missing = !read_client_by_uid(db, item.ref, item.client);
        } else if (kind == "checkin") {
            item.kind = OutboxKind::CheckIn;
            item.missing = !read_checkin(db, item.ref, item);
        } else if (kind == "void") {
            item.kind = OutboxKind::Void;
            SQLite::Statement v(db, "SELECT uuid, COALESCE(voided_at, 0), COALESCE(voided_by, '') FROM checkins "
                                    "WHERE uuid = ? AND voided = 1");
            v.bind(1, item.ref);
            if (v.executeStep()) {
                item.void_.uuid = v.getColumn(0).getString();
                item.void_.voided_at = v.getColumn(1).getInt64();
                item.void_.voided_by = v.getColumn(2).getString();
            } else {
                item.missing = true;
            }
        } else if (kind == "focus") {
            item.kind = OutboxKind::Focus;
            if (auto f = store.focus_on(item.ref)) item.focus = {f->date, f->title, f->body};
            else item.missing = true;
        } else {
            item.missing = true;   // a kind from a newer program: nothing this one can send
        }
        out.push_back(std::move(item));
    }
    tx.commit();
    return out;
}

int drop_missing(KioskStore& store, const std::vector<OutboxItem>& items, Seconds now) {
    int dropped = 0;
    SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& item : items) {
        if (!item.missing) continue;
        reject(store.db(), to_string(item.kind), item.ref, "not found in the local database", now);
        delete_outbox(store.db(), item.seq);
        ++dropped;
    }
    tx.commit();
    return dropped;
}

AckSummary apply_push_results(KioskStore& store, const std::vector<OutboxItem>& sent,
                              const std::vector<PushItemResult>& results, Seconds now) {
    if (sent.size() != results.size()) throw std::logic_error("apply_push_results: one result per item expected");
    auto& db = store.db();
    AckSummary sum;
    int ignored = 0;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const OutboxItem& item = sent[i];
        const PushItemResult& r = results[i];
        switch (r.result) {
            case PushOutcome::Stored:
            case PushOutcome::Duplicate: {
                const bool other = r.result == PushOutcome::Duplicate && !r.canonical.empty() && r.canonical != item.ref;
                if (item.kind == OutboxKind::CheckIn) {
                    if (other) {
                        // Another kiosk checked the same client in for the same visit first:
                        // theirs counts, ours is kept but no longer counted. Both in this one
                        // transaction, so the client's count never dips.
                        const auto own = [&] {
                            SQLite::Statement q(db, "SELECT client_id, class_id FROM checkins WHERE uuid = ?");
                            q.bind(1, item.ref);
                            std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>> ids;
                            if (q.executeStep()) {
                                ids.first = q.getColumn(0).getInt64();
                                if (!q.getColumn(1).isNull()) ids.second = q.getColumn(1).getInt64();
                            }
                            return ids;
                        }();
                        supersede(db, item.ref, r.canonical, now);
                        if (r.canonical_checkin) apply_checkin(db, *r.canonical_checkin, own.first, own.second, ignored);
                        ++sum.superseded;
                    } else {
                        SQLite::Statement q(db, "UPDATE checkins SET synced_at = ? WHERE uuid = ?");
                        q.bind(1, static_cast<std::int64_t>(now));
                        q.bind(2, item.ref);
                        q.exec();
                        ++sum.delivered;
                    }
                } else if (item.kind == OutboxKind::Client && other && !id_by_uid(db, "clients", r.canonical)) {
                    // The server already knew this client (same member code) under its uid.
                    SQLite::Statement q(db, "UPDATE clients SET uid = ? WHERE uid = ?");
                    q.bind(1, r.canonical);
                    q.bind(2, item.ref);
                    q.exec();
                    ++sum.delivered;
                } else {
                    // A client the server stored, a void, or a focus: nothing else to do.
                    ++sum.delivered;
                }
                break;
            }
            case PushOutcome::Rejected:
                reject(db, to_string(item.kind), item.ref, r.reason.empty() ? "rejected" : r.reason, now);
                ++sum.rejected;
                break;
        }
        delete_outbox(db, item.seq);
    }
    tx.commit();
    return sum;
}

ApplySummary apply_changes(KioskStore& store, const ChangesPage& page) {
    auto& db = store.db();
    ApplySummary sum;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& c : page.clients) (apply_client(db, c) ? sum.clients : sum.skipped)++;
    for (const auto& c : page.classes) {
        apply_class(db, c);
        ++sum.classes;
    }
    for (const auto& p : page.passes) (apply_pass(db, p) ? sum.passes : sum.skipped)++;
    for (const auto& f : page.focus) {
        // This kiosk's unsent override is the newer word on that day: keep it. Its push
        // makes it the server's focus, and the feed then brings that back here.
        if (focus_pending(db, f.date)) continue;
        apply_focus(db, f);
        ++sum.focus;
    }
    for (const auto& k : page.checkins) {
        switch (apply_checkin(db, k, std::nullopt, std::nullopt, sum.superseded)) {
            case Applied::Inserted:
            case Applied::Updated: ++sum.checkins; break;
            case Applied::Unchanged: break;
            case Applied::Skipped: ++sum.skipped; break;
        }
    }
    set_meta_of(db, kCursorKey, std::to_string(page.cursor));
    tx.commit();
    return sum;
}

std::int64_t sync_cursor(KioskStore& store) {
    auto v = meta_seconds(store.db(), kCursorKey);
    return v ? static_cast<std::int64_t>(*v) : 0;
}

SyncState sync_state(KioskStore& store) {
    auto& db = store.db();
    SyncState s;
    s.pending = db.execAndGet("SELECT COUNT(*) FROM outbox").getInt();
    s.rejected = db.execAndGet("SELECT COUNT(*) FROM sync_rejected").getInt();
    s.last_success = meta_seconds(db, kLastSuccessKey);
    s.last_attempt = meta_seconds(db, kLastAttemptKey);
    s.last_error = meta_of(db, kLastErrorKey).value_or("");
    if (!s.last_error.empty()) s.last_error_at = meta_seconds(db, kLastErrorAtKey);
    return s;
}

void record_sync_success(KioskStore& store, Seconds now) {
    SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::IMMEDIATE);
    set_meta_of(store.db(), kLastSuccessKey, std::to_string(now));
    set_meta_of(store.db(), kLastAttemptKey, std::to_string(now));
    set_meta_of(store.db(), kLastErrorKey, "");
    tx.commit();
}

void record_sync_failure(KioskStore& store, Seconds now, const std::string& error) {
    SQLite::Transaction tx(store.db(), SQLite::TransactionBehavior::IMMEDIATE);
    set_meta_of(store.db(), kLastAttemptKey, std::to_string(now));
    set_meta_of(store.db(), kLastErrorKey, error);
    set_meta_of(store.db(), kLastErrorAtKey, std::to_string(now));
    tx.commit();
}

}  // namespace studio
