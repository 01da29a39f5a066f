// What travels between a kiosk and studio-server, as plain records, and the
// kiosk's side of it: reading the outbox oldest first, applying the server's
// per-item answers, applying the changes feed, and the sync state the staff see.
// Free functions on a KioskStore, so the sync worker uses its own connection.
// No JSON and no curl here: src/sync/protocol.h maps these records to the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "store/kiosk_store.h"

namespace studio {

// ---- records -------------------------------------------------------------------

struct SyncClient {
    std::string uid;
    std::string member_code;   // empty: none (a walk-in without a card)
    std::string first_name;
    std::string last_name;
    std::string phone;
    std::string email;
    int prior_sessions = 0;
};

struct SyncPass {
    std::string client_uid;
    std::optional<int> sessions_total;   // nullopt: unlimited
    std::string valid_from;              // YYYY-MM-DD; (client_uid, valid_from) is the key
    std::string valid_until;
};

struct SyncClass {
    std::string uid;
    Seconds starts_at = 0;
    int duration_min = 60;
    std::string title;
    std::string coach;
    std::string focus;
};

struct SyncFocus {
    std::string date;   // YYYY-MM-DD
    std::string title;
    std::string body;
};

// Text limits of the protocol, in bytes (schema/sync-protocol.md, "Field rules").
inline constexpr std::size_t kSyncMaxText = 2000;       // names, titles, coach
inline constexpr std::size_t kSyncMaxLongText = 4000;   // focus text

struct SyncCheckIn {
    std::string uuid;
    std::string client_uid;
    std::string class_uid;             // empty: a visit outside any class
    Seconds wall_time = 0;             // kiosk clock
    std::string local_date;
    bool clock_synced = false;
    std::int64_t monotonic_ms = 0;
    std::string source = "self";       // self, coach, cli
    int session_number = 0;            // as shown at the kiosk
    std::string pass_state = "none";
    bool voided = false;
    Seconds voided_at = 0;
    std::string voided_by;
    // Filled by the server (changes feed, canonical check-ins); ignored in a push.
    std::string device;                // label of the kiosk that recorded it
    Seconds received_at = 0;           // server clock when it arrived
    std::string time_flag;             // "" or why the kiosk time looks implausible
};

struct SyncVoid {
    std::string uuid;
    Seconds voided_at = 0;
    std::string voided_by;
};

enum class OutboxKind { Client, CheckIn, Void, Focus };
const char* to_string(OutboxKind k);

// One outbox entry, with what it refers to read from the database.
struct OutboxItem {
    std::int64_t seq = 0;
    OutboxKind kind = OutboxKind::CheckIn;
    std::string ref;                     // client uid, check-in uuid, or focus date (YYYY-MM-DD)
    bool missing = false;                // the row it refers to is gone: nothing to send
    SyncClient client;                   // Client: the client; CheckIn: a snapshot of its client
    SyncCheckIn checkin;                 // CheckIn
    std::optional<SyncClass> cls;        // CheckIn with a class: a snapshot of the class
    SyncVoid void_;                      // Void
    SyncFocus focus;                     // Focus: the day's focus as it is now
};

enum class PushOutcome { Stored, Duplicate, Rejected };
const char* to_string(PushOutcome o);

// The server's answer for one pushed item.
struct PushItemResult {
    std::string ref;
    PushOutcome result = PushOutcome::Rejected;
    std::string canonical;                      // Duplicate: the uuid/uid that counts (may equal ref)
    std::optional<SyncCheckIn> canonical_checkin;   // Duplicate of another kiosk's check-in: that check-in
    std::string reason;                         // Rejected: why
};

// One page of the changes feed.
struct ChangesPage {
    std::int64_t cursor = 0;   // pass this back to get what follows
    bool more = false;         // true: ask again at once
    std::vector<SyncClient> clients;
    std::vector<SyncPass> passes;
    std::vector<SyncClass> classes;
    std::vector<SyncFocus> focus;
    std::vector<SyncCheckIn> checkins;   // other kiosks' check-ins and voids, oldest change first
};

// ---- kiosk side -------------------------------------------------------------------

// A manager's override of a day's focus: upserts day_focus and queues a 'focus'
// outbox entry (ref = the date) in one IMMEDIATE transaction, both or neither. An
// older pending entry for the same date is replaced (the push sends the row as it is
// then). Throws std::invalid_argument for a focus the server would refuse (not a
// date, no title, text too long or not UTF-8), before writing anything.
void set_focus_and_queue(KioskStore& store, const DayFocus& focus, Seconds now);

// The oldest `limit` outbox entries, with their rows (oldest first, by outbox.seq).
std::vector<OutboxItem> outbox_batch(KioskStore& store, std::size_t limit);

// Drops entries whose row is gone (recorded in sync_rejected). Returns how many.
int drop_missing(KioskStore& store, const std::vector<OutboxItem>& items, Seconds now);

struct AckSummary {
    int delivered = 0;    // stored, or already on the server
    int superseded = 0;   // the server counts another kiosk's check-in for the same visit
    int rejected = 0;     // refused for good (kept in sync_rejected)
};

// Applies the server's answers in one transaction: an entry leaves the outbox only
// here, after the server answered for it. `results[i]` answers `sent[i]`.
AckSummary apply_push_results(KioskStore& store, const std::vector<OutboxItem>& sent,
                              const std::vector<PushItemResult>& results, Seconds now);

struct ApplySummary {
    int clients = 0, passes = 0, classes = 0, focus = 0, checkins = 0;
    int superseded = 0;   // this kiosk's unsent check-ins that another kiosk's made redundant
    int skipped = 0;      // rows that referred to something unknown here
    bool changed() const { return clients + passes + classes + focus + checkins + superseded > 0; }
};

// Applies one page and moves the cursor, in one transaction. A day whose focus this
// kiosk overrode and has not pushed yet keeps the override (the push will bring it
// to the server, and the feed back to every kiosk).
ApplySummary apply_changes(KioskStore& store, const ChangesPage& page);

std::int64_t sync_cursor(KioskStore& store);

// What the staff see: a calm indicator on the kiosk and `studio-kiosk status`.
struct SyncState {
    int pending = 0;                      // outbox entries not yet acknowledged
    int rejected = 0;                     // entries the server refused for good
    std::optional<Seconds> last_success;  // last pass that delivered everything and pulled
    std::optional<Seconds> last_attempt;
    std::string last_error;               // empty after a success
    std::optional<Seconds> last_error_at;
};
SyncState sync_state(KioskStore& store);
void record_sync_success(KioskStore& store, Seconds now);
void record_sync_failure(KioskStore& store, Seconds now, const std::string& error);

}  // namespace studio
