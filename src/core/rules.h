// The check-in rules, as pure functions of the client's history and the time.
// The store gathers a CheckInContext, decide_checkin() says what happens, and the
// store then writes exactly that in one transaction. Nothing here reads a clock.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace studio {

struct RulesConfig {
    int window_before_min = 30;   // a check-in this long before a class's start belongs to it
    int window_after_min = 20;    // ... and this long after its start
    int long_gap_days = 14;       // a visit after this many days away gets a gentle note
};

// Classes whose check-in window contains `t`, nearest start first (ties: earlier start).
std::vector<ClassSession> classes_in_window(const std::vector<ClassSession>& classes, Seconds t,
                                            const RulesConfig& cfg);
// The class a check-in at `t` belongs to, if any: the nearest one in its window.
std::optional<ClassSession> choose_class(const std::vector<ClassSession>& classes, Seconds t,
                                         const RulesConfig& cfg);

enum class PassKind { None, Active, Unlimited, Empty, Expired };
std::string_view to_string(PassKind k);
std::optional<PassKind> pass_kind_from_string(std::string_view s);

struct PassStatus {
    PassKind kind = PassKind::None;
    int sessions_left = 0;   // Active: sessions left after this visit (0 = this was the last)
    std::string until;       // Active/Unlimited/Empty/Expired: the pass's last valid date
    // Empty, expired or missing passes never block a check-in; they are flagged for the coach.
    bool needs_attention() const {
        return kind == PassKind::None || kind == PassKind::Empty || kind == PassKind::Expired;
    }
};

// A valid (not voided) earlier check-in of the client.
struct PriorVisit {
    std::optional<ClassId> class_id;
    std::string local_date;
};

struct CheckInContext {
    Client client;
    std::vector<Pass> passes;
    std::vector<PriorVisit> visits;      // valid check-ins recorded so far, any order
    std::optional<ClassSession> cls;     // the class chosen for this check-in, if any
    std::string today;                   // the studio's local date now
};

// Pass status for a visit on `today`, counting `visits` already made on the pass.
PassStatus pass_status(const std::vector<Pass>& passes, const std::vector<PriorVisit>& visits,
                       std::string_view today);

struct CheckInDecision {
    bool already_checked_in = false;        // nothing is recorded when true
    int session_number = 0;                 // this visit's number (the existing one's count when already)
    PassStatus pass;
    int days_since_last_visit = -1;         // -1: no earlier visit on record
    std::vector<std::string> message_keys;  // text keys to show, in order (see assets/texts)
};

// The message keys for a visit: milestone by session number, a long-gap note, and the
// safety note on a first visit.
std::vector<std::string> message_keys_for(int session_number, int days_since_last_visit,
                                          const RulesConfig& cfg);

CheckInDecision decide_checkin(const CheckInContext& ctx, const RulesConfig& cfg);

}  // namespace studio
