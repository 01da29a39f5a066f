// Kiosk screens
//  - palette and small widgets (button, text, probe)
//  - header, on-screen keyboard
//  - home, choose class, done, register, staff PIN, staff
#include "ui/screens.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/text_fold.h"

namespace studio {

namespace {

// ---- palette and widgets --------------------------------------------------------

// Calm, high-contrast colours: warm paper, dark ink, sage accent, a soft amber
// for "see your coach" (never red: nothing at the door is an alarm).
const ImU32 kPaper = IM_COL32(246, 243, 238, 255);
const ImU32 kCard = IM_COL32(255, 255, 255, 255);
const ImU32 kInk = IM_COL32(38, 38, 38, 255);
const ImU32 kMuted = IM_COL32(105, 105, 100, 255);
const ImU32 kLine = IM_COL32(214, 208, 198, 255);
const ImU32 kAccent = IM_COL32(70, 120, 88, 255);
const ImU32 kAccentSoft = IM_COL32(226, 237, 228, 255);
const ImU32 kAmber = IM_COL32(176, 112, 20, 255);
const ImU32 kAmberSoft = IM_COL32(250, 236, 210, 255);

enum class Look { Key, Plain, Primary, Soft, Quiet };

ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void probe(const DrawContext& ctx, const std::string& id, ImVec2 p0, ImVec2 p1) {
    if (ctx.probe) (*ctx.probe)[id] = Rect{p0.x, p0.y, p1.x, p1.y};
}

// A touch button at an absolute rectangle. `id` names it for tests.
bool button(const DrawContext& ctx, const std::string& id, const std::string& text, ImVec2 pos, ImVec2 size,
            Look look = Look::Plain, ImFont* font = nullptr, bool enabled = true) {
    ImU32 bg = kCard, fg = kInk, border = kLine;
    switch (look) {
        case Look::Key: bg = kCard; break;
        case Look::Plain: bg = kCard; break;
        case Look::Primary: bg = kAccent; fg = IM_COL32_WHITE; border = kAccent; break;
        case Look::Soft: bg = kAccentSoft; fg = kAccent; border = kAccentSoft; break;
        case Look::Quiet: bg = kPaper; fg = kMuted; border = kLine; break;
    }
    if (!enabled) { fg = kLine; }
    ImGui::PushStyleColor(ImGuiCol_Button, v4(bg));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, v4(bg));   // touch has no hover
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, v4(look == Look::Primary ? IM_COL32(52, 96, 68, 255) : kAccentSoft));
    ImGui::PushStyleColor(ImGuiCol_Text, v4(fg));
    ImGui::PushStyleColor(ImGuiCol_Border, v4(border));
    ImGui::PushFont(font ? font : ctx.fonts.large);
    ImGui::SetCursorScreenPos(pos);
    const bool clicked = ImGui::Button((text + "##" + id).c_str(), size) && enabled;
    ImGui::PopFont();
    ImGui::PopStyleColor(5);
    probe(ctx, id, pos, ImVec2(pos.x + size.x, pos.y + size.y));
    return clicked;
}

void text(ImFont* font, ImVec2 pos, ImU32 col, const std::string& s, float wrap = 0) {
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, col, s.c_str(), nullptr, wrap);
}

ImVec2 measure(ImFont* font, const std::string& s, float wrap = 0) {
    return font->CalcTextSizeA(font->FontSize, 1e9f, wrap, s.c_str());
}

void text_centered(ImFont* font, float cx, float y, ImU32 col, const std::string& s) {
    text(font, ImVec2(cx - measure(font, s).x / 2, y), col, s);
}

// Shortens `s` with an ellipsis so it fits `width` on one line.
std::string fit(ImFont* font, const std::string& s, float width) {
    if (measure(font, s).x <= width) return s;
    std::string out = s;
    while (!out.empty() && measure(font, out + "…").x > width) {
        do out.pop_back();
        while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80);
        if (!out.empty()) out.pop_back();
    }
    return out + "…";
}

