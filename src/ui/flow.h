// The kiosk's flow as a pure reducer: which screen, what is typed, timeouts, the
// staff door. Screens emit events; reduce() updates the state and returns the
// effects (search, check in, verify a PIN) for the app to carry out, whose results
// come back as events. No ImGui, no SQL, no clock reads: time is passed in
// (monotonic milliseconds), so every rule here is tested with a fake clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/checkin_text.h"
#include "core/model.h"
#include "core/texts.h"
#include "ui/staff_flow.h"

namespace studio {

enum class Screen { Home, ChooseClass, Done, Register, StaffPin, Staff };
enum class KeyLayout { Latin, Cyrillic, Digits };
enum class Field { First, Last, Phone };

struct ResultItem {
    ClientId id = 0;
    std::string display;   // masked: "Anna K."
};

struct ClassOption {
    ClassId id = 0;
    std::string label;     // "18:00  Upper back opening"
};

struct FlowConfig {
    Millis done_ms = 8000;           // done screen goes home by itself
    Millis idle_reset_ms = 20000;    // anything typed or any other screen resets when untouched this long
    Millis staff_hold_ms = 3000;     // press on the logo this long for the PIN pad
    Millis staff_idle_ms = 120000;   // staff screens go back to the public home when left this long
    Lang default_lang = Lang::En;
    int pin_tries = 5;               // wrong PINs before the pad locks
    Millis pin_lock_ms = 60000;      // first lock; doubles with each further lock
    std::size_t max_query = 40;      // characters; longer input is ignored
};

// Wrong-PIN lockout. Survives idle resets (and is saved across restarts by the app).
struct PinLock {
    int failures = 0;          // wrong tries since the last lock or success
    int lockouts = 0;          // locks so far: each lasts pin_lock_ms * 2^(lockouts-1)
    Millis locked_until = 0;
    bool locked(Millis now) const { return now < locked_until; }
};

enum class StaffRole { Coach, Manager };

struct FlowState {
    Screen screen = Screen::Home;
    Lang lang = Lang::En;
    KeyLayout layout = KeyLayout::Latin;
    std::string query;
    std::vector<ResultItem> results;      // for `query`, from the last search
    std::string notice;                   // a short line on home ("code not recognised")

    ClientId pending_client = 0;          // chosen, waiting for a class choice
    std::vector<ClassOption> class_options;

    CheckInText done;                     // what the done screen says

    std::string reg_first, reg_last, reg_phone;
    Field reg_field = Field::First;
    bool reg_consent = false;

    std::string pin;
    std::string pin_message;              // "Wrong PIN", "Locked for 60 s"
    PinLock pin_lock;
    std::optional<StaffRole> staff_role;
    StaffState staff;                     // coach and manager screens (see staff_flow.h)

    bool busy = false;                    // an effect is running: ignore taps that would start another
    Millis last_input = 0;
    Millis screen_since = 0;
    std::optional<Millis> logo_down_since;
    bool quit = false;
};

namespace ev {
struct Type { std::string text; };        // characters from the on-screen or a physical keyboard
struct Backspace {};
struct Clear {};
struct Enter {};                          // the scanner ends a code with Enter
struct SetLayout { KeyLayout layout; };
struct SetLang { Lang lang; };
struct PickResult { ClientId id; };
struct PickClass { std::optional<ClassId> id; };   // nullopt: "no class, just visiting"
struct FirstTime {};
struct FocusField { Field field; };
struct ToggleConsent {};
struct SubmitRegistration {};
struct Dismiss {};                        // tap on the done screen
struct Back {};
struct LogoDown {};
struct LogoUp {};
struct PinDigit { char digit; };
struct PinSubmit {};
struct StaffExit {};                      // leave kiosk mode
struct Tick {};                           // time passed; no input
// Results of effects
struct SearchResults { std::string query; std::vector<ResultItem> items; };
struct ClassChoice { ClientId client; std::vector<ClassOption> options; };
struct CheckedIn { CheckInText text; };
struct CodeUnknown { std::string code; };
struct PinChecked { std::optional<StaffRole> role; };   // nullopt: wrong PIN
struct Failed { std::string message; };
struct Staff { StaffEvent e; };           // from and for the coach and manager screens
}  // namespace ev

using Event = std::variant<ev::Type, ev::Backspace, ev::Clear, ev::Enter, ev::SetLayout, ev::SetLang, ev::PickResult,
                           ev::PickClass, ev::FirstTime, ev::FocusField, ev::ToggleConsent, ev::SubmitRegistration,
                           ev::Dismiss, ev::Back, ev::LogoDown, ev::LogoUp, ev::PinDigit, ev::PinSubmit, ev::StaffExit,
                           ev::Tick, ev::SearchResults, ev::ClassChoice, ev::CheckedIn, ev::CodeUnknown, ev::PinChecked,
                           ev::Failed, ev::Staff>;

namespace fx {
struct Search { std::string query; };
struct PrepareCheckIn { ClientId client; };         // class by window; may answer ClassChoice
struct CheckIn { ClientId client; std::optional<ClassId> cls; };
struct LookUpCode { std::string code; };             // scanner: check in by member code
struct Register { std::string first, last, phone; };
struct VerifyPin { std::string pin; };
struct SavePinLock { PinLock lock; };
struct Quit {};
struct Staff { StaffEffect e; };
}  // namespace fx

using Effect = std::variant<fx::Search, fx::PrepareCheckIn, fx::CheckIn, fx::LookUpCode, fx::Register, fx::VerifyPin,
                            fx::SavePinLock, fx::Quit, fx::Staff>;

FlowState initial_state(const FlowConfig& cfg, Millis now);
// A coach's tablet (`--role coach`): the coach screen is home, there are no public screens.
FlowState coach_device_state(const FlowConfig& cfg, Millis now);

// Applies one event at time `now`; returns what the app must do next.
std::vector<Effect> reduce(FlowState& s, const Event& e, Millis now, const FlowConfig& cfg);

// Milliseconds until the flow next needs a Tick (a timeout or the logo hold), or -1 for never.
Millis next_deadline(const FlowState& s, Millis now, const FlowConfig& cfg);

// Whether a home screen with this query shows results yet (2+ characters).
bool query_ready(const std::string& query);

}  // namespace studio
