// Kiosk screens (widgets and the keyboard are in widgets.cpp)
//  - home, choose class, done, register
//  - staff PIN pad, staff menu
#include "ui/screens.h"

#include "ui/staff_screens.h"
#include "ui/widgets.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "core/text_fold.h"

namespace studio {

namespace {

using namespace ui;

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
    draw_header(s, ctx, out, s.screen == Screen::Home || s.screen == Screen::Register || s.screen == Screen::Staff);
    switch (s.screen) {
        case Screen::Home: draw_home(s, ctx, out); break;
        case Screen::ChooseClass: draw_choose(s, ctx, out); break;
        case Screen::Done: draw_done(s, ctx, out); break;
        case Screen::Register: draw_register(s, ctx, out); break;
        case Screen::StaffPin: draw_pin(s, ctx, out); break;
        case Screen::Staff: draw_staff_screens(s, ctx, out); break;
    }
    ImGui::End();
    ImGui::PopStyleColor();
}

}  // namespace studio