void card(ImVec2 p0, ImVec2 p1, ImU32 fill, float rounding, ImU32 border = 0) {
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, fill, rounding);
    if (border) dl->AddRect(p0, p1, border, rounding, 0, 1.0f);
}

std::string tr(const DrawContext& ctx, const FlowState& s, const char* key) { return ctx.texts.get(s.lang, key); }

// ---- header ------------------------------------------------------------------

void draw_header(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, bool show_lang) {
    const auto& m = ctx.m;
    const float h = m.header_h(), btn = 48 * m.s;
    const float y = (h - btn) / 2;
    if (s.screen == Screen::Home) {
        // The logo doubles as the hidden staff door: press and hold.
        const ImVec2 pos(m.pad(), y), size(170 * m.s, btn);
        ImGui::SetCursorScreenPos(pos);
        ImGui::InvisibleButton("logo", size);
        if (ImGui::IsItemActivated()) out.push_back(ev::LogoDown{});
        if (ImGui::IsItemDeactivated()) out.push_back(ev::LogoUp{});
        probe(ctx, "logo", pos, ImVec2(pos.x + size.x, pos.y + size.y));
        auto* dl = ImGui::GetWindowDrawList();
        const float r = 13 * m.s;
        const ImVec2 c(pos.x + r + 2 * m.s, pos.y + btn / 2);
        dl->AddCircleFilled(c, r, kAccent, 32);
        dl->AddCircleFilled(ImVec2(c.x + r * 0.35f, c.y - r * 0.2f), r * 0.55f, kPaper, 32);
        text(ctx.fonts.large, ImVec2(c.x + r + 10 * m.s, c.y - ctx.fonts.large->FontSize / 2), kInk,
             tr(ctx, s, "brand"));
    } else if (s.screen != Screen::Done) {
        if (button(ctx, "back", "‹  " + tr(ctx, s, "common.back"), ImVec2(m.pad(), y), ImVec2(150 * m.s, btn),
                   Look::Quiet))
            out.push_back(ev::Back{});
    }
    text_centered(ctx.fonts.large, m.w / 2, (h - ctx.fonts.large->FontSize) / 2, kInk, ctx.info.clock);

    float right = m.w - m.pad();
    if (show_lang) {
        const float lw = 64 * m.s;
        for (Lang l : {Lang::Ru, Lang::En}) {
            right -= lw;
            const bool on = s.lang == l;
            if (button(ctx, std::string("lang.") + std::string(lang_code(l)), l == Lang::En ? "EN" : "RU",
                       ImVec2(right, y), ImVec2(lw, btn), on ? Look::Soft : Look::Quiet, ctx.fonts.body))
                out.push_back(ev::SetLang{l});
            right -= m.gap();
        }
    }
    if (!ctx.info.sync_label.empty()) {
        // Small and grey: staff can read it, clients are not alarmed.
        const ImVec2 sz = measure(ctx.fonts.small, ctx.info.sync_label);
        const float x = right - sz.x - m.pad();
        const float cy = h / 2;
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(x - 9 * m.s, cy), 4 * m.s,
                                                     ctx.info.sync_problem ? kAmber : kLine, 12);
        text(ctx.fonts.small, ImVec2(x, cy - sz.y / 2), kMuted, ctx.info.sync_label);
    }
}

// ---- on-screen keyboard ------------------------------------------------------

float keyboard_top(const Metrics& m) { return m.h - m.pad() - 4 * m.key_h() - 3 * m.gap(); }

