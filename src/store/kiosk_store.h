// The kiosk's local truth: clients, passes, schedule, focus and check-ins in one
// SQLite file. Every write that must reach the server adds an outbox entry in the
// same transaction. Not thread-safe: one KioskStore per thread (SQLite's WAL lets a
// sync worker open its own on the same file).
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/attendance.h"
#include "core/client_import.h"
#include "core/clock.h"
#include "core/model.h"
#include "core/rules.h"
#include "core/search.h"

namespace studio {

struct CheckInOutcome {
    Client client;
    std::optional<ClassSession> cls;
    CheckInDecision decision;
    std::string uuid;        // the new check-in's id; empty when already checked in
    Seconds wall_time = 0;
    bool recorded() const { return !decision.already_checked_in; }
};

// Which class a check-in counts for.
struct ClassPick {
    enum Kind { ByWindow, Class, NoClass } kind = ByWindow;
    ClassId id = 0;
    static ClassPick by_window() { return {}; }
    static ClassPick of(ClassId c) { return {Class, c}; }
    static ClassPick none() { return {NoClass, 0}; }
};

struct ImportReport {
    int inserted = 0;
    int updated = 0;
    std::vector<ImportProblem> problems;   // rows left out (all of them when nothing was imported)
    bool imported = false;                 // false: nothing was written
};

struct StoreStatus {
    int clients = 0;
    int checkins_today = 0;
    int pending_sync = 0;
    int schema_version = 0;
};

class KioskStore {
public:
    explicit KioskStore(const std::string& path);
    ~KioskStore();
    KioskStore(const KioskStore&) = delete;
    KioskStore& operator=(const KioskStore&) = delete;

    SQLite::Database& db() { return *db_; }
    const std::string& path() const { return path_; }

    // Clients and passes
    std::optional<Client> client_by_id(ClientId id);
    std::optional<Client> client_by_code(std::string_view code);   // case-insensitive
    std::vector<SearchEntry> search_entries();
    std::vector<Pass> passes_of(ClientId id);
    // Upserts by member code; returns the client's id.
    ClientId upsert_client(const Client& c);
    void upsert_pass(const Pass& p);   // by (client, valid_from)
    // A first-time visitor registered at the kiosk; synced to the server as a new client.
    ClientId create_walk_in(const std::string& first, const std::string& last, const std::string& phone,
                            const Clock& clock);
    // All rows or none (unless skip_invalid): see core/client_import.h for the columns.
    ImportReport import_clients(std::string_view csv_text, bool skip_invalid, const Clock& clock);

    // Schedule and focus
    ClassId upsert_class(const ClassSession& c);    // by uid
    std::vector<ClassSession> classes_between(Seconds from, Seconds to);
    std::optional<ClassSession> class_by_id(ClassId id);
    std::optional<ClassSession> next_class(Seconds not_before);   // the first to start at or after `not_before`
    void set_focus(const DayFocus& f);
    std::optional<DayFocus> focus_on(const std::string& date);

    // Check-ins
    // Applies the rules at clock.now() and, unless already checked in, records the visit
    // and its outbox entry in one durable transaction. By default the class is chosen by
    // the time window; a client or coach can pick one, or none.
    CheckInOutcome check_in(ClientId client, Source source, const Clock& clock, const RulesConfig& rules,
                            ClassPick pick = ClassPick::by_window());
    // Classes a check-in at `t` could count for, nearest first.
    std::vector<ClassSession> classes_for_checkin(Seconds t, const RulesConfig& rules);
    std::vector<AttendanceRow> attendance(const std::string& from_date, const std::string& to_date);
    StoreStatus status(const Clock& clock);

    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

private:
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
};

}  // namespace studio
