// Which sessions the coach screen marks: the first visit, the weeks when the ache
// usually settles (4-6), the tenth (when it starts to hold) and every round number after.
// Pure: a function of the session number, so the coach list and the kiosk agree.
#pragma once

#include <string_view>

namespace studio {

enum class Milestone {
    None,
    FirstVisit,   // session 1: show the safety note, welcome them
    Settling,     // sessions 4-6: the ache usually settles now
    Tenth,        // session 10: about when the effect holds
    Round,        // 20, 30, ...: a round number past ten
};

// The milestone a visit with this session number reaches; None for 0 and below.
Milestone milestone_of(int session_number);

// The text key for a milestone ("milestone.first", ...); empty for None.
std::string_view milestone_key(Milestone m);

}  // namespace studio
