// Replays every fuzz seed (fuzz/corpus/<target>/) and every input a fuzzer ever
// broke the code with (tests/fuzz-regressions/<target>/) through the same decoding
// entry points and invariant checks as the libFuzzer targets (fuzz/fuzz_checks.h):
// each input must be refused with a clear reason or give a valid result. Runs in
// the normal test suite, so a fixed bug stays fixed without a fuzzer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "../../fuzz/fuzz_checks.h"
#include "../test_support.h"

namespace fs = std::filesystem;

namespace {

struct Target {
    const char* name;
    std::function<std::string(std::string_view)> check;
};

const std::vector<Target>& targets() {
    static const std::vector<Target> t = {
        {"push_request", studio::fuzz::check_push_request}, {"changes_query", studio::fuzz::check_changes_query},
        {"server_reply", studio::fuzz::check_server_reply}, {"client_csv", studio::fuzz::check_client_csv},
        {"settings", studio::fuzz::check_settings},
    };
    return t;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string seed(const std::string& target, const std::string& file) {
    return studio::test::read_file(std::string(STUDIO_SOURCE_DIR) + "/fuzz/corpus/" + target + "/" + file);
}

}  // namespace

TEST_CASE("fuzz: every seed and every past crash input is refused clearly or decodes validly", "[fuzz]") {
    const fs::path root = STUDIO_SOURCE_DIR;
    std::size_t regressions = 0;
    for (const Target& t : targets()) {
        const auto seeds = files_in(root / "fuzz" / "corpus" / t.name);
        INFO("target " << t.name);
        CHECK(seeds.size() >= 3);   // the committed seed corpus is there
        auto inputs = seeds;
        for (const auto& f : files_in(root / "tests" / "fuzz-regressions" / t.name)) inputs.push_back(f);
        regressions += inputs.size() - seeds.size();
        for (const auto& f : inputs) {
            INFO("input " << f.string());
            CHECK(t.check(studio::test::read_file(f.string())) == "");
        }
    }
    CHECK(regressions > 0);   // the inputs the fuzzers found are kept
}

// The checks above accept a clear refusal; these seeds are real examples that
// must actually decode, so a decoder that refused everything would fail here.
TEST_CASE("fuzz: the documented examples in the seeds decode", "[fuzz]") {
    studio::sync::PushRequest push;
    std::string why;
    REQUIRE(studio::sync::decode_push_request(seed("push_request", "doc-example.json"), push, why));
    CHECK(push.items.size() == 4);
    CHECK_FALSE(studio::sync::decode_push_request(seed("push_request", "bad-date.json"), push, why));
    CHECK(why == "items[1].checkin.local_date: not a date (YYYY-MM-DD)");

    studio::ChangesPage page;
    REQUIRE(studio::sync::decode_changes(seed("server_reply", "doc-changes.json"), page, why));
    CHECK(page.cursor == 1234);
    CHECK(page.checkins.size() == 1);
    std::vector<studio::PushItemResult> results;
    REQUIRE(studio::sync::decode_push_response(seed("server_reply", "doc-push-response.json"), 4, results, why));
    CHECK(results[1].canonical_checkin.has_value());
    CHECK(studio::sync::error_reason(seed("server_reply", "doc-error.json")) ==
          "items[1].checkin.local_date: not a date (YYYY-MM-DD)");

    httplib::Params params;
    httplib::detail::parse_query_text(seed("changes_query", "kiosk.txt"), params);
    studio::sync::ChangesQuery q;
    REQUIRE(studio::sync::decode_changes_query(params, 1000, q, why));
    CHECK(q.cursor == 1234);
    CHECK(q.limit == 500);
    params.clear();
    httplib::detail::parse_query_text(seed("changes_query", "too-big.txt"), params);
    CHECK_FALSE(studio::sync::decode_changes_query(params, 1000, q, why));
    CHECK(why == "cursor: expected a whole number from 0");

    const auto clean = studio::parse_client_csv(seed("client_csv", "clean-bom-crlf.csv"));
    CHECK(clean.header_ok);
    CHECK(clean.rows.size() == 4);
    CHECK(clean.problems.empty());
    const auto bad = studio::parse_client_csv(seed("client_csv", "bad-rows.csv"));
    CHECK(bad.rows.size() == 1);
    CHECK(bad.problems.size() == 9);

    studio::KioskConfig cfg;
    studio::apply_config(cfg, seed("settings", "kiosk.conf.example"), "kiosk.conf");
    CHECK(cfg.language == "en");
    studio::server::ServerConfig server;
    studio::server::apply_server_config(server, seed("settings", "server.conf"), "server.conf");
    CHECK(server.port == 8443);
}

// Found while fuzzing the import against the protocol: a row with a value longer
// than the sync protocol carries was imported, and then every check-in of that
// client was refused by the server as malformed (set aside on the kiosk), and a
// server-side import stalled every kiosk's changes feed on that page.
TEST_CASE("fuzz: an imported value longer than the sync protocol allows is a problem on its line", "[fuzz]") {
    const std::string dir = std::string(STUDIO_SOURCE_DIR) + "/tests/fuzz-regressions/client_csv/";
    for (const auto& [file, words] : std::vector<std::pair<std::string, std::string>>{
             {"overlong-first-name.csv", "first_name is longer than 2000 bytes"},
             {"overlong-email.csv", "email is longer than 320 bytes"},
             {"overlong-phone.csv", "phone is longer than 64 bytes"}}) {
        INFO(file);
        const auto r = studio::parse_client_csv(studio::test::read_file(dir + file));
        CHECK(r.header_ok);
        CHECK(r.rows.empty());
        REQUIRE(r.problems.size() == 1);
        CHECK(r.problems[0].line == 2);
        CHECK_THAT(r.problems[0].reason, Catch::Contains(words));
    }
    // At the limits exactly, the row is imported.
    const auto fits = studio::parse_client_csv("first_name,last_name,phone,email,member_code,prior_sessions\n" +
                                               std::string(2000, 'A') + "," + std::string(2000, 'B') + ",1234" +
                                               std::string(56, ' ') + "5678," + std::string(308, 'a') +
                                               "@example.com,GS-1,0\n");
    CHECK(fits.problems.empty());
    REQUIRE(fits.rows.size() == 1);
    CHECK(fits.rows[0].client.phone.size() == 64);
    CHECK(fits.rows[0].client.email.size() == 320);
}