void draw_keyboard(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, bool upper) {
    const auto& m = ctx.m;
    const auto rows = keyboard_rows(s.layout, upper);
    const float kb_w = std::min(m.w - 2 * m.pad(), 1100 * m.s);
    const float x0 = (m.w - kb_w) / 2;
    std::size_t widest = 10;
    for (const auto& r : rows) widest = std::max(widest, r.size());
    const float key_w = (kb_w - (widest - 1) * m.gap()) / widest;
    float y = keyboard_top(m);
    for (const auto& row : rows) {
        const float row_w = row.size() * key_w + (row.size() - 1) * m.gap();
        float x = x0 + (kb_w - row_w) / 2;
        for (const auto& k : row) {
            if (button(ctx, "key." + k, k, ImVec2(x, y), ImVec2(key_w, m.key_h()), Look::Key, ctx.fonts.large))
                out.push_back(ev::Type{k});
            x += key_w + m.gap();
        }
        y += m.key_h() + m.gap();
    }
    // Bottom row: mode, alphabet, space, backspace, clear.
    const bool digits = s.layout == KeyLayout::Digits;
    const float unit = (kb_w - 4 * m.gap()) / 8;
    float x = x0;
    const Lang kb_lang = s.layout == KeyLayout::Cyrillic ? Lang::Ru : s.layout == KeyLayout::Latin ? Lang::En : s.lang;
    if (button(ctx, "key.mode", digits ? ctx.texts.get(kb_lang, "kbd.letters") : tr(ctx, s, "kbd.digits"),
               ImVec2(x, y), ImVec2(unit, m.key_h()), Look::Soft, ctx.fonts.body))
        out.push_back(ev::SetLayout{digits ? (s.lang == Lang::Ru ? KeyLayout::Cyrillic : KeyLayout::Latin)
                                           : KeyLayout::Digits});
    x += unit + m.gap();
    if (!digits) {
        const bool cyr = s.layout == KeyLayout::Cyrillic;
        if (button(ctx, "key.alphabet", cyr ? "ABC" : "АБВ", ImVec2(x, y), ImVec2(unit, m.key_h()), Look::Soft,
                   ctx.fonts.body))
            out.push_back(ev::SetLayout{cyr ? KeyLayout::Latin : KeyLayout::Cyrillic});
    }
    x += unit + m.gap();
    if (button(ctx, "key.space", tr(ctx, s, "kbd.space"), ImVec2(x, y), ImVec2(3 * unit, m.key_h()), Look::Key,
               ctx.fonts.body))
        out.push_back(ev::Type{" "});
    x += 3 * unit + m.gap();
    if (button(ctx, "key.backspace", "⌫", ImVec2(x, y), ImVec2(unit * 1.5f - m.gap() / 2, m.key_h()), Look::Soft,
               ctx.fonts.large))
        out.push_back(ev::Backspace{});
    x += unit * 1.5f + m.gap() / 2;
    if (button(ctx, "key.clear", tr(ctx, s, "kbd.clear"), ImVec2(x, y), ImVec2(x0 + kb_w - x, m.key_h()), Look::Soft,
               ctx.fonts.body))
        out.push_back(ev::Clear{});
}

// A text box the client types into with the on-screen keyboard.
void field_box(const DrawContext& ctx, const std::string& id, ImVec2 p0, ImVec2 size, const std::string& value,
               const std::string& hint, bool focused, std::vector<Event>* out = nullptr, Event on_tap = ev::Tick{}) {
    const auto& m = ctx.m;
    const ImVec2 p1(p0.x + size.x, p0.y + size.y);
    ImGui::SetCursorScreenPos(p0);
    if (ImGui::InvisibleButton(("##" + id).c_str(), size) && out) out->push_back(on_tap);
    probe(ctx, id, p0, p1);
    card(p0, p1, kCard, 10 * m.s, focused ? kAccent : kLine);
    if (focused) ImGui::GetWindowDrawList()->AddRect(p0, p1, kAccent, 10 * m.s, 0, 2.5f * m.s);
    ImFont* f = ctx.fonts.large;
    const float ty = p0.y + (size.y - f->FontSize) / 2;
    const float tx = p0.x + 16 * m.s;
    if (value.empty()) {
        text(f, ImVec2(tx, ty), kMuted, fit(f, hint, size.x - 32 * m.s));
        if (focused) ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(tx - 4 * m.s, ty), ImVec2(tx - 2 * m.s, ty + f->FontSize), kAccent);
    } else {
        // Show the end of long input: that is where the typing happens.
        std::string shown = value;
        while (measure(f, shown).x > size.x - 40 * m.s && !shown.empty()) {
            std::size_t cut = 1;
            while (cut < shown.size() && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) ++cut;
            shown.erase(0, cut);
        }
        text(f, ImVec2(tx, ty), kInk, shown);
        if (focused) {
            const float cx = tx + measure(f, shown).x + 3 * m.s;
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(cx, ty), ImVec2(cx + 2 * m.s, ty + f->FontSize), kAccent);
        }
    }
}

