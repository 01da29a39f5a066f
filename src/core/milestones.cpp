#include "core/milestones.h"

namespace studio {

Milestone milestone_of(int n) {
    if (n == 1) return Milestone::FirstVisit;
    if (n >= 4 && n <= 6) return Milestone::Settling;
    if (n == 10) return Milestone::Tenth;
    // The tenth is its own milestone; round numbers start at twenty.
    if (n > 10 && n % 10 == 0) return Milestone::Round;
    return Milestone::None;
}

std::string_view milestone_key(Milestone m) {
    switch (m) {
        case Milestone::None: return "";
        case Milestone::FirstVisit: return "milestone.first";
        case Milestone::Settling: return "milestone.settling";
        case Milestone::Tenth: return "milestone.tenth";
        case Milestone::Round: return "milestone.round";
    }
    return "";
}

}  // namespace studio
