// A manager's override of the day's focus on one kiosk: through the outbox to
// studio-server (real TLS on 127.0.0.1) and from there to the studio's other kiosks,
// never another studio's; resends, malformed entries, and a local write that fails.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sync/protocol.h"
#include "sync_fixture.h"

using namespace studio;
using namespace studio::test;
using nlohmann::json;
using studio::sync::SyncStatus;

namespace {

constexpr const char* kDay = "2026-11-20";   // the kiosks' today (Kiosk::clock starts on it)

struct Chain {
    TempDir dir;
    FaultPlan plan;
    TestServer server{test_server_config(dir.file("server.db")), [this] {
                          server::ServerHooks h;
                          h.fault = plan.hook();
                          return h;
                      }()};
    std::string token_a = server.add_kiosk("Center", "front-desk");
    std::string token_b = server.add_kiosk("Center", "side-door");
    std::string token_c = server.add_kiosk("North", "door");
    Kiosk a, b, c;

    // "title|body" of a studio's focus on `date` as the server holds it, "" for none:
    // read from the server's database file on a connection of its own.
    std::string server_focus(const std::string& studio, const std::string& date = kDay) {
        SQLite::Database db(dir.file("server.db"), SQLite::OPEN_READONLY);
        SQLite::Statement q(db, "SELECT f.title || '|' || f.body FROM day_focus f JOIN studios s ON s.id = f.studio_id "
                                "WHERE s.name = ? AND f.date = ?");
        q.bind(1, studio);
        q.bind(2, date);
        return q.executeStep() ? q.getColumn(0).getString() : std::string();
    }
    // The server-wide change sequence: it moves with every stored change.
    std::int64_t changes() {
        SQLite::Database db(dir.file("server.db"), SQLite::OPEN_READONLY);
        return db.execAndGet("SELECT value FROM change_counter WHERE id = 1").getInt64();
    }
    int server_rows() {
        return server.store().count("day_focus") + server.store().count("clients") + server.store().count("checkins");
    }
};

std::string focus_text(Kiosk& k, const std::string& date = kDay) {
    const auto f = k.store.focus_on(date);
    return f ? f->title + "|" + f->body : std::string();
}

int rejected_focus(Kiosk& k) { return k.count("SELECT COUNT(*) FROM sync_rejected WHERE kind = 'focus'"); }

json client_item(const std::string& uid) {
    return {{"kind", "client"},
            {"client", {{"uid", uid}, {"member_code", nullptr}, {"first_name", "Olga"}, {"last_name", "Ёлкина"},
                        {"phone", ""}, {"email", ""}, {"prior_sessions", 0}}}};
}

json focus_item(const std::string& date, const std::string& title, const std::string& body) {
    return {{"kind", "focus"}, {"date", date}, {"title", title}, {"body", body}};
}

std::vector<PushItemResult> push_ok(sync::HttpClient& http, const json& body) {
    const auto resp = http.post_json("/api/v1/push", body.dump());
    INFO(resp.body);
    REQUIRE(resp.status == 200);
    std::vector<PushItemResult> results;
    std::string why;
    REQUIRE(sync::decode_push_response(resp.body, body["items"].size(), results, why));
    return results;
}

}  // namespace

TEST_CASE("focus sync: the wire format of a focus entry") {
    OutboxItem item;
    item.kind = OutboxKind::Focus;
    item.ref = kDay;
    item.focus = {kDay, "Neck and shoulders", "Soften the top of the shoulders."};
    const std::string body = sync::encode_push_request({item});
    CHECK(json::parse(body) == json::parse(R"({"items": [{"kind": "focus", "date": "2026-11-20",
        "title": "Neck and shoulders", "body": "Soften the top of the shoulders."}]})"));

    sync::PushRequest decoded;
    std::string why;
    REQUIRE(sync::decode_push_request(body, decoded, why));
    REQUIRE(decoded.items.size() == 1);
    CHECK(decoded.items[0].kind == OutboxKind::Focus);
    CHECK(decoded.items[0].ref == kDay);
    CHECK(decoded.items[0].focus.title == "Neck and shoulders");
    CHECK(decoded.items[0].focus.body == "Soften the top of the shoulders.");

    SECTION("body may be left out; unknown kinds name the four") {
        REQUIRE(sync::decode_push_request(R"({"items": [{"kind": "focus", "date": "2026-11-20", "title": "X"}]})",
                                          decoded, why));
        CHECK(decoded.items[0].focus.body.empty());
        CHECK_FALSE(sync::decode_push_request(R"({"items": [{"kind": "fokus"}]})", decoded, why));
        CHECK(why == "items[0].kind: expected client, checkin, void or focus");
    }
}