// ---- home --------------------------------------------------------------------

void draw_home(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const float top = m.header_h() + m.gap();
    const float first_w = 210 * m.s;
    const float field_h = 60 * m.s;
    const float field_w = m.w - 2 * m.pad() - first_w - m.gap();
    field_box(ctx, "search", ImVec2(m.pad(), top), ImVec2(field_w, field_h), s.query,
              tr(ctx, s, "home.search_hint") + "  ·  " + tr(ctx, s, "home.scan_hint"), true);
    if (button(ctx, "first_time", tr(ctx, s, "home.first_time"), ImVec2(m.pad() + field_w + m.gap(), top),
               ImVec2(first_w, field_h), Look::Soft, ctx.fonts.body))
        out.push_back(ev::FirstTime{});

    const float y0 = top + field_h + m.gap() * 2;
    const float y1 = keyboard_top(m) - m.gap() * 2;
    const float area_w = m.w - 2 * m.pad();
    float y = y0;
    if (!s.notice.empty()) {
        const std::string note = tr(ctx, s, s.notice.c_str());
        card(ImVec2(m.pad(), y), ImVec2(m.w - m.pad(), y + ctx.fonts.body->FontSize + 12 * m.s), kAmberSoft, 8 * m.s);
        text(ctx.fonts.body, ImVec2(m.pad() + 12 * m.s, y + 6 * m.s), kAmber, fit(ctx.fonts.body, note, area_w - 24 * m.s));
        y += ctx.fonts.body->FontSize + 18 * m.s;
    }

    if (s.query.empty()) {
        // Today's focus and the next class.
        if (!ctx.info.focus_title.empty()) {
            text(ctx.fonts.small, ImVec2(m.pad(), y), kAccent, tr(ctx, s, "focus.label"));
            y += ctx.fonts.small->FontSize + 2 * m.s;
            text(ctx.fonts.large, ImVec2(m.pad(), y), kInk, fit(ctx.fonts.large, ctx.info.focus_title, area_w));
            y += ctx.fonts.large->FontSize + 4 * m.s;
            const float room = y1 - y - ctx.fonts.body->FontSize - 4 * m.s;
            if (room >= ctx.fonts.body->FontSize)
                text(ctx.fonts.body, ImVec2(m.pad(), y), kMuted,
                     fit(ctx.fonts.body, ctx.info.focus_body, area_w));
            y += ctx.fonts.body->FontSize + 6 * m.s;
        }
        const std::string next = ctx.info.next_class.empty() ? tr(ctx, s, "home.no_class") : ctx.info.next_class;
        if (y + ctx.fonts.body->FontSize <= y1 + 2 * m.s)
            text(ctx.fonts.body, ImVec2(m.pad(), y), kInk, fit(ctx.fonts.body, next, area_w));
    } else if (!query_ready(s.query)) {
        text(ctx.fonts.body, ImVec2(m.pad(), y + 8 * m.s), kMuted, tr(ctx, s, "home.keep_typing"));
    } else {
        // Up to 8 masked names, four to a row.
        const int cols = 4;
        const float bw = (area_w - (cols - 1) * m.gap()) / cols;
        const float bh = std::max(48.0f * m.s, std::min(56 * m.s, (y1 - y - m.gap()) / 2));
        for (std::size_t i = 0; i < s.results.size() && i < 8; ++i) {
            const float bx = m.pad() + (i % cols) * (bw + m.gap());
            const float by = y + (i / cols) * (bh + m.gap());
            const auto& r = s.results[i];
            if (button(ctx, "result." + std::to_string(i), fit(ctx.fonts.large, r.display, bw - 16 * m.s),
                       ImVec2(bx, by), ImVec2(bw, bh), Look::Plain, ctx.fonts.large, !s.busy))
                out.push_back(ev::PickResult{r.id});
        }
        // Where the next result would go: the way out for someone not on the list.
        const std::size_t n = std::min<std::size_t>(s.results.size(), 8);
        if (n < 8) {
            const float bx = m.pad() + (n % cols) * (bw + m.gap());
            const float by = y + (n / cols) * (bh + m.gap());
            const float w = m.w - m.pad() - bx;
            // Two "Anna K." look alike: the surname's next letters tell them apart,
            // without ever showing it.
            bool twins = false;
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = i + 1; j < n; ++j) twins |= s.results[i].display == s.results[j].display;
            const std::string note = tr(ctx, s, twins ? "home.same_name" : "home.not_found");
            const ImVec2 sz = measure(ctx.fonts.body, note, w);
            text(ctx.fonts.body, ImVec2(bx + (n ? 8 * m.s : 0), by + std::max(0.0f, (bh - sz.y) / 2)), kMuted, note,
                 w - 8 * m.s);
        }
    }
    draw_keyboard(s, ctx, out, false);
}

