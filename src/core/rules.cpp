#include "core/rules.h"

#include <algorithm>
#include <cstdlib>

#include "core/clock.h"

namespace studio {

std::string_view to_string(Source s) {
    switch (s) {
        case Source::Self: return "self";
        case Source::Coach: return "coach";
        case Source::Cli: return "cli";
    }
    return "self";
}

std::optional<Source> source_from_string(std::string_view s) {
    if (s == "self") return Source::Self;
    if (s == "coach") return Source::Coach;
    if (s == "cli") return Source::Cli;
    return std::nullopt;
}

std::vector<ClassSession> classes_in_window(const std::vector<ClassSession>& classes, Seconds t,
                                            const RulesConfig& cfg) {
    std::vector<ClassSession> in;
    for (const auto& c : classes) {
        const Seconds opens = c.starts_at - Seconds{cfg.window_before_min} * 60;
        const Seconds closes = c.starts_at + Seconds{cfg.window_after_min} * 60;
        if (t >= opens && t <= closes) in.push_back(c);
    }
    std::stable_sort(in.begin(), in.end(), [t](const ClassSession& a, const ClassSession& b) {
        const auto da = std::llabs(a.starts_at - t), db = std::llabs(b.starts_at - t);
        return da != db ? da < db : a.starts_at < b.starts_at;
    });
    return in;
}

std::optional<ClassSession> choose_class(const std::vector<ClassSession>& classes, Seconds t,
                                         const RulesConfig& cfg) {
    auto in = classes_in_window(classes, t, cfg);
    if (in.empty()) return std::nullopt;
    return in.front();
}

std::string_view to_string(PassKind k) {
    switch (k) {
        case PassKind::None: return "none";
        case PassKind::Active: return "active";
        case PassKind::Unlimited: return "unlimited";
        case PassKind::Empty: return "empty";
        case PassKind::Expired: return "expired";
    }
    return "none";
}

std::optional<PassKind> pass_kind_from_string(std::string_view s) {
    for (PassKind k : {PassKind::None, PassKind::Active, PassKind::Unlimited, PassKind::Empty,
                       PassKind::Expired})
        if (to_string(k) == s) return k;
    return std::nullopt;
}

namespace {
int used_on(const Pass& p, const std::vector<PriorVisit>& visits) {
    // ISO dates compare correctly as strings.
    return static_cast<int>(std::count_if(visits.begin(), visits.end(), [&](const PriorVisit& v) {
        return v.local_date >= p.valid_from && v.local_date <= p.valid_until;
    }));
}
}  // namespace

PassStatus pass_status(const std::vector<Pass>& passes, const std::vector<PriorVisit>& visits,
                       std::string_view today) {
    const std::string day(today);
    // Of the passes valid today, an unlimited one wins, then the one with most sessions left:
    // a client who bought a new pass before the old one ran out must not be flagged.
    std::optional<PassStatus> best;
    std::optional<int> best_left;
    std::string latest_end;
    for (const auto& p : passes) {
        if (p.valid_until < day) {
            latest_end = std::max(latest_end, p.valid_until);
            continue;
        }
        if (p.valid_from > day) continue;   // not started yet
        if (!p.sessions_total) return {PassKind::Unlimited, 0, p.valid_until};
        const int left_before = *p.sessions_total - used_on(p, visits);
        if (!best_left || left_before > *best_left) {
            best_left = left_before;
            best = left_before > 0 ? PassStatus{PassKind::Active, left_before - 1, p.valid_until}
                                   : PassStatus{PassKind::Empty, 0, p.valid_until};
        }
    }
    if (best) return *best;
    if (!latest_end.empty()) return {PassKind::Expired, 0, latest_end};
    return {PassKind::None, 0, {}};
}

std::vector<std::string> message_keys_for(int n, int days_since_last, const RulesConfig& cfg) {
    std::vector<std::string> keys;
    if (days_since_last >= cfg.long_gap_days) keys.emplace_back("msg.gap");
    if (n <= 1) keys.emplace_back("msg.first");
    else if (n <= 3) keys.emplace_back("msg.early");
    else if (n <= 6) keys.emplace_back("msg.settling");
    else if (n <= 9) keys.emplace_back("msg.building");
    else if (n == 10) keys.emplace_back("msg.tenth");
    else if (n % 10 == 0) keys.emplace_back("msg.round");
    else keys.emplace_back("msg.beyond");
    if (n <= 1) keys.emplace_back("msg.safety");
    return keys;
}

CheckInDecision decide_checkin(const CheckInContext& ctx, const RulesConfig& cfg) {
    CheckInDecision d;
    std::string last;
    for (const auto& v : ctx.visits) last = std::max(last, v.local_date);
    if (!last.empty()) d.days_since_last_visit = days_between(last, ctx.today);

    d.already_checked_in = std::any_of(ctx.visits.begin(), ctx.visits.end(), [&](const PriorVisit& v) {
        if (ctx.cls) return v.class_id == ctx.cls->id;
        // A visit outside any class window counts once a day, and a client already in a
        // class today is already here: a second tap after the window must not add a session.
        return v.local_date == ctx.today;
    });

    const int recorded = ctx.client.prior_sessions + static_cast<int>(ctx.visits.size());
    if (d.already_checked_in) {
        d.session_number = recorded;
        d.pass = pass_status(ctx.passes, ctx.visits, ctx.today);
        // Nothing new is used up: report what is left now, not after another visit.
        if (d.pass.kind == PassKind::Active) d.pass.sessions_left += 1;
        return d;
    }
    d.session_number = recorded + 1;
    d.pass = pass_status(ctx.passes, ctx.visits, ctx.today);
    d.message_keys = message_keys_for(d.session_number, d.days_since_last_visit, cfg);
    return d;
}

}  // namespace studio
