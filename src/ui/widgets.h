// Widgets shared by the public and the staff screens: the palette, touch buttons
// that record where they were drawn (for tests), text helpers, the header and the
// on-screen keyboard. Drawing only: they read state and append events.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

#include "ui/screens.h"

namespace studio::ui {

// Calm, high-contrast colours: warm paper, dark ink, sage accent, a soft amber
// for "see your coach" (never red: nothing at the door is an alarm).
inline const ImU32 kPaper = IM_COL32(246, 243, 238, 255);
inline const ImU32 kCard = IM_COL32(255, 255, 255, 255);
inline const ImU32 kInk = IM_COL32(38, 38, 38, 255);
inline const ImU32 kMuted = IM_COL32(105, 105, 100, 255);
inline const ImU32 kLine = IM_COL32(214, 208, 198, 255);
inline const ImU32 kAccent = IM_COL32(70, 120, 88, 255);
inline const ImU32 kAccentSoft = IM_COL32(226, 237, 228, 255);
inline const ImU32 kAmber = IM_COL32(176, 112, 20, 255);
inline const ImU32 kAmberSoft = IM_COL32(250, 236, 210, 255);

enum class Look { Key, Plain, Primary, Soft, Quiet };

ImVec4 v4(ImU32 c);
void probe(const DrawContext& ctx, const std::string& id, ImVec2 p0, ImVec2 p1);
// A touch button at an absolute rectangle; `id` names it for tests.
bool button(const DrawContext& ctx, const std::string& id, const std::string& text, ImVec2 pos, ImVec2 size,
            Look look = Look::Plain, ImFont* font = nullptr, bool enabled = true);
void text(ImFont* font, ImVec2 pos, ImU32 col, const std::string& s, float wrap_width = 0);
ImVec2 measure(ImFont* font, const std::string& s, float wrap_width = 0);
void text_centered(ImFont* font, float cx, float y, ImU32 col, const std::string& s);
// `s` shortened with an ellipsis to fit `width` on one line.
std::string fit(ImFont* font, const std::string& s, float width);
void card(ImVec2 p0, ImVec2 p1, ImU32 fill, float rounding, ImU32 border = 0);
std::string tr(const DrawContext& ctx, const FlowState& s, const char* key);

void draw_header(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, bool show_lang);
float keyboard_top(const Metrics& m);
void draw_keyboard(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, bool upper);
// A text box typed into with the on-screen keyboard; a tap emits `on_tap`.
void field_box(const DrawContext& ctx, const std::string& id, ImVec2 p0, ImVec2 size, const std::string& value,
               const std::string& hint, bool focused, std::vector<Event>* out = nullptr, Event on_tap = ev::Tick{});

}  // namespace studio::ui
