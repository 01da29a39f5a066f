// Widgets shared by the public and the staff screens: palette, touch buttons,
// text helpers, the header and the on-screen keyboard.
#include "ui/widgets.h"

#include "core/text_fold.h"

#include <algorithm>
#include <cstdio>

namespace studio::ui {




ImVec4 v4(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

void probe(const DrawContext& ctx, const std::string& id, ImVec2 p0, ImVec2 p1) {
    if (ctx.probe) (*ctx.probe)[id] = Rect{p0.x, p0.y, p1.x, p1.y};
}

// A touch button at an absolute rectangle. `id` names it for tests.
bool button(const DrawContext& ctx, const std::string& id, const std::string& text, ImVec2 pos, ImVec2 size,
            Look look, ImFont* font, bool enabled) {
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

void text(ImFont* font, ImVec2 pos, ImU32 col, const std::string& s, float wrap) {
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, col, s.c_str(), nullptr, wrap);
}

ImVec2 measure(ImFont* font, const std::string& s, float wrap) {
    return font->CalcTextSizeA(font->FontSize, 1e9f, wrap, s.c_str());
}

void text_centered(ImFont* font, float cx, float y, ImU32 col, const std::string& s) {
    text(font, ImVec2(cx - measure(font, s).x / 2, y), col, s);
}

// Shortens `s` with an ellipsis so it fits `width` on one line.
std::string fit(ImFont* font, const std::string& s, float width) {
    if (measure(font, s).x <= width) return s;
    std::string out = s;
    while (!out.empty() && measure(font, out + "…").x > width) utf8_pop_back(out);
    return out + "…";
}

void card(ImVec2 p0, ImVec2 p1, ImU32 fill, float rounding, ImU32 border) {
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
    } else if (s.screen != Screen::Done && !(s.screen == Screen::Staff && s.staff.coach_device &&
                                             s.staff.view == StaffView::Coach)) {
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
               const std::string& hint, bool focused, std::vector<Event>* out, Event on_tap) {
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

}  // namespace studio::ui
