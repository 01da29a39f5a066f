// Milestones by session number: what the coach screen flags next to a name.
#include <catch2/catch.hpp>

#include "core/milestones.h"

using namespace studio;

TEST_CASE("milestones: first visit, settling 4-6, the tenth, round numbers past ten") {
    CHECK(milestone_of(1) == Milestone::FirstVisit);
    for (int n : {2, 3, 7, 8, 9, 11, 15, 19, 21, 99, 101})
        CHECK(milestone_of(n) == Milestone::None);
    for (int n : {4, 5, 6}) CHECK(milestone_of(n) == Milestone::Settling);
    CHECK(milestone_of(10) == Milestone::Tenth);
    for (int n : {20, 30, 50, 100, 110}) CHECK(milestone_of(n) == Milestone::Round);
}

TEST_CASE("milestones: no milestone for a session number that cannot be shown") {
    CHECK(milestone_of(0) == Milestone::None);
    CHECK(milestone_of(-10) == Milestone::None);   // -10 % 10 == 0: must not read as a round number
}

TEST_CASE("milestones: each has its own text key, None has none") {
    CHECK(milestone_key(Milestone::None).empty());
    CHECK(milestone_key(Milestone::FirstVisit) == "milestone.first");
    CHECK(milestone_key(Milestone::Settling) == "milestone.settling");
    CHECK(milestone_key(Milestone::Tenth) == "milestone.tenth");
    CHECK(milestone_key(Milestone::Round) == "milestone.round");
}
