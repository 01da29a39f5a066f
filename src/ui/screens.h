// The kiosk's screens: functions of a read-only FlowState and a HomeInfo that
// append events. No SQL, no I/O, no clock reads: `now` is passed in.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/texts.h"
#include "ui/flow.h"

struct ImFont;

namespace studio {

struct StaffInfo;

struct Fonts {
    ImFont* small = nullptr;   // captions
    ImFont* body = nullptr;    // messages, keys
    ImFont* large = nullptr;   // buttons, field text
    ImFont* title = nullptr;   // "Welcome, Anna"
    ImFont* huge = nullptr;    // the session number (digits only)
};

// Sizes for a screen, scaled from the 800x480 design (the official Pi 7" panel).
struct Metrics {
    float w = 800, h = 480;
    float s = 1;               // scale: min(w/800, h/480)
    float pad() const { return 12 * s; }
    float gap() const { return 6 * s; }
    float header_h() const { return 52 * s; }
    float key_h() const { return 50 * s; }       // >= 48 px at 800x480: about 9 mm on the 7" panel
    float button_h() const { return 60 * s; }
};

// Everything on screen that is not in FlowState, prepared by the app outside the frame.
struct HomeInfo {
    std::string clock;         // "18:04"
    std::string focus_title;
    std::string focus_body;
    std::string next_class;    // ready-made line, or empty
    std::string sync_label;    // staff-readable sync state ("3 waiting"), empty when all is well
    bool sync_problem = false;
    bool staff_pin_set = true;
};

// Where each named widget was drawn in the last frame: lets headless tests tap
// "result.0" or "key.a" by name at any screen size.
struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    float cx() const { return (x0 + x1) / 2; }
    float cy() const { return (y0 + y1) / 2; }
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
};
using Probe = std::map<std::string, Rect>;

struct DrawContext {
    const Texts& texts;
    const Fonts& fonts;
    Metrics m;
    const HomeInfo& info;
    const FlowConfig& cfg;
    Millis now = 0;
    Probe* probe = nullptr;    // null outside tests
    const StaffInfo* staff = nullptr;   // coach and manager data, when a staff screen is open
};

// Draws the whole kiosk for one frame into the current ImGui frame.
void draw_kiosk(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out);

// The keyboard's rows for a layout; `upper` for capitals (start of a name).
std::vector<std::vector<std::string>> keyboard_rows(KeyLayout layout, bool upper);

}  // namespace studio
