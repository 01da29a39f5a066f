// The check-in rules with a fake clock: class window, one per class/day, session
// numbers, pass states and the messages chosen for each visit.
#include <catch2/catch.hpp>

#include "core/rules.h"
#include "../test_support.h"

using namespace studio;
using studio::test::at;

namespace {

ClassSession cls(ClassId id, Seconds start, const char* title = "Class") {
    ClassSession c;
    c.id = id;
    c.starts_at = start;
    c.title = title;
    return c;
}

CheckInContext ctx_for(int prior, std::vector<PriorVisit> visits, std::optional<ClassSession> c,
                       const std::string& today) {
    CheckInContext ctx;
    ctx.client.id = 1;
    ctx.client.prior_sessions = prior;
    ctx.visits = std::move(visits);
    ctx.cls = std::move(c);
    ctx.today = today;
    return ctx;
}

}  // namespace

TEST_CASE("a check-in belongs to the class whose window contains it") {
    const RulesConfig cfg;   // 30 min before, 20 after
    const Seconds six = at(2026, 11, 20, 18, 0);
    const std::vector<ClassSession> day = {cls(1, at(2026, 11, 20, 16, 0)), cls(2, six), cls(3, at(2026, 11, 20, 19, 30))};

    CHECK(choose_class(day, six - 30 * 60, cfg)->id == 2);        // opens exactly 30 min before
    CHECK_FALSE(choose_class(day, six - 31 * 60, cfg).has_value());
    CHECK(choose_class(day, six + 20 * 60, cfg)->id == 2);        // closes exactly 20 min after
    CHECK_FALSE(choose_class(day, six + 21 * 60, cfg).has_value());
    CHECK(choose_class(day, six + 65 * 60, cfg)->id == 3);        // 19:05 is 25 min before 19:30

    SECTION("the window is configurable") {
        RulesConfig wide;
        wide.window_before_min = 60;
        wide.window_after_min = 45;
        CHECK(choose_class(day, six - 55 * 60, wide)->id == 2);
        CHECK(choose_class(day, six + 44 * 60, wide)->id == 2);
    }
    SECTION("when two windows overlap, the nearest start wins") {
        const std::vector<ClassSession> close = {cls(1, six), cls(2, six + 40 * 60)};
        CHECK(choose_class(close, six + 15 * 60, cfg)->id == 1);
        CHECK(choose_class(close, six + 19 * 60, cfg)->id == 1);
        CHECK(choose_class(close, six + 20 * 60 + 30, cfg)->id == 2);
        CHECK(classes_in_window(close, six + 15 * 60, cfg).size() == 2);
    }
}

TEST_CASE("one check-in per client per class, or per day without a class") {
    const RulesConfig cfg;
    const auto yoga = cls(7, at(2026, 11, 20, 18, 0));
    const std::string today = "2026-11-20";

    SECTION("the same class twice is already checked in, and says which number it was") {
        auto d = decide_checkin(ctx_for(4, {{7, today}}, yoga, today), cfg);
        CHECK(d.already_checked_in);
        CHECK(d.session_number == 5);
        CHECK(d.message_keys.empty());
    }
    SECTION("another class the same day is a new visit") {
        auto d = decide_checkin(ctx_for(4, {{3, today}}, yoga, today), cfg);
        CHECK_FALSE(d.already_checked_in);
        CHECK(d.session_number == 6);
    }
    SECTION("without a class: once a day") {
        CHECK(decide_checkin(ctx_for(0, {{std::nullopt, today}}, std::nullopt, today), cfg).already_checked_in);
        CHECK_FALSE(decide_checkin(ctx_for(0, {{std::nullopt, "2026-11-19"}}, std::nullopt, today), cfg)
                        .already_checked_in);
    }
    SECTION("a tap after the class window closed does not add a second visit that day") {
        CHECK(decide_checkin(ctx_for(0, {{7, today}}, std::nullopt, today), cfg).already_checked_in);
    }
}

TEST_CASE("the session number is prior sessions plus valid check-ins, including this one") {
    const RulesConfig cfg;
    CHECK(decide_checkin(ctx_for(0, {}, std::nullopt, "2026-11-20"), cfg).session_number == 1);
    CHECK(decide_checkin(ctx_for(12, {}, std::nullopt, "2026-11-20"), cfg).session_number == 13);
    CHECK(decide_checkin(ctx_for(2, {{1, "2026-11-01"}, {2, "2026-11-08"}}, std::nullopt, "2026-11-20"), cfg)
              .session_number == 5);
}