// ---- choose class ------------------------------------------------------------

void draw_choose(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    float y = m.header_h() + m.pad();
    text_centered(ctx.fonts.title, m.w / 2, y, kInk, tr(ctx, s, "choose.title"));
    y += ctx.fonts.title->FontSize + m.pad() * 1.5f;
    const float bw = std::min(m.w - 4 * m.pad(), 640 * m.s);
    const float x = (m.w - bw) / 2;
    const float bh = 64 * m.s;
    for (std::size_t i = 0; i < s.class_options.size() && i < 3; ++i) {
        if (button(ctx, "class." + std::to_string(i), s.class_options[i].label, ImVec2(x, y), ImVec2(bw, bh),
                   Look::Plain, ctx.fonts.large, !s.busy))
            out.push_back(ev::PickClass{s.class_options[i].id});
        y += bh + m.gap() * 2;
    }
    if (button(ctx, "class.none", tr(ctx, s, "choose.none"), ImVec2(x, y), ImVec2(bw, bh), Look::Quiet,
               ctx.fonts.body, !s.busy))
        out.push_back(ev::PickClass{std::nullopt});
}

// ---- done --------------------------------------------------------------------

void draw_done(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const auto& d = s.done;
    // The whole screen is the "finish" button; the text is drawn on top of it.
    ImGui::SetCursorScreenPos(ImVec2(0, m.header_h()));
    if (ImGui::InvisibleButton("##done", ImVec2(m.w, m.h - m.header_h()))) out.push_back(ev::Dismiss{});
    probe(ctx, "done", ImVec2(0, m.header_h()), ImVec2(m.w, m.h));

    const float right_w = 250 * m.s;
    const float left_w = m.w - 3 * m.pad() - right_w;
    float y = m.header_h() + m.pad();
    text(ctx.fonts.title, ImVec2(m.pad(), y), kInk, fit(ctx.fonts.title, d.welcome, left_w));
    y += ctx.fonts.title->FontSize + 6 * m.s;
    text(ctx.fonts.body, ImVec2(m.pad(), y), kMuted, fit(ctx.fonts.body, d.class_line, left_w));
    y += ctx.fonts.body->FontSize + m.pad();
    for (const auto& msg : d.messages) {
        const ImVec2 sz = measure(ctx.fonts.body, msg, left_w);
        text(ctx.fonts.body, ImVec2(m.pad(), y), kInk, msg, left_w);
        y += sz.y + m.gap() * 1.5f;
    }
    // The pass: a gentle amber note when the coach should have a word.
    if (!d.pass_line.empty()) {
        y += m.gap();
        const float inset = d.pass_attention ? 12 * m.s : 0;
        const ImVec2 sz = measure(ctx.fonts.body, d.pass_line, left_w - 2 * inset);
        if (d.pass_attention) card(ImVec2(m.pad(), y - 6 * m.s), ImVec2(m.pad() + left_w, y + sz.y + 6 * m.s), kAmberSoft, 8 * m.s);
        text(ctx.fonts.body, ImVec2(m.pad() + inset, y), d.pass_attention ? kAmber : kMuted, d.pass_line,
             left_w - 2 * inset);
    }

    // The session number, big, on its own card.
    const ImVec2 c0(m.w - m.pad() - right_w, m.header_h() + m.pad());
    const ImVec2 c1(m.w - m.pad(), c0.y + 200 * m.s);
    card(c0, c1, d.already ? kCard : kAccentSoft, 16 * m.s, d.already ? kLine : 0);
    text_centered(ctx.fonts.large, (c0.x + c1.x) / 2, c0.y + 14 * m.s, kAccent,
                  d.session.substr(0, d.session.find_last_of(' ')));
    const std::string number = d.session.substr(d.session.find_last_of(' ') + 1);
    text_centered(ctx.fonts.huge, (c0.x + c1.x) / 2, c0.y + 20 * m.s + ctx.fonts.large->FontSize, kAccent, number);

    // Today's focus along the bottom, and how to leave.
    const float fy = m.h - m.pad() - ctx.fonts.body->FontSize * 2 - 10 * m.s;
    if (!d.focus_title.empty()) {
        card(ImVec2(m.pad(), fy - 8 * m.s), ImVec2(m.w - m.pad(), m.h - m.pad()), kCard, 10 * m.s, kLine);
        const std::string label = tr(ctx, s, "focus.label") + ": ";
        text(ctx.fonts.body, ImVec2(m.pad() * 2, fy), kAccent, label);
        const float lx = m.pad() * 2 + measure(ctx.fonts.body, label).x;
        text(ctx.fonts.body, ImVec2(lx, fy), kInk, fit(ctx.fonts.body, d.focus_title, m.w - lx - 2 * m.pad()));
        text(ctx.fonts.small, ImVec2(m.pad() * 2, fy + ctx.fonts.body->FontSize + 4 * m.s), kMuted,
             fit(ctx.fonts.small, d.focus_body, m.w - 4 * m.pad()));
    }
    const std::string tap = tr(ctx, s, "done.tap");
    text(ctx.fonts.small, ImVec2(m.w - m.pad() - measure(ctx.fonts.small, tap).x, c1.y + m.gap() * 2), kMuted, tap);
}