TEST_CASE("focus sync: a manager's override on one kiosk reaches the server and the studio's other kiosks") {
    Chain s;
    s.server.store().set_focus("Center", {kDay, "Shoulder blades", "Let them melt down the back."});
    s.server.store().set_focus("North", {kDay, "Hips", "Heavy sit bones."});
    REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    REQUIRE(s.c.sync(s.server.url(), s.token_c).ok());
    REQUIRE(focus_text(s.b) == "Shoulder blades|Let them melt down the back.");
    REQUIRE(focus_text(s.c) == "Hips|Heavy sit bones.");

    // What the manager screen does on "save" (src/kiosk/staff_services.cpp).
    const Seconds now = s.a.clock.now();
    REQUIRE(local_date(now) == kDay);
    set_focus_and_queue(s.a.store, {local_date(now), "Neck and shoulders", "Soften the top of the shoulders."}, now);
    CHECK(focus_text(s.a) == "Neck and shoulders|Soften the top of the shoulders.");
    CHECK(s.a.count("SELECT COUNT(*) FROM outbox WHERE kind = 'focus' AND ref = '2026-11-20'") == 1);

    const auto r = s.a.sync(s.server.url(), s.token_a);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(r.delivered == 1);
    CHECK(r.rejected == 0);
    CHECK(s.a.pending() == 0);
    CHECK(s.server_focus("Center") == "Neck and shoulders|Soften the top of the shoulders.");
    CHECK(s.server.store().count("day_focus") == 2);   // upserted, not added
    CHECK(focus_text(s.a) == "Neck and shoulders|Soften the top of the shoulders.");   // its own echo changes nothing

    const auto rb = s.b.sync(s.server.url(), s.token_b);
    REQUIRE(rb.ok());
    CHECK(rb.pulled == 1);
    CHECK(focus_text(s.b) == "Neck and shoulders|Soften the top of the shoulders.");
    CHECK(s.b.pending() == 0);   // learnt from the feed: never pushed back

    SECTION("another studio's kiosk never gets it") {
        const auto rc = s.c.sync(s.server.url(), s.token_c);
        REQUIRE(rc.ok());
        CHECK(rc.pulled == 0);
        CHECK(focus_text(s.c) == "Hips|Heavy sit bones.");
        CHECK(s.server_focus("North") == "Hips|Heavy sit bones.");
    }
    SECTION("a later override wins again, on every kiosk of the studio") {
        s.b.clock.advance(600);
        set_focus_and_queue(s.b.store, {kDay, "Breath and ribs", ""}, s.b.clock.now());
        REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
        REQUIRE(s.a.sync(s.server.url(), s.token_a).ok());
        CHECK(s.server_focus("Center") == "Breath and ribs|");
        CHECK(focus_text(s.a) == "Breath and ribs|");
    }
}

