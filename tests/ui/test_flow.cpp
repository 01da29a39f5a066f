// The kiosk flow as a pure reducer with a fake clock: typing, picking, timeouts,
// the staff door and the PIN lock.
#include <catch2/catch.hpp>

#include "ui/flow.h"

using namespace studio;

namespace {

struct Flow {
    FlowConfig cfg;
    Millis now = 1000000;
    FlowState s = initial_state(cfg, now);
    std::vector<Effect> last;
    std::vector<Effect> operator()(const Event& e) { return last = reduce(s, e, now, cfg); }
    void wait(Millis ms) {
        now += ms;
        (*this)(ev::Tick{});
    }
    template <class T>
    const T* effect() const {
        for (const auto& e : last)
            if (const T* t = std::get_if<T>(&e)) return t;
        return nullptr;
    }
};

CheckInText done_text() {
    CheckInText t;
    t.welcome = "Welcome, Anna";
    t.session = "Session 5";
    return t;
}

}  // namespace

TEST_CASE("flow: typing searches from two characters on, and stale results are dropped") {
    Flow f;
    f(ev::Type{"a"});
    CHECK(f.last.empty());
    f(ev::Type{"n"});
    REQUIRE(f.effect<fx::Search>());
    CHECK(f.effect<fx::Search>()->query == "an");
    f(ev::Type{"n"});
    f(ev::SearchResults{"an", {{1, "Anna K."}}});   // answer to an older query
    CHECK(f.s.results.empty());
    f(ev::SearchResults{"ann", {{1, "Anna K."}}});
    CHECK(f.s.results.size() == 1);
    f(ev::Backspace{});
    f(ev::Backspace{});
    CHECK(f.s.query == "a");
    CHECK(f.s.results.empty());
    f(ev::Type{"ё"});
    f(ev::Backspace{});   // a whole code point, not a byte
    CHECK(f.s.query == "a");
}

TEST_CASE("flow: search, tap, done, and back home by itself") {
    Flow f;
    f(ev::Type{"an"});
    f(ev::SearchResults{"an", {{7, "Anna K."}, {8, "Anna-Lena K."}}});
    f(ev::PickResult{99});   // not on screen: ignored
    CHECK(f.last.empty());
    f(ev::PickResult{7});
    REQUIRE(f.effect<fx::PrepareCheckIn>());
    CHECK(f.effect<fx::PrepareCheckIn>()->client == 7);
    f(ev::PickResult{8});    // a second tap while the first is running does nothing
    CHECK(f.last.empty());
    f(ev::CheckedIn{done_text()});
    CHECK(f.s.screen == Screen::Done);
    CHECK(f.s.query.empty());
    f.wait(7999);
    CHECK(f.s.screen == Screen::Done);
    f.wait(1);
    CHECK(f.s.screen == Screen::Home);
    CHECK(f.s.done.welcome.empty());
}

TEST_CASE("flow: a tap on the done screen goes home at once") {
    Flow f;
    f(ev::CheckedIn{done_text()});
    f(ev::Dismiss{});
    CHECK(f.s.screen == Screen::Home);
}

TEST_CASE("flow: several classes in the window ask which one") {
    Flow f;
    f(ev::Type{"an"});
    f(ev::SearchResults{"an", {{7, "Anna K."}}});
    f(ev::PickResult{7});
    f(ev::ClassChoice{7, {{1, "18:00 Upper back"}, {2, "18:30 Deep stretch"}}});
    CHECK(f.s.screen == Screen::ChooseClass);
    f(ev::PickClass{2});
    REQUIRE(f.effect<fx::CheckIn>());
    CHECK(f.effect<fx::CheckIn>()->client == 7);
    CHECK(f.effect<fx::CheckIn>()->cls == 2);
}

TEST_CASE("flow: the scanner types a code and Enter") {
    Flow f;
    f(ev::Type{"GS-1001"});
    f(ev::Enter{});
    REQUIRE(f.effect<fx::LookUpCode>());
    CHECK(f.effect<fx::LookUpCode>()->code == "GS-1001");
    f(ev::CodeUnknown{"GS-1001"});
    CHECK(f.s.notice == "home.code_unknown");
    CHECK_FALSE(f.s.busy);
}