// ---- register ----------------------------------------------------------------

void draw_register(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const float top = m.header_h() + m.gap();
    const float col_w = (m.w - 2 * m.pad() - m.pad()) * 0.52f;
    const float fh = 52 * m.s;
    const struct {
        Field f;
        const char* id;
        const char* hint;
        const std::string* value;
    } fields[] = {{Field::First, "reg.first", "register.first", &s.reg_first},
                  {Field::Last, "reg.last", "register.last", &s.reg_last},
                  {Field::Phone, "reg.phone", "register.phone", &s.reg_phone}};
    float y = top;
    for (const auto& f : fields) {
        field_box(ctx, f.id, ImVec2(m.pad(), y), ImVec2(col_w, fh), *f.value, tr(ctx, s, f.hint), s.reg_field == f.f,
                  &out, ev::FocusField{f.f});
        y += fh + m.gap();
    }
    // Right column: the safety note, the consent tap, and the button.
    const float rx = m.pad() * 2 + col_w;
    const float rw = m.w - m.pad() - rx;
    float ry = top;
    const std::string safety = tr(ctx, s, "msg.safety");
    const ImVec2 sz = measure(ctx.fonts.small, safety, rw - 20 * m.s);
    card(ImVec2(rx, ry), ImVec2(rx + rw, ry + sz.y + 16 * m.s), kAmberSoft, 8 * m.s);
    text(ctx.fonts.small, ImVec2(rx + 10 * m.s, ry + 8 * m.s), kInk, safety, rw - 20 * m.s);
    ry += sz.y + 16 * m.s + m.gap();
    const float bottom = keyboard_top(m) - m.gap();
    const float bh = std::max(48 * m.s, std::min(52 * m.s, (bottom - ry - m.gap()) / 2));
    const std::string tick = s.reg_consent ? "☑  " : "☐  ";
    if (button(ctx, "reg.consent", tick + tr(ctx, s, "register.consent"), ImVec2(rx, ry), ImVec2(rw, bh),
               s.reg_consent ? Look::Soft : Look::Plain, ctx.fonts.small))
        out.push_back(ev::ToggleConsent{});
    ry += bh + m.gap();
    if (button(ctx, "reg.submit", tr(ctx, s, "register.submit"), ImVec2(rx, ry), ImVec2(rw, bh), Look::Primary,
               ctx.fonts.large, !s.busy))
        out.push_back(ev::SubmitRegistration{});
    if (!s.notice.empty()) {
        const std::string note = tr(ctx, s, s.notice.c_str());
        const float ny = y + 2 * m.s;
        text(ctx.fonts.small, ImVec2(m.pad(), ny), kAmber, note, col_w);
    }
    const std::string& current = s.reg_field == Field::First ? s.reg_first : s.reg_field == Field::Last ? s.reg_last : s.reg_phone;
    const bool upper = current.empty() || current.back() == ' ' || current.back() == '-';
    draw_keyboard(s, ctx, out, upper);
}