TEST_CASE("focus sync: sending the same focus again is harmless") {
    Chain s;
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());

    SECTION("the answer is lost after the server stored it: the resend is a duplicate and a no-op") {
        set_focus_and_queue(s.a.store, {kDay, "Neck and shoulders", "Soften."}, s.a.clock.now());
        s.plan.add(status_fault(500, 0, /*after_commit=*/true));
        const auto lost = s.a.sync(s.server.url(), s.token_a);
        CHECK(lost.status == SyncStatus::ServerError);
        CHECK(s.a.pending() == 1);   // kept until the server's answer is stored
        CHECK(s.server_focus("Center") == "Neck and shoulders|Soften.");
        const std::int64_t before = s.changes();

        const auto again = s.a.sync(s.server.url(), s.token_a);
        INFO(again.detail);
        REQUIRE(again.ok());
        CHECK(again.delivered == 1);
        CHECK(s.a.pending() == 0);
        CHECK(rejected_focus(s.a) == 0);
        CHECK(s.changes() == before);   // nothing new on the server, so nothing new in the feed
        CHECK(s.server.store().count("day_focus") == 1);
        const auto rb = s.b.sync(s.server.url(), s.token_b);
        REQUIRE(rb.ok());
        CHECK(rb.pulled == 1);   // the focus, once
        CHECK(focus_text(s.b) == "Neck and shoulders|Soften.");
    }
    SECTION("the same push twice over HTTP: stored, then duplicate of itself") {
        sync::HttpClient http{transport(s.server.url(), s.token_a)};
        const json body = {{"items", {focus_item(kDay, "Neck and shoulders", "Soften.")}}};
        auto results = push_ok(http, body);
        CHECK(results[0].ref == kDay);
        CHECK(results[0].result == PushOutcome::Stored);
        const std::int64_t before = s.changes();
        results = push_ok(http, body);
        CHECK(results[0].ref == kDay);
        CHECK(results[0].result == PushOutcome::Duplicate);
        CHECK(results[0].canonical == kDay);
        CHECK(s.changes() == before);
        CHECK(s.server.store().count("day_focus") == 1);
        CHECK(s.server_focus("Center") == "Neck and shoulders|Soften.");
    }
    SECTION("saved twice before a sync: one outbox entry, the latest text sent") {
        set_focus_and_queue(s.a.store, {kDay, "Neck", ""}, s.a.clock.now());
        set_focus_and_queue(s.a.store, {kDay, "Neck and shoulders", "Soften."}, s.a.clock.now());
        CHECK(s.a.pending() == 1);
        const auto r = s.a.sync(s.server.url(), s.token_a);
        REQUIRE(r.ok());
        CHECK(r.delivered == 1);
        CHECK(s.server_focus("Center") == "Neck and shoulders|Soften.");
    }
}

