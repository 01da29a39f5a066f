// A studio's door over `days` days with no server: four classes a day with five to
// ten clients each (out of 80 regulars), a couple of visits outside any class, and
// a first-timer registered at the kiosk every day. Every check-in goes through the
// kiosk's own rules (KioskStore::check_in) on a simulated clock. Shared by
// test_offline_month.cpp and `sync_soak month`.
#pragma once

#include <random>
#include <string>

#include "sync_fixture.h"

namespace studio::test {

struct OfflineDays {
    int days = 0;
    int classes = 0;
    int checkins = 0;
    int walk_ins = 0;
    int outbox = 0;
};

inline OfflineDays fill_offline_days(Kiosk& k, int days, std::uint64_t seed, Seconds first_day = at(2026, 11, 1, 6, 0)) {
    OfflineDays f;
    f.days = days;
    std::mt19937_64 rng(seed);
    // The file is thrown away after the test: no need to wait for the disk per check-in.
    k.store.db().exec("PRAGMA synchronous = OFF");
    std::vector<ClientId> regulars;
    for (int i = 0; i < 80; ++i) regulars.push_back(k.add_client("M-" + std::to_string(i), "Regular", i % 7));
    const int slots[][2] = {{7, 30}, {12, 0}, {18, 0}, {19, 30}};
    auto move_to = [&](Seconds t) {
        if (t > k.clock.now()) k.clock.advance(t - k.clock.now());
    };
    k.clock.set(first_day);
    for (int d = 0; d < days; ++d) {
        const Seconds day = first_day + Seconds{d} * 86400;
        const LocalTime lt = to_local(day);
        for (const auto& slot : slots) {
            const Seconds start = at(lt.year, lt.month, lt.day, slot[0], slot[1]);
            k.add_class("class-" + local_date(day) + "-" + std::to_string(slot[0] * 100 + slot[1]), start);
            ++f.classes;
            std::vector<ClientId> group = regulars;
            std::shuffle(group.begin(), group.end(), rng);
            const int n = 5 + static_cast<int>(rng() % 6);
            for (int i = 0; i < n; ++i) {
                move_to(start - 15 * 60 + i * 90);   // they arrive in the quarter hour before
                if (k.store.check_in(group[static_cast<std::size_t>(i)], Source::Self, k.clock, RulesConfig{}).recorded())
                    ++f.checkins;
            }
        }
        // Visits outside any class, and a first-timer.
        for (int i = 0; i < 2; ++i) {
            move_to(at(lt.year, lt.month, lt.day, 15, 10 * i));
            if (k.store.check_in(regulars[rng() % regulars.size()], Source::Self, k.clock, RulesConfig{},
                                 ClassPick::none())
                    .recorded())
                ++f.checkins;
        }
        move_to(at(lt.year, lt.month, lt.day, 20, 0));
        const ClientId walk_in = k.store.create_walk_in("First", "Timer " + std::to_string(d), "", k.clock);
        ++f.walk_ins;
        if (k.store.check_in(walk_in, Source::Self, k.clock, RulesConfig{}, ClassPick::none()).recorded()) ++f.checkins;
    }
    k.store.db().exec("PRAGMA synchronous = FULL");
    f.outbox = k.pending();
    return f;
}

}  // namespace studio::test
