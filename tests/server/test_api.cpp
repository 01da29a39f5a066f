// /api/v1 as a client sees it: malformed requests get a 400 with a reason and change
// nothing; per-item answers; time flags; health; export for managers only.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sync/protocol.h"
#include "../sync/sync_fixture.h"

using namespace studio;
using namespace studio::test;
using nlohmann::json;

namespace {

struct Api {
    TempDir dir;
    FakeClock server_clock{at(2026, 11, 20, 18, 0)};
    TestServer server{test_server_config(dir.file("server.db")), [this] {
                          server::ServerHooks h;
                          h.clock = &server_clock;
                          return h;
                      }()};
    std::string token = server.add_kiosk("Center", "front-desk");
    sync::HttpClient http{transport(server.url(), token)};

    sync::HttpResponse push(const std::string& body) { return http.post_json("/api/v1/push", body); }
    int rows() {
        return server.store().count("checkins") + server.store().count("clients") + server.store().count("classes") +
               server.store().count("superseded_checkins");
    }
};

json client_json(const std::string& uid = "c-anna") {
    return {{"uid", uid}, {"member_code", "GS-1"}, {"first_name", "Anna"}, {"last_name", "K"}, {"prior_sessions", 3}};
}

json checkin_json(const std::string& uuid, const std::string& date = "2026-11-20") {
    return {{"uuid", uuid},           {"client_uid", "c-anna"},  {"class_uid", nullptr},  {"wall_time", at(2026, 11, 20, 13, 0)},
            {"local_date", date},     {"clock_synced", true},    {"monotonic_ms", 5},     {"source", "self"},
            {"session_number", 4},    {"pass_state", "active"},  {"voided", false}};
}

json item(const json& checkin) { return {{"kind", "checkin"}, {"checkin", checkin}, {"client", client_json()}}; }

}  // namespace

