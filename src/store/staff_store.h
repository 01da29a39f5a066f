// What the coach and manager screens read and change, on the kiosk's own file:
// today's classes with headcounts, who arrived, undo and move of a check-in, and
// attendance summaries for export. Free functions on a KioskStore (like sync_store.h)
// so the screens' data needs no new class. Every change that must reach the server
// writes its outbox entries in the same IMMEDIATE transaction as the change.
// Dates are the studio's local "YYYY-MM-DD"; a malformed date throws std::invalid_argument.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/milestones.h"
#include "core/model.h"
#include "store/kiosk_store.h"

namespace studio {

// ---- coach: the day's classes and who came ----------------------------------------

struct ClassHeadcount {
    ClassSession cls;   // cls.id == 0 (title empty): the visits without a class
    int arrived = 0;    // valid (not voided) check-ins
};

// Classes starting on `date` (local), in start order, with the number of valid check-ins
// each; then one pseudo-row for the day's visits without a class, only when there are any.
std::vector<ClassHeadcount> classes_on(KioskStore& store, const std::string& date);

struct GroupMember {
    std::string checkin_uuid;
    Client client;
    Seconds arrived_at = 0;     // the check-in's wall time
    int session_number = 0;     // as shown to the client at the door
    std::string pass_state;     // as stored with the check-in: active, unlimited, empty, expired, none
    Milestone milestone = Milestone::None;
    Source source = Source::Self;
};

// Who arrived for a class, in arrival order, voided check-ins left out. class_id 0: the
// visits without a class on `date` (`date` is not used for a real class).
std::vector<GroupMember> group_of(KioskStore& store, ClassId class_id, const std::string& date);

// ---- coach: undo and move ---------------------------------------------------------

// Undo: marks the check-in voided (voided_at = clock.now(), voided_by = by_role) and queues
// an outbox entry 'void' for it, in one IMMEDIATE transaction; the visit no longer counts.
// Throws std::runtime_error("no such check-in") or ("already undone").
void void_checkin(KioskStore& store, const std::string& uuid, const std::string& by_role, const Clock& clock);

// Moves a check-in to another class (ClassPick::of) or to no class (ClassPick::none()): in
// one transaction voids the old one (outbox 'void') and records a new one for the same
// client with the same wall_time, local_date, clock_synced, monotonic reading, session
// number and pass state, source 'coach', a new UUID (outbox 'checkin'). Refuses with a
// std::runtime_error and a plain reason: no such or already undone check-in, no such
// class, a class on another day, the same class as now, or a class (or, for no class, a
// day) the client already has a valid check-in for. Returns the new check-in's UUID.
std::string move_checkin(KioskStore& store, const std::string& uuid, ClassPick target, const std::string& by_role,
                         const Clock& clock);

// ---- manager: attendance at a glance ----------------------------------------------

struct WeekCount {
    std::string week_start;   // the Monday, YYYY-MM-DD
    int count = 0;            // valid check-ins that week
};

// Valid check-ins per week for the `weeks` weeks ending with `today`'s week (weeks start
// on Monday), oldest first: always `weeks` entries, empty weeks included.
std::vector<WeekCount> attendance_by_week(KioskStore& store, const std::string& today, int weeks = 8);
// Valid check-ins per weekday, [0] = Monday .. [6] = Sunday, over the same weeks.
std::array<int, 7> attendance_by_weekday(KioskStore& store, const std::string& today, int weeks = 8);

// ---- manager: summaries for export (RFC 4180, CRLF, header row) --------------------

// One row per client with at least one valid visit in [from, to], by last then first name:
// first_name, last_name, member_code, visits, first_visit, last_visit, last_session_number,
// last_pass_state (the last two from the client's latest visit in the range).
std::string client_summary_csv(KioskStore& store, const std::string& from, const std::string& to);
// One row per class starting in [from, to], in start order, empty classes included:
// date, start, class, coach, arrived.
std::string class_summary_csv(KioskStore& store, const std::string& from, const std::string& to);

}  // namespace studio