TEST_CASE("flow: idle reset clears everything the last person left") {
    Flow f;
    f(ev::SetLang{Lang::Ru});
    f(ev::Type{"ан"});
    f(ev::SearchResults{"ан", {{1, "Анна К."}}});
    f.wait(19999);
    CHECK(f.s.query == "ан");
    f.wait(1);
    CHECK(f.s.query.empty());
    CHECK(f.s.results.empty());
    CHECK(f.s.lang == Lang::En);

    SECTION("every screen but home resets, and typing keeps it alive") {
        f(ev::FirstTime{});
        f(ev::Type{"V"});
        f.wait(15000);
        f(ev::Type{"e"});
        f.wait(15000);
        CHECK(f.s.screen == Screen::Register);
        CHECK(f.s.reg_first == "Ve");
        f.wait(5000);
        CHECK(f.s.screen == Screen::Home);
        CHECK(f.s.reg_first.empty());
    }
    SECTION("the next deadline tells the loop when to wake") {
        CHECK(next_deadline(f.s, f.now, f.cfg) == -1);   // a clean home screen needs no timer
        f(ev::Type{"x"});
        CHECK(next_deadline(f.s, f.now, f.cfg) == 20000);
        f(ev::CheckedIn{done_text()});
        CHECK(next_deadline(f.s, f.now, f.cfg) == 8000);
    }
}

TEST_CASE("flow: first-time registration needs a name and the consent tap") {
    Flow f;
    f(ev::FirstTime{});
    CHECK(f.s.screen == Screen::Register);
    f(ev::Type{"Vera"});
    f(ev::SubmitRegistration{});
    CHECK(f.s.notice == "register.need_name");
    CHECK(f.s.reg_field == Field::Last);
    f(ev::Type{"Novak"});
    f(ev::FocusField{Field::Phone});
    CHECK(f.s.layout == KeyLayout::Digits);
    f(ev::Type{"a"});   // letters do not go into a phone number
    f(ev::Type{"+4860"});
    CHECK(f.s.reg_phone == "+4860");
    f(ev::SubmitRegistration{});
    CHECK(f.s.notice == "register.need_consent");
    f(ev::ToggleConsent{});
    f(ev::SubmitRegistration{});
    REQUIRE(f.effect<fx::Register>());
    CHECK(f.effect<fx::Register>()->first == "Vera");
    CHECK(f.effect<fx::Register>()->last == "Novak");
}

TEST_CASE("flow: holding the logo opens the PIN pad; a short press does not") {
    Flow f;
    f(ev::LogoDown{});
    f.wait(2000);
    f(ev::LogoUp{});
    f.wait(2000);
    CHECK(f.s.screen == Screen::Home);
    f(ev::LogoDown{});
    f.wait(3000);
    CHECK(f.s.screen == Screen::StaffPin);
}

TEST_CASE("flow: five wrong PINs lock the pad for a minute, then longer each time") {
    Flow f;
    f(ev::LogoDown{});
    f.wait(3000);
    auto wrong = [&] {
        for (char c : std::string("0000")) f(ev::PinDigit{c});
        f(ev::PinSubmit{});
        REQUIRE(f.effect<fx::VerifyPin>());
        f(ev::PinChecked{std::nullopt});
    };
    for (int i = 0; i < 4; ++i) wrong();
    CHECK_FALSE(f.s.pin_lock.locked(f.now));
    CHECK(f.s.pin_message == "pin.wrong");
    wrong();
    CHECK(f.s.pin_lock.locked(f.now));
    CHECK(f.effect<fx::SavePinLock>());
    CHECK(next_deadline(f.s, f.now, f.cfg) <= 60000);

    // Locked: digits and submit do nothing, and going home does not unlock.
    f(ev::PinDigit{'1'});
    CHECK(f.s.pin.empty());
    f(ev::Back{});
    CHECK(f.s.screen == Screen::Home);
    CHECK(f.s.pin_lock.locked(f.now));
    f.wait(60000);
    CHECK_FALSE(f.s.pin_lock.locked(f.now));
    f(ev::LogoDown{});
    f.wait(3000);
    CHECK(f.s.screen == Screen::StaffPin);

    for (int i = 0; i < 5; ++i) wrong();
    CHECK(f.s.pin_lock.locked_until - f.now == 120000);

    SECTION("the right PIN opens the staff screen and forgets the failures") {
        f.now = f.s.pin_lock.locked_until;
        for (char c : std::string("2468")) f(ev::PinDigit{c});
        f(ev::PinSubmit{});
        f(ev::PinChecked{StaffRole::Coach});
        CHECK(f.s.screen == Screen::Staff);
        CHECK(f.s.pin_lock.lockouts == 0);
        f(ev::StaffExit{});
        CHECK(f.s.quit);
    }
}