TEST_CASE("pass state: sessions left, last, unlimited, empty, expired, none") {
    const std::string today = "2026-11-20";
    const Pass ten{1, 1, 10, "2026-11-01", "2026-12-31"};
    auto visits = [](int n, const std::string& date) { return std::vector<PriorVisit>(n, PriorVisit{std::nullopt, date}); };

    auto s = pass_status({ten}, visits(3, "2026-11-10"), today);
    CHECK(s.kind == PassKind::Active);
    CHECK(s.sessions_left == 6);   // 10 - 3 earlier - this one
    CHECK_FALSE(s.needs_attention());

    SECTION("visits outside the pass's dates do not use it up") {
        CHECK(pass_status({ten}, visits(5, "2026-10-15"), today).sessions_left == 9);
    }
    SECTION("the last session is still active, with nothing left after it") {
        s = pass_status({ten}, visits(9, "2026-11-10"), today);
        CHECK(s.kind == PassKind::Active);
        CHECK(s.sessions_left == 0);
    }
    SECTION("empty: flagged, never blocking") {
        s = pass_status({ten}, visits(10, "2026-11-10"), today);
        CHECK(s.kind == PassKind::Empty);
        CHECK(s.needs_attention());
        auto d = decide_checkin(CheckInContext{{}, {ten}, visits(10, "2026-11-10"), std::nullopt, today}, RulesConfig{});
        CHECK_FALSE(d.already_checked_in);
        CHECK(d.pass.kind == PassKind::Empty);
    }
    SECTION("used beyond its sessions (checked in anyway before): still empty, not none") {
        s = pass_status({ten}, visits(12, "2026-11-10"), today);
        CHECK(s.kind == PassKind::Empty);
    }
    SECTION("expired: the last day is still valid, the day after is not") {
        const Pass old{2, 1, 10, "2026-10-01", "2026-11-19"};
        CHECK(pass_status({old}, {}, "2026-11-19").kind == PassKind::Active);
        s = pass_status({old}, {}, today);
        CHECK(s.kind == PassKind::Expired);
        CHECK(s.until == "2026-11-19");
        CHECK(s.needs_attention());
    }
    SECTION("unlimited") {
        s = pass_status({{3, 1, std::nullopt, "2026-11-01", "2026-11-30"}}, visits(40, "2026-11-10"), today);
        CHECK(s.kind == PassKind::Unlimited);
        CHECK_FALSE(s.needs_attention());
    }
    SECTION("none, or only a pass that starts later") {
        CHECK(pass_status({}, {}, today).kind == PassKind::None);
        CHECK(pass_status({{4, 1, 10, "2026-12-01", "2026-12-31"}}, {}, today).kind == PassKind::None);
    }
    SECTION("a new pass bought before the old one ran out is the one that counts") {
        const Pass used_up{5, 1, 5, "2026-11-01", "2026-12-31"};
        const Pass fresh{6, 1, 8, "2026-11-15", "2027-01-15"};
        s = pass_status({used_up, fresh}, visits(5, "2026-11-16"), today);
        CHECK(s.kind == PassKind::Active);
        CHECK(s.sessions_left == 2);   // 8 - 5 in its dates - this one
    }
    SECTION("already checked in reports what is left now, not after another visit") {
        auto d = decide_checkin(CheckInContext{{}, {ten}, {{7, today}}, cls(7, 0), today}, RulesConfig{});
        CHECK(d.already_checked_in);
        CHECK(d.pass.sessions_left == 9);
    }
}

TEST_CASE("messages follow the session number, with a gap note and a first-visit safety note") {
    const RulesConfig cfg;
    using V = std::vector<std::string>;
    CHECK(message_keys_for(1, -1, cfg) == V{"msg.first", "msg.safety"});
    CHECK(message_keys_for(2, 3, cfg) == V{"msg.early"});
    CHECK(message_keys_for(3, 3, cfg) == V{"msg.early"});
    CHECK(message_keys_for(4, 3, cfg) == V{"msg.settling"});
    CHECK(message_keys_for(6, 3, cfg) == V{"msg.settling"});
    CHECK(message_keys_for(7, 3, cfg) == V{"msg.building"});
    CHECK(message_keys_for(9, 3, cfg) == V{"msg.building"});
    CHECK(message_keys_for(10, 3, cfg) == V{"msg.tenth"});
    CHECK(message_keys_for(11, 3, cfg) == V{"msg.beyond"});
    CHECK(message_keys_for(20, 3, cfg) == V{"msg.round"});
    CHECK(message_keys_for(21, 3, cfg) == V{"msg.beyond"});

    SECTION("a long gap adds a gentle note first; the threshold is configurable") {
        CHECK(message_keys_for(5, 13, cfg) == V{"msg.settling"});
        CHECK(message_keys_for(5, 14, cfg) == V{"msg.gap", "msg.settling"});
        RulesConfig patient;
        patient.long_gap_days = 30;
        CHECK(message_keys_for(5, 20, patient) == V{"msg.settling"});
    }
    SECTION("days since the last visit come from the latest valid visit") {
        auto d = decide_checkin(ctx_for(0, {{1, "2026-10-01"}, {2, "2026-11-01"}}, std::nullopt, "2026-11-20"), cfg);
        CHECK(d.days_since_last_visit == 19);
        CHECK(d.message_keys.front() == "msg.gap");
        CHECK(d.session_number == 3);
    }
    SECTION("prior sessions from before the system: no first-visit note") {
        auto d = decide_checkin(ctx_for(3, {}, std::nullopt, "2026-11-20"), cfg);
        CHECK(d.message_keys == V{"msg.settling"});
    }
}

TEST_CASE("calendar helpers") {
    CHECK(valid_date("2024-02-29"));
    CHECK_FALSE(valid_date("2023-02-29"));
    CHECK_FALSE(valid_date("2026-13-01"));
    CHECK_FALSE(valid_date("2026-1-01"));
    CHECK_FALSE(valid_date("26-11-20xx"));
    CHECK(days_between("2026-12-25", "2027-01-08") == 14);
    CHECK(add_days("2026-12-31", 1) == "2027-01-01");
    CHECK(add_days("2024-03-01", -1) == "2024-02-29");
    CHECK(local_date(at(2026, 11, 20, 23, 59)) == "2026-11-20");
    CHECK(local_hhmm(at(2026, 11, 20, 7, 5)) == "07:05");
}
