// Importing the studio's client list: every bad row reported with its line, and
// then nothing imported unless asked to skip; re-imports update, never duplicate.
#include <catch2/catch.hpp>

#include "store/kiosk_store.h"
#include "../test_support.h"

using namespace studio;
using studio::test::TempDir;

namespace {

const char* kHeader = "first_name,last_name,phone,email,member_code,prior_sessions,pass_sessions,pass_valid_from,pass_valid_until\n";

int clients(KioskStore& s) { return s.db().execAndGet("SELECT COUNT(*) FROM clients").getInt(); }

bool has_problem(const ImportReport& r, std::size_t line, const std::string& words) {
    for (const auto& p : r.problems)
        if (p.line == line && p.reason.find(words) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("a clean file imports every client with its pass") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(0);
    const std::string csv = std::string("\xEF\xBB\xBF") + kHeader +
                            "Anna,Kowalski,+48 601 555 010,anna@example.com,GS-1,3,10,2026-11-01,2026-12-31\r\n"
                            "\"Liam\",\"O'Brien\",,,GS-2,0,unlimited,2026-11-01,2026-11-30\r\n"
                            "Ольга,Ёлкина,+7 921 555 01 07,,GS-3,,,,\r\n"
                            "\"Mary-Jane\",\"Watson, Jr.\",,,GS-4,1,,,\r\n";
    const auto r = s.import_clients(csv, false, clock);
    INFO((r.problems.empty() ? "" : r.problems[0].reason));
    REQUIRE(r.imported);
    CHECK(r.inserted == 4);
    CHECK(r.problems.empty());
    const auto anna = s.client_by_code("gs-1");   // codes match in any case
    REQUIRE(anna);
    CHECK(anna->first_name == "Anna");   // the BOM is not part of the first header name
    CHECK(anna->prior_sessions == 3);
    const auto passes = s.passes_of(anna->id);
    REQUIRE(passes.size() == 1);
    CHECK(passes[0].sessions_total == 10);
    CHECK_FALSE(s.passes_of(s.client_by_code("GS-2")->id)[0].sessions_total.has_value());
    CHECK(s.passes_of(s.client_by_code("GS-3")->id).empty());
    CHECK(s.client_by_code("GS-4")->last_name == "Watson, Jr.");
}

TEST_CASE("bad rows are all reported by line and then nothing is imported") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(0);
    const std::string csv = std::string(kHeader) +
                            "Anna,Kowalski,,,GS-1,3,,,\n"                          // 2 ok
                            ",Nobody,,,GS-2,0,,,\n"                                // 3 no first name
                            "Bob,Lee,call me,,GS-3,0,,,\n"                         // 4 phone
                            "Cid,Moe,,not-an-email,GS-4,0,,,\n"                    // 5 email
                            "Dee,Roe,,,GS-5,-2,,,\n"                               // 6 prior
                            "Eve,Poe,,,GS-6,0,ten,2026-11-01,2026-12-01\n"         // 7 pass sessions
                            "Fay,Doe,,,GS-7,0,10,2026-02-30,2026-12-01\n"          // 8 date
                            "Gus,Hoe,,,GS-8,0,10,2026-12-01,2026-11-01\n"          // 9 ends before start
                            "Hal,Coe,,,GS-1,0,,,\n"                                // 10 repeated code
                            "Ivy,\"Unclosed,,,GS-9,0,,,\n"                         // 11 quote never closed
                            "";
    const auto r = s.import_clients(csv, false, clock);
    CHECK_FALSE(r.imported);
    CHECK(clients(s) == 0);
    CHECK(has_problem(r, 3, "first_name"));
    CHECK(has_problem(r, 4, "phone"));
    CHECK(has_problem(r, 5, "email"));
    CHECK(has_problem(r, 6, "prior_sessions"));
    CHECK(has_problem(r, 7, "pass_sessions"));
    CHECK(has_problem(r, 8, "pass_valid_from"));
    CHECK(has_problem(r, 9, "ends before"));
    CHECK(has_problem(r, 10, "repeats line 2"));
    CHECK(has_problem(r, 11, "quote"));
    CHECK(r.problems.size() == 9);

    SECTION("--skip-invalid imports the good rows only") {
        const auto k = s.import_clients(csv, true, clock);
        CHECK(k.imported);
        CHECK(k.inserted == 1);
        CHECK(clients(s) == 1);
        CHECK(k.problems.size() == 9);
    }
}

TEST_CASE("a row with the wrong number of fields is reported") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(0);
    const auto r = s.import_clients(std::string(kHeader) + "Anna,Kowalski,,,GS-1\n", false, clock);
    CHECK_FALSE(r.imported);
    CHECK(has_problem(r, 2, "expected 9 fields, found 5"));
}

TEST_CASE("a header without the required columns is refused") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(0);
    const auto r = s.import_clients("first_name,last_name,code\nAnna,K,1\n", true, clock);
    CHECK_FALSE(r.imported);
    CHECK(has_problem(r, 1, "phone"));
    CHECK(has_problem(r, 1, "member_code"));
    CHECK_FALSE(s.import_clients("", true, clock).imported);
}

TEST_CASE("re-importing the same member codes updates and never duplicates") {
    TempDir dir;
    KioskStore s(dir.file("k.db"));
    FakeClock clock(0);
    REQUIRE(s.import_clients(std::string(kHeader) + "Anna,Kowalski,,,GS-1,3,10,2026-11-01,2026-12-31\n", false, clock)
                .imported);
    const ClientId id = s.client_by_code("GS-1")->id;
    const auto r = s.import_clients(std::string(kHeader) +
                                        "Anna,Nowak,+48 600 000 000,,GS-1,5,20,2026-11-01,2027-01-31\n"
                                        "Bob,Lee,,,GS-2,0,,,\n",
                                    false, clock);
    CHECK(r.updated == 1);
    CHECK(r.inserted == 1);
    CHECK(clients(s) == 2);
    const auto anna = s.client_by_code("GS-1");
    CHECK(anna->id == id);
    CHECK(anna->last_name == "Nowak");
    CHECK(anna->prior_sessions == 5);
    const auto passes = s.passes_of(id);
    REQUIRE(passes.size() == 1);
    CHECK(passes[0].sessions_total == 20);
    CHECK(passes[0].valid_until == "2027-01-31");
}