TEST_CASE("focus sync: a malformed focus entry is refused with a reason and nothing changes") {
    Chain s;
    sync::HttpClient http{transport(s.server.url(), s.token_a)};
    const std::int64_t before = s.changes();

    SECTION("over HTTP: 400 naming the field; the good entry before it is not stored either") {
        struct Case {
            const char* name;
            json focus;
            const char* reason;
        };
        json no_title = focus_item(kDay, "X", "");
        no_title.erase("title");
        json wrong_type = focus_item(kDay, "X", "");
        wrong_type["title"] = 5;
        json no_date = focus_item(kDay, "X", "");
        no_date.erase("date");
        const Case cases[] = {
            {"not a calendar date", focus_item("2026-02-30", "X", ""), "items[1].date: not a date (YYYY-MM-DD)"},
            {"not a date at all", focus_item("20.11.2026", "X", ""), "items[1].date: not a date (YYYY-MM-DD)"},
            {"no date", no_date, "items[1].date: missing"},
            {"no title", no_title, "items[1].title: missing"},
            {"an empty title", focus_item(kDay, "", "body"), "items[1].title: empty"},
            {"a title of the wrong type", wrong_type, "items[1].title: expected a string"},
            {"a title too long", focus_item(kDay, std::string(2001, 't'), ""), "items[1].title: longer than 2000 bytes"},
            {"focus text too long", focus_item(kDay, "X", std::string(4001, 'b')), "items[1].body: longer than 4000 bytes"},
        };
        for (const auto& c : cases) {
            INFO(c.name);
            const json body = {{"items", {client_item("c-olga"), c.focus}}};
            const auto r = http.post_json("/api/v1/push", body.dump());
            CHECK(r.status == 400);
            CHECK(sync::error_reason(r.body) == c.reason);
        }
        const auto utf8 = http.post_json("/api/v1/push", std::string(R"({"items": [{"kind": "focus", "date": "2026-11-20", )") +
                                                             "\"title\": \"\xff\xfe\"}]}");
        CHECK(utf8.status == 400);
        CHECK_THAT(sync::error_reason(utf8.body), Catch::Contains("not valid"));
        CHECK(s.server_rows() == 0);
        CHECK(s.changes() == before);
        // At the longest allowed, it is stored.
        const auto ok = push_ok(http, {{"items", {focus_item(kDay, std::string(2000, 't'), std::string(4000, 'b'))}}});
        CHECK(ok[0].result == PushOutcome::Stored);
        CHECK(s.server.store().count("clients") == 0);
        CHECK(s.server.store().count("day_focus") == 1);
    }
    SECTION("from a kiosk: that entry is set aside with the server's reason, the rest is delivered") {
        // Written past set_focus_and_queue (which refuses it), as a buggy older build might have.
        s.a.store.db().exec("INSERT INTO day_focus (date, title, body) VALUES ('2026-02-30', 'Ghost day', '')");
        s.a.store.db().exec("INSERT INTO outbox (kind, ref, created_at) VALUES ('focus', '2026-02-30', 0)");
        s.a.store.create_walk_in("Olga", "Ёлкина", "", s.a.clock);
        REQUIRE(s.a.pending() == 2);
        const auto r = s.a.sync(s.server.url(), s.token_a);
        INFO(r.detail);
        REQUIRE(r.ok());
        CHECK(r.rejected == 1);
        CHECK(r.delivered == 1);
        CHECK(s.a.pending() == 0);
        SQLite::Statement q(s.a.store.db(), "SELECT ref, reason FROM sync_rejected WHERE kind = 'focus'");
        REQUIRE(q.executeStep());
        CHECK(q.getColumn(0).getString() == "2026-02-30");
        CHECK(q.getColumn(1).getString() == "malformed: items[0].date: not a date (YYYY-MM-DD)");
        CHECK(s.server.store().count("day_focus") == 0);
        CHECK(s.server.store().count("clients") == 1);
        CHECK(s.a.store.focus_on("2026-02-30"));   // kept locally, listed as refused
    }
    SECTION("the server's store refuses it per item, whoever calls it, and stores nothing") {
        const auto dev = s.server.store().authenticate(s.token_a, 0);
        REQUIRE(dev);
        auto item = [](const std::string& date, const std::string& title, const std::string& body) {
            OutboxItem i;
            i.kind = OutboxKind::Focus;
            i.ref = date;
            i.focus = {date, title, body};
            return i;
        };
        const auto results = s.server.store().push(
            *dev, {item("2026-13-01", "X", ""), item(kDay, "", ""), item(kDay, "X", std::string(4001, 'b'))}, 0);
        REQUIRE(results.size() == 3);
        for (const auto& r : results) CHECK(r.result == PushOutcome::Rejected);
        CHECK(results[0].ref == "2026-13-01");
        CHECK(results[0].reason == "date: not a date (YYYY-MM-DD)");
        CHECK(results[1].reason == "title: a focus needs a title");
        CHECK(results[2].reason == "body: longer than 4000 bytes");
        CHECK(s.server_rows() == 0);
        CHECK(s.changes() == before);
    }
    SECTION("the kiosk refuses to queue what the server would refuse, and writes nothing") {
        const Seconds now = s.a.clock.now();
        CHECK_THROWS_AS(set_focus_and_queue(s.a.store, {kDay, "", "body"}, now), std::invalid_argument);
        CHECK_THROWS_AS(set_focus_and_queue(s.a.store, {"2026-02-30", "X", ""}, now), std::invalid_argument);
        CHECK_THROWS_AS(set_focus_and_queue(s.a.store, {kDay, "X", std::string(4001, 'b')}, now),
                        std::invalid_argument);
        CHECK_THROWS_AS(set_focus_and_queue(s.a.store, {kDay, "\xff", ""}, now), std::invalid_argument);
        CHECK(s.a.pending() == 0);
        CHECK(s.a.count("SELECT COUNT(*) FROM day_focus") == 0);
    }
    SECTION("a queued focus whose row is gone is dropped locally, never sent") {
        set_focus_and_queue(s.a.store, {kDay, "X", ""}, s.a.clock.now());
        s.a.store.db().exec("DELETE FROM day_focus");
        const auto r = s.a.sync(s.server.url(), s.token_a);
        REQUIRE(r.ok());
        CHECK(s.a.pending() == 0);
        CHECK(rejected_focus(s.a) == 1);
        CHECK(s.server.store().count("day_focus") == 0);
    }
}

