// The client-facing texts in assets/texts: both languages complete and consistent
// with each other and with what the code asks for.
#include <catch2/catch.hpp>

#include <regex>
#include <set>

#include "core/rules.h"
#include "core/texts.h"

using namespace studio;

namespace {
std::set<std::string> placeholders(const std::string& s) {
    std::set<std::string> out;
    static const std::regex re("\\{([a-z_]+)\\}");
    for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1]);
    return out;
}
}  // namespace

TEST_CASE("English and Russian have the same keys and placeholders") {
    const Texts& t = builtin_texts();
    const auto en = t.keys(Lang::En), ru = t.keys(Lang::Ru);
    CHECK(en.size() >= 20);
    CHECK(en == ru);
    for (const auto& k : en) {
        INFO(k);
        CHECK(placeholders(t.get(Lang::En, k)) == placeholders(t.get(Lang::Ru, k)));
        CHECK_FALSE(t.get(Lang::Ru, k).empty());
    }
}

TEST_CASE("every message the rules can choose exists in both languages") {
    const Texts& t = builtin_texts();
    std::set<std::string> keys;
    for (int n = 1; n <= 120; ++n)
        for (int gap : {-1, 0, 30})
            for (const auto& k : message_keys_for(n, gap, RulesConfig{})) keys.insert(k);
    for (const char* k : {"pass.left", "pass.last", "pass.unlimited", "pass.empty", "pass.expired", "pass.none",
                          "checkin.welcome", "checkin.session", "checkin.already", "checkin.already_day",
                          "checkin.class", "checkin.no_class", "focus.label"})
        keys.insert(k);
    for (const auto& k : keys) {
        INFO(k);
        CHECK(t.has(Lang::En, k));
        CHECK(t.has(Lang::Ru, k));
    }
}

TEST_CASE("texts: format, fallbacks and malformed files") {
    Texts t;
    t.load(Lang::En, "# comment\n\ngreet = Hello, {name}!\\nWelcome\nonly_en = yes\n");
    t.load(Lang::Ru, "greet = Привет, {name}!\n");
    CHECK(t.format(Lang::En, "greet", {{"name", "Anna"}}) == "Hello, Anna!\nWelcome");
    CHECK(t.format(Lang::Ru, "greet", {{"name", "Анна"}}) == "Привет, Анна!");
    CHECK(t.get(Lang::Ru, "only_en") == "yes");
    CHECK(t.get(Lang::Ru, "missing.key") == "missing.key");
    CHECK(t.format(Lang::En, "greet") == "Hello, {name}!\nWelcome");
    try {
        t.load(Lang::En, "ok = 1\nno equals sign here\n");
        FAIL("accepted a malformed line");
    } catch (const TextsError& e) {
        CHECK_THAT(e.what(), Catch::Contains("line 2"));
    }
}

TEST_CASE("the safety note carries the medical boundary in both languages") {
    const Texts& t = builtin_texts();
    CHECK(t.get(Lang::En, "msg.safety").size() > 40);
    CHECK(t.get(Lang::Ru, "msg.safety").size() > 40);
    CHECK(t.get(Lang::En, "msg.round").find("{n}") != std::string::npos);
    CHECK(t.get(Lang::En, "msg.gap").find("{days}") != std::string::npos);
}

#include "core/checkin_text.h"

TEST_CASE("the done text: first name only, pass dates as people read them") {
    Client c;
    c.first_name = "Anna";
    c.last_name = "Kowalski";
    CheckInDecision d;
    d.session_number = 5;
    d.pass = {PassKind::Expired, 0, "2026-11-10"};
    d.message_keys = {"msg.settling"};
    const auto en = describe_checkin(c, std::nullopt, d, std::nullopt, builtin_texts(), Lang::En);
    CHECK(en.welcome.find("Kowalski") == std::string::npos);
    CHECK_THAT(en.pass_line, Catch::Contains("10 Nov 2026"));
    CHECK(en.pass_attention);
    CHECK(en.session == builtin_texts().format(Lang::En, "checkin.session", {{"n", "5"}}));
    const auto ru = describe_checkin(c, std::nullopt, d, std::nullopt, builtin_texts(), Lang::Ru);
    CHECK_THAT(ru.pass_line, Catch::Contains("10.11.2026"));
}