TEST_CASE("api: malformed requests get 400 with a reason and change nothing") {
    Api a;
    const std::string good = new_uuid();
    struct Case {
        const char* name;
        std::string body;
        const char* reason;
    };
    json bad_date = json{{"items", {item(checkin_json(good)), item(checkin_json(new_uuid(), "2026-13-40"))}}};
    json bad_uuid = json{{"items", {item(checkin_json("not-a-uuid"))}}};
    json wrong_type = json{{"items", {item(checkin_json(good))}}};
    wrong_type["items"][0]["checkin"]["session_number"] = "four";
    json bad_source = json{{"items", {item(checkin_json(good))}}};
    bad_source["items"][0]["checkin"]["source"] = "robot";
    json unknown_kind = json{{"items", {{{"kind", "teleport"}}}}};
    json mismatch = json{{"items", {item(checkin_json(good))}}};
    mismatch["items"][0]["client"]["uid"] = "someone-else";
    json too_many = json{{"items", json::array()}};
    for (int i = 0; i < 1001; ++i) too_many["items"].push_back(item(checkin_json(new_uuid())));
    const Case cases[] = {
        {"not JSON", "{\"items\": [", "not valid JSON"},
        {"empty body", "", "not valid JSON"},
        {"not an object", "[1,2,3]", "expected a JSON object"},
        {"no items", "{}", "items: missing"},
        {"deep nesting", std::string(5000, '[') + std::string(5000, ']'), "nested deeper"},
        {"a bad date among good items", bad_date.dump(), "items[1].checkin.local_date: not a date"},
        {"a bad uuid", bad_uuid.dump(), "items[0].checkin.uuid: not a lowercase UUID"},
        {"a wrong type", wrong_type.dump(), "items[0].checkin.session_number: expected a whole number"},
        {"a bad source", bad_source.dump(), "source: expected self, coach or cli"},
        {"an unknown kind", unknown_kind.dump(), "items[0].kind: expected client, checkin, void or focus"},
        {"client snapshot of another client", mismatch.dump(), "differs from checkin.client_uid"},
        {"too many items", too_many.dump(), "more than 1000"},
        {"invalid UTF-8", "{\"items\": [{\"kind\": \"client\", \"client\": {\"uid\": \"x\", \"first_name\": \"\xff\xfe\", "
                          "\"last_name\": \"K\"}}]}", "not valid"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        const auto r = a.push(c.body);
        CHECK(r.status == 400);
        CHECK_THAT(sync::error_reason(r.body), Catch::Contains(c.reason));
        CHECK(a.rows() == 0);
    }
    SECTION("bad query parameters of the changes feed") {
        CHECK(a.http.get("/api/v1/changes?cursor=-1").status == 400);
        CHECK(a.http.get("/api/v1/changes?cursor=abc").status == 400);
        CHECK(a.http.get("/api/v1/changes?limit=0").status == 400);
        CHECK(a.http.get("/api/v1/changes?limit=999999").status == 400);
    }
    SECTION("unknown endpoints and methods get a JSON error") {
        const auto r = a.http.get("/api/v1/nothing-here");
        CHECK(r.status == 404);
        CHECK(sync::error_reason(r.body) == "no such endpoint");
    }
}

TEST_CASE("api: per-item answers: stored, duplicate (same or other uuid), rejected with a reason") {
    Api a;
    const std::string first = new_uuid(), second = new_uuid();
    json body = {{"items", {item(checkin_json(first)), item(checkin_json(second)),
                            {{"kind", "void"}, {"void", {{"uuid", new_uuid()}, {"voided_at", 1}, {"voided_by", "x"}}}}}}};
    const auto r = a.push(body.dump());
    REQUIRE(r.status == 200);
    std::vector<PushItemResult> results;
    std::string why;
    REQUIRE(sync::decode_push_response(r.body, 3, results, why));
    CHECK(results[0].result == PushOutcome::Stored);
    CHECK(results[1].result == PushOutcome::Duplicate);   // same client, same day, no class
    CHECK(results[1].canonical == first);
    REQUIRE(results[1].canonical_checkin);
    CHECK(results[1].canonical_checkin->uuid == first);
    CHECK(results[1].canonical_checkin->device == "front-desk");
    CHECK(results[2].result == PushOutcome::Rejected);
    CHECK(results[2].reason == "no such check-in on the server");

    // Forever the same answers: the stored one is a duplicate of itself, the
    // superseded one still points at the first.
    const auto again = a.push(body.dump());
    REQUIRE(sync::decode_push_response(again.body, 3, results, why));
    CHECK(results[0].result == PushOutcome::Duplicate);
    CHECK(results[0].canonical == first);
    CHECK(results[1].canonical == first);
    CHECK(a.server.store().count("checkins") == 1);

    SECTION("voiding the first makes room for no one else: the second stays a duplicate") {
        json v = {{"items", {{{"kind", "void"}, {"void", {{"uuid", first}, {"voided_at", 2}, {"voided_by", "coach"}}}}}}};
        REQUIRE(a.push(v.dump()).status == 200);
        REQUIRE(sync::decode_push_response(a.push(body.dump()).body, 3, results, why));
        CHECK(results[1].result == PushOutcome::Duplicate);
        CHECK(results[1].canonical == first);
        CHECK(a.server.store().count("checkins WHERE voided = 0") == 0);
    }
}

TEST_CASE("api: the server keeps the kiosk's time and its own, and flags implausible kiosk times") {
    Api a;
    json unsynced = checkin_json(new_uuid());
    unsynced["clock_synced"] = false;
    json future = checkin_json(new_uuid(), "2026-11-25");
    future["wall_time"] = at(2026, 11, 25, 10, 0);
    json fine = checkin_json(new_uuid(), "2026-11-19");
    fine["wall_time"] = at(2026, 11, 19, 10, 0);
    REQUIRE(a.push(json{{"items", {item(unsynced), item(future), item(fine)}}}.dump()).status == 200);
    auto flag = [&](const json& k) {
        return a.server.store().count("checkins WHERE uuid = '" + k["uuid"].get<std::string>() + "' AND time_flag = " +
                                      "'" + std::string(k == unsynced ? "clock_not_synced" : k == future ? "in_future" : "") +
                                      "' AND received_at = " + std::to_string(at(2026, 11, 20, 18, 0)));
    };
    CHECK(flag(unsynced) == 1);
    CHECK(flag(future) == 1);
    CHECK(flag(fine) == 1);
}

TEST_CASE("api: health needs no token, export needs a manager's") {
    Api a;
    sync::HttpClient anonymous(transport(a.server.url(), ""));
    const auto h = anonymous.get("/api/v1/health");
    CHECK(h.status == 200);
    CHECK(json::parse(h.body)["status"] == "ok");
    CHECK(anonymous.get("/api/v1/changes").status == 401);

    REQUIRE(a.push(json{{"items", {item(checkin_json(new_uuid()))}}}.dump()).status == 200);
    CHECK(a.http.get("/api/v1/export?studio=Center&from=2026-11-01&to=2026-11-30").status == 403);
    const std::string manager = a.server.store().add_device("", "boss", server::Role::Manager, 0);
    sync::HttpClient boss(transport(a.server.url(), manager));
    const auto csv = boss.get("/api/v1/export?studio=Center&from=2026-11-01&to=2026-11-30");
    REQUIRE(csv.status == 200);
    CHECK(csv.body.rfind(attendance_csv_header(), 0) == 0);
    CHECK_THAT(csv.body, Catch::Contains("Anna"));
    CHECK(boss.get("/api/v1/export?studio=Nowhere&from=2026-11-01&to=2026-11-30").status == 404);
    CHECK(boss.get("/api/v1/export?studio=Center&from=2026-11-31&to=2026-11-30").status == 400);
    CHECK(boss.post_json("/api/v1/push", "{\"items\": []}").status == 403);
}