TEST_CASE("focus sync: the focus and its outbox entry are written together or not at all") {
    Kiosk k;
    k.store.set_focus({kDay, "Shoulder blades", ""});
    set_focus_and_queue(k.store, {kDay, "Neck and shoulders", ""}, k.clock.now());
    const int seq = k.count("SELECT seq FROM outbox");

    k.store.db().exec("CREATE TRIGGER outbox_refuses BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox refused'); END");
    CHECK_THROWS_WITH(set_focus_and_queue(k.store, {kDay, "Breath and ribs", "Widen the ribs."}, k.clock.now()),
                      Catch::Contains("outbox refused"));
    // Neither the new focus nor the replacement of the pending entry happened.
    CHECK(focus_text(k) == "Neck and shoulders|");
    CHECK(k.pending() == 1);
    CHECK(k.count("SELECT seq FROM outbox") == seq);

    // A new day's focus with no entry to replace: nothing at all.
    CHECK_THROWS(set_focus_and_queue(k.store, {"2026-11-21", "Hips", ""}, k.clock.now()));
    CHECK_FALSE(k.store.focus_on("2026-11-21"));
    CHECK(k.pending() == 1);

    k.store.db().exec("DROP TRIGGER outbox_refuses");
    set_focus_and_queue(k.store, {kDay, "Breath and ribs", "Widen the ribs."}, k.clock.now());
    CHECK(focus_text(k) == "Breath and ribs|Widen the ribs.");
    CHECK(k.pending() == 1);
    CHECK(k.count("SELECT COUNT(*) FROM outbox WHERE kind = 'focus' AND ref = '2026-11-20'") == 1);
}

TEST_CASE("focus sync: an unsent override is not overwritten by the changes feed") {
    Chain s;
    set_focus_and_queue(s.a.store, {kDay, "Neck and shoulders", "Soften."}, s.a.clock.now());
    // The feed brings the studio's older focus for the day before the push got through
    // (the sync worker pulls while the manager saves).
    ChangesPage page;
    page.cursor = 0;
    page.focus.push_back({kDay, "Shoulder blades", "Let them melt down the back."});
    page.focus.push_back({"2026-11-21", "Hips", ""});
    const ApplySummary sum = apply_changes(s.a.store, page);
    CHECK(sum.focus == 1);   // the other day's
    CHECK(focus_text(s.a) == "Neck and shoulders|Soften.");
    CHECK(focus_text(s.a, "2026-11-21") == "Hips|");
    CHECK(s.a.pending() == 1);

    // The push then makes it the server's focus, and the feed brings it to the others.
    s.server.store().set_focus("Center", {kDay, "Shoulder blades", "Let them melt down the back."});
    const auto r = s.a.sync(s.server.url(), s.token_a);
    INFO(r.detail);
    REQUIRE(r.ok());
    CHECK(s.server_focus("Center") == "Neck and shoulders|Soften.");
    CHECK(focus_text(s.a) == "Neck and shoulders|Soften.");
    REQUIRE(s.b.sync(s.server.url(), s.token_b).ok());
    CHECK(focus_text(s.b) == "Neck and shoulders|Soften.");
}