// ---- staff -------------------------------------------------------------------

void draw_pin(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    float y = m.header_h() + m.gap();
    text_centered(ctx.fonts.large, m.w / 2, y, kInk, tr(ctx, s, "pin.title"));
    y += ctx.fonts.large->FontSize + m.gap();
    // Dots, never digits.
    const float dot = 9 * m.s;
    const int n = static_cast<int>(s.pin.size());
    for (int i = 0; i < std::max(n, 4); ++i) {
        const ImVec2 c(m.w / 2 + (i - (std::max(n, 4) - 1) / 2.0f) * 30 * m.s, y + dot + 2 * m.s);
        if (i < n) ImGui::GetWindowDrawList()->AddCircleFilled(c, dot, kInk, 16);
        else ImGui::GetWindowDrawList()->AddCircle(c, dot, kLine, 16, 2 * m.s);
    }
    y += dot * 2 + 10 * m.s;
    std::string msg;
    if (!ctx.info.staff_pin_set) msg = tr(ctx, s, "pin.none");
    else if (s.pin_lock.locked(ctx.now))
        msg = ctx.texts.format(s.lang, "pin.locked",
                               {{"seconds", std::to_string((s.pin_lock.locked_until - ctx.now + 999) / 1000)}});
    else if (!s.pin_message.empty()) msg = tr(ctx, s, s.pin_message.c_str());
    if (!msg.empty()) text_centered(ctx.fonts.small, m.w / 2, y, kAmber, msg);
    y += ctx.fonts.small->FontSize + m.gap();

    const bool locked = s.pin_lock.locked(ctx.now) || !ctx.info.staff_pin_set;
    const float kh = std::min(56 * m.s, (m.h - m.pad() - y - 3 * m.gap()) / 4);
    const float kw = 110 * m.s;
    const float x0 = m.w / 2 - (3 * kw + 2 * m.gap()) / 2;
    const char* keys[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"⌫", "0", "OK"}};
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 3; ++c) {
            const std::string k = keys[r][c];
            const ImVec2 pos(x0 + c * (kw + m.gap()), y + r * (kh + m.gap()));
            const bool ok = k == "OK";
            if (button(ctx, "pin." + (k == "⌫" ? std::string("backspace") : ok ? std::string("ok") : k),
                       ok ? tr(ctx, s, "pin.ok") : k, pos, ImVec2(kw, kh), ok ? Look::Primary : Look::Key,
                       ctx.fonts.large, !locked && !s.busy)) {
                if (ok) out.push_back(ev::PinSubmit{});
                else if (k == "⌫") out.push_back(ev::Backspace{});
                else out.push_back(ev::PinDigit{k[0]});
            }
        }
}

