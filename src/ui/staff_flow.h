// The coach and manager screens' flow, behind the staff door: which class is
// open, which row is selected, the export form, PIN changes. Pure, like flow.h:
// screens emit StaffEvents, reduce_staff() returns StaffEffects for the app.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/model.h"

namespace studio {

using Millis = std::int64_t;

enum class StaffView {
    Menu,            // coach / manager / leave
    Coach,           // today's classes and the chosen class's group
    CoachSearch,     // check a client in by hand
    CoachMove,       // pick the class to move the selected check-in to
    CoachUndo,       // confirm undoing the selected check-in
    Manager,         // export, sync health, focus, chart, PINs
};
enum class ManagerTab { Export, Chart, Sync, Focus, Pins };
enum class ExportKind { Rows, Clients, Classes };
enum class RangePreset { ThisMonth, LastMonth, Last7Days, Today };
enum class ChartMode { Weeks, Weekdays };

struct StaffState {
    StaffView view = StaffView::Menu;
    bool coach_device = false;                 // `--role coach`: the coach screen is home, no public screens
    ClassId selected_class = -1;               // -1: none yet (the app picks the current one); 0: no class
    std::string selected_checkin;              // a row in the group
    std::string query;                         // staff search
    std::string notice;                        // text key or plain text after an action
    bool notice_is_error = false;
    ManagerTab tab = ManagerTab::Export;
    ExportKind export_kind = ExportKind::Rows;
    RangePreset range = RangePreset::ThisMonth;
    int export_target = 0;                     // index into the offered folders
    bool exporting = false;
    ChartMode chart = ChartMode::Weeks;
    std::string focus_title, focus_body;       // the override being typed
    int focus_field = 0;                       // 0 title, 1 body
    std::string pin_role = "coach";            // whose PIN is being changed
    std::string new_pin, new_pin_again;
    int pin_step = 0;                          // 0 first entry, 1 confirmation
};

namespace sev {
struct OpenCoach {};
struct OpenManager {};
struct SelectClass { ClassId id; };
struct SelectRow { std::string uuid; };
struct AskUndo {};
struct ConfirmUndo {};
struct AskMove {};
struct MoveTo { std::optional<ClassId> id; };
struct OpenSearch {};
struct PickClient { ClientId id; };
struct Cancel {};                 // back one level
struct Tab { ManagerTab tab; };
struct Kind { ExportKind kind; };
struct Range { RangePreset range; };
struct Target { int index; };
struct StartExport {};
struct SyncNow {};
struct AckHealth {};             // the manager has read the health alerts
struct Chart { ChartMode mode; };
struct FocusField { int field; };
struct SaveFocus {};
struct PinRole { std::string role; };
struct PinDigit { char digit; };
struct PinBack {};
struct PinNext {};
// Results
struct Done { std::string notice; bool error = false; };   // an action finished
struct ExportFinished { std::string message; bool error = false; };
}  // namespace sev

using StaffEvent = std::variant<sev::OpenCoach, sev::OpenManager, sev::SelectClass, sev::SelectRow, sev::AskUndo,
                                sev::ConfirmUndo, sev::AskMove, sev::MoveTo, sev::OpenSearch, sev::PickClient,
                                sev::Cancel, sev::Tab, sev::Kind, sev::Range, sev::Target, sev::StartExport,
                                sev::SyncNow, sev::AckHealth, sev::Chart, sev::FocusField, sev::SaveFocus, sev::PinRole,
                                sev::PinDigit, sev::PinBack, sev::PinNext, sev::Done, sev::ExportFinished>;

namespace sfx {
struct Refresh {};                                         // reload the coach/manager data
struct Search { std::string query; };                      // staff search: full names
struct CheckIn { ClientId client; ClassId cls; };          // cls 0: no class
struct Undo { std::string uuid; };
struct Move { std::string uuid; std::optional<ClassId> to; };
struct Export { ExportKind kind; RangePreset range; int target; };
struct SyncNow {};
struct AckHealth {};
struct SetFocus { std::string title, body; };
struct SetPin { std::string role, pin; };
}  // namespace sfx

using StaffEffect = std::variant<sfx::Refresh, sfx::Search, sfx::CheckIn, sfx::Undo, sfx::Move, sfx::Export,
                                 sfx::SyncNow, sfx::AckHealth, sfx::SetFocus, sfx::SetPin>;

// Keyboard input while a staff view is open (search text, focus text, PIN digits).
void staff_type(StaffState& s, const std::string& text);
void staff_backspace(StaffState& s);
void staff_clear(StaffState& s);

// `manager`: whether the PIN that opened the door was the manager's.
std::vector<StaffEffect> reduce_staff(StaffState& s, const StaffEvent& e, bool manager);

}  // namespace studio
