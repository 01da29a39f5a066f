#include "store/demo_data.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdlib>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/uuid.h"

namespace studio {

namespace {

struct DemoClass {
    int hour, minute, duration;
    const char* title;
    const char* coach;
};
// A typical studio day.
const DemoClass kDay[] = {
    {8, 0, 60, "Morning decompression", "Irina"},
    {10, 30, 60, "Gentle lianas", "Marta"},
    {12, 30, 45, "Lunch-break back release", "Irina"},
    {18, 0, 60, "Upper back opening", "Pavel"},
    {19, 30, 60, "Deep stretch", "Marta"},
};

Seconds at(const std::string& date, int hour, int minute) {
    LocalTime lt;
    int y, m, d;
    parse_date(date, y, m, d);
    lt.year = y;
    lt.month = m;
    lt.day = d;
    lt.hour = hour;
    lt.minute = minute;
    return from_local(lt);
}

}  // namespace

DemoSummary load_demo_data(KioskStore& store, const Clock& clock) {
    DemoSummary summary;
    auto& db = store.db();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const Seconds now = clock.now();
    const std::string today = local_date(now);

    // Focus: one per weekday, for the week around today.
    std::string focus_titles[7], focus_bodies[7];
    {
        std::string_view text = embedded_file("demo/focus.txt");
        while (!text.empty()) {
            const auto nl = text.find('\n');
            std::string line(text.substr(0, nl));
            text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
            if (line.empty() || line[0] == '#') continue;
            const auto a = line.find(" | "), b = line.find(" | ", a + 3);
            if (a == std::string::npos || b == std::string::npos) continue;
            const int wd = std::atoi(line.substr(0, a).c_str());
            if (wd < 0 || wd > 6) continue;
            focus_titles[wd] = line.substr(a + 3, b - a - 3);
            focus_bodies[wd] = line.substr(b + 3);
        }
    }

    // Schedule: yesterday to six days ahead, plus an "open practice" starting within
    // minutes of now, so a demo check-in always lands in a class.
    for (int offset = -1; offset <= 6; ++offset) {
        const std::string date = add_days(today, offset);
        const int wd = to_local(at(date, 12, 0)).weekday;
        store.set_focus({date, focus_titles[wd], focus_bodies[wd]});
        for (const auto& c : kDay) {
            ClassSession cs;
            cs.uid = "demo-" + date + "-" + std::to_string(c.hour * 100 + c.minute);
            cs.starts_at = at(date, c.hour, c.minute);
            cs.duration_min = c.duration;
            cs.title = c.title;
            cs.coach = c.coach;
            cs.focus = focus_titles[wd];
            store.upsert_class(cs);
            ++summary.classes;
        }
    }
    {
        const LocalTime lt = to_local(now);
        ClassSession open;
        open.uid = "demo-open-" + today;
        const int minute = (lt.minute / 15 + 1) * 15;   // next quarter hour, within the window
        open.starts_at = at(today, lt.hour, 0) + minute * 60;
        open.duration_min = 45;
        open.title = "Open practice";
        open.coach = "Marta";
        open.focus = focus_titles[lt.weekday];
        // Skip it when a scheduled class already covers now.
        RulesConfig rules;
        if (!choose_class(store.classes_between(now - 3600, now + 3600), now, rules)) {
            store.upsert_class(open);
            ++summary.classes;
        }
    }

    // Clients, passes and some history.
    const auto records = parse_csv(embedded_file("demo/clients.csv"));
    SQLite::Statement visit(db,
                            "INSERT INTO checkins (uuid, client_id, class_id, wall_time, local_date, clock_synced, "
                            "monotonic_ms, source, session_number, pass_state) "
                            "VALUES (?, ?, NULL, ?, ?, 1, 0, 'cli', ?, ?)");
    for (std::size_t i = 1; i < records.size(); ++i) {
        const auto& f = records[i].fields;
        if (f.size() < 9) continue;
        Client c;
        c.first_name = f[0];
        c.last_name = f[1];
        c.phone = f[2];
        c.email = f[3];
        c.member_code = f[4];
        c.prior_sessions = std::atoi(f[5].c_str());
        const ClientId id = store.upsert_client(c);
        ++summary.clients;

        const std::string& kind = f[6];
        Pass p;
        p.client_id = id;
        if (kind == "ten") p = {0, id, 10, add_days(today, -20), add_days(today, 40)};
        else if (kind == "unlimited") p = {0, id, std::nullopt, add_days(today, -10), add_days(today, 20)};
        else if (kind == "last") p = {0, id, 5, add_days(today, -25), add_days(today, 35)};
        else if (kind == "empty") p = {0, id, std::atoi(f[7].c_str()), add_days(today, -30), add_days(today, 30)};
        else if (kind == "expired") p = {0, id, 10, add_days(today, -70), add_days(today, -3)};
        if (kind != "none") store.upsert_pass(p);

        // Past visits, the latest `demo_last_visit_days_ago` days ago, one a day before it.
        const int visits = std::atoi(f[7].c_str());
        const int last_ago = f[8].empty() ? 1 : std::atoi(f[8].c_str());
        for (int v = 0; v < visits; ++v) {
            const int ago = last_ago + (visits - 1 - v) * 2;
            const std::string date = add_days(today, -ago);
            visit.bind(1, new_uuid());
            visit.bind(2, id);
            visit.bind(3, static_cast<std::int64_t>(at(date, 18, 5)));
            visit.bind(4, date);
            visit.bind(5, c.prior_sessions + v + 1);
            visit.bind(6, kind == "none" ? "none" : "active");
            visit.exec();
            visit.reset();
            ++summary.past_visits;
        }
    }
    tx.commit();
    return summary;
}

}  // namespace studio