void draw_staff(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    float y = m.header_h() + m.pad();
    text_centered(ctx.fonts.title, m.w / 2, y, kInk, tr(ctx, s, "staff.title"));
    y += ctx.fonts.title->FontSize + m.pad();
    const float bw = std::min(m.w - 4 * m.pad(), 560 * m.s), bh = 60 * m.s;
    const float x = (m.w - bw) / 2;
    const std::string soon = "  (" + tr(ctx, s, "staff.soon") + ")";
    button(ctx, "staff.coach", tr(ctx, s, "staff.coach") + soon, ImVec2(x, y), ImVec2(bw, bh), Look::Plain,
           ctx.fonts.body, false);
    y += bh + m.gap() * 2;
    button(ctx, "staff.manager", tr(ctx, s, "staff.manager") + soon, ImVec2(x, y), ImVec2(bw, bh), Look::Plain,
           ctx.fonts.body, false);
    y += bh + m.gap() * 2;
    if (button(ctx, "staff.back", tr(ctx, s, "staff.back"), ImVec2(x, y), ImVec2(bw, bh), Look::Soft, ctx.fonts.large))
        out.push_back(ev::Back{});
    y += bh + m.gap() * 2;
    if (button(ctx, "staff.exit", tr(ctx, s, "staff.exit"), ImVec2(x, y), ImVec2(bw, bh), Look::Quiet, ctx.fonts.large))
        out.push_back(ev::StaffExit{});
}

}  // namespace

std::vector<std::vector<std::string>> keyboard_rows(KeyLayout layout, bool upper) {
    auto split = [](const char* utf8) {
        std::vector<std::string> keys;
        for (const char* p = utf8; *p;) {
            std::size_t n = 1;
            while ((static_cast<unsigned char>(p[n]) & 0xC0) == 0x80) ++n;
            keys.emplace_back(p, n);
            p += n;
        }
        return keys;
    };
    switch (layout) {
        case KeyLayout::Digits: return {split("12345"), split("67890"), split("+-")};
        case KeyLayout::Cyrillic:
            return upper ? std::vector{split("ЙЦУКЕНГШЩЗХЪ"), split("ФЫВАПРОЛДЖЭ"), split("ЯЧСМИТЬБЮЁ-")}
                         : std::vector{split("йцукенгшщзхъ"), split("фывапролджэ"), split("ячсмитьбюё-")};
        case KeyLayout::Latin:
        default:
            return upper ? std::vector{split("QWERTYUIOP"), split("ASDFGHJKL"), split("ZXCVBNM'-")}
                         : std::vector{split("qwertyuiop"), split("asdfghjkl"), split("zxcvbnm'-")};
    }
}

void draw_kiosk(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(m.w, m.h));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, v4(kPaper));
    ImGui::Begin("kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::GetWindowDrawList()->AddLine(ImVec2(0, m.header_h()), ImVec2(m.w, m.header_h()), kLine, 1.0f);
    draw_header(s, ctx, out, s.screen == Screen::Home || s.screen == Screen::Register);
    switch (s.screen) {
        case Screen::Home: draw_home(s, ctx, out); break;
        case Screen::ChooseClass: draw_choose(s, ctx, out); break;
        case Screen::Done: draw_done(s, ctx, out); break;
        case Screen::Register: draw_register(s, ctx, out); break;
        case Screen::StaffPin: draw_pin(s, ctx, out); break;
        case Screen::Staff: draw_staff(s, ctx, out); break;
    }
    ImGui::End();
    ImGui::PopStyleColor();
}

}  // namespace studio
