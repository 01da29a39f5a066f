// Staff screens
//  - menu (coach, manager, leave kiosk mode)
//  - coach: today's classes, the group, check in by hand, move, undo
//  - manager: export, attendance chart, sync health, focus, PINs
#include "ui/staff_screens.h"

#include <algorithm>
#include <functional>

#include "ui/widgets.h"

namespace studio {

namespace {

using namespace ui;

Event staff(StaffEvent e) { return ev::Staff{std::move(e)}; }

std::string t(const DrawContext& ctx, const FlowState& s, const char* key) { return ctx.texts.get(s.lang, key); }

// A line of feedback after an action, calm or amber.
void notice_line(const FlowState& s, const DrawContext& ctx, float x, float y, float w) {
    if (s.staff.notice.empty()) return;
    const std::string msg = ctx.texts.has(s.lang, s.staff.notice) || ctx.texts.has(Lang::En, s.staff.notice)
                                ? t(ctx, s, s.staff.notice.c_str())
                                : s.staff.notice;
    const float h = ctx.fonts.body->FontSize + 12 * ctx.m.s;
    card(ImVec2(x, y), ImVec2(x + w, y + h), s.staff.notice_is_error ? kAmberSoft : kAccentSoft, 8 * ctx.m.s);
    text(ctx.fonts.body, ImVec2(x + 10 * ctx.m.s, y + 6 * ctx.m.s), s.staff.notice_is_error ? kAmber : kAccent,
         fit(ctx.fonts.body, msg, w - 20 * ctx.m.s));
}

// Health alerts (storage, a replaced database, a failed backup): amber cards with
// wrapped text, at most `max` of them. Returns the height used.
float alert_cards(const StaffInfo& info, const DrawContext& ctx, float x, float y, float w, std::size_t max) {
    const float pad = 10 * ctx.m.s;
    float used = 0;
    for (std::size_t i = 0; i < info.alerts.size() && i < max; ++i) {
        const float h = measure(ctx.fonts.body, info.alerts[i], w - 2 * pad).y + 2 * pad;
        card(ImVec2(x, y + used), ImVec2(x + w, y + used + h), kAmberSoft, 8 * ctx.m.s);
        text(ctx.fonts.body, ImVec2(x + pad, y + used + pad), kAmber, info.alerts[i], w - 2 * pad);
        used += h + ctx.m.gap();
    }
    return used;
}

// ---- menu ----------------------------------------------------------------------

void draw_menu(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    float y = m.header_h() + m.pad();
    text_centered(ctx.fonts.title, m.w / 2, y, kInk, t(ctx, s, "staff.title"));
    y += ctx.fonts.title->FontSize + m.pad();
    const float bw = std::min(m.w - 4 * m.pad(), 560 * m.s), bh = 60 * m.s;
    const float x = (m.w - bw) / 2;
    if (ctx.staff) y += alert_cards(*ctx.staff, ctx, x, y, bw, 1);
    if (button(ctx, "staff.coach", t(ctx, s, "staff.coach"), ImVec2(x, y), ImVec2(bw, bh), Look::Plain))
        out.push_back(staff(sev::OpenCoach{}));
    y += bh + m.gap() * 2;
    const bool manager = s.staff_role == StaffRole::Manager;
    if (button(ctx, "staff.manager", t(ctx, s, manager ? "staff.manager" : "staff.manager_only"), ImVec2(x, y),
               ImVec2(bw, bh), Look::Plain, manager ? nullptr : ctx.fonts.body, manager))
        out.push_back(staff(sev::OpenManager{}));
    y += bh + m.gap() * 2;
    if (button(ctx, "staff.back", t(ctx, s, "staff.back"), ImVec2(x, y), ImVec2(bw, bh), Look::Soft))
        out.push_back(ev::Back{});
    y += bh + m.gap() * 2;
    if (button(ctx, "staff.exit", t(ctx, s, "staff.exit"), ImVec2(x, y), ImVec2(bw, bh), Look::Quiet))
        out.push_back(ev::StaffExit{});
}

// ---- coach ---------------------------------------------------------------------

void badge(const DrawContext& ctx, float& x, float y, const std::string& label, ImU32 fg, ImU32 bg) {
    const ImVec2 sz = measure(ctx.fonts.small, label);
    const float pad = 8 * ctx.m.s;
    card(ImVec2(x, y), ImVec2(x + sz.x + 2 * pad, y + sz.y + 6 * ctx.m.s), bg, 10 * ctx.m.s);
    text(ctx.fonts.small, ImVec2(x + pad, y + 3 * ctx.m.s), fg, label);
    x += sz.x + 2 * pad + 6 * ctx.m.s;
}

void draw_class_list(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, float x, float y, float w,
                     float bottom, const std::string& prefix) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    const float bh = 56 * m.s;
    for (std::size_t i = 0; i < info.classes.size() && y + bh <= bottom; ++i) {
        const auto& c = info.classes[i];
        const std::string label = c.id == 0 ? t(ctx, s, "coach.no_class") : c.label;
        const bool on = prefix == "class." && c.id == info.shown_class;
        const std::string count = std::to_string(c.arrived);
        if (button(ctx, prefix + std::to_string(i), "", ImVec2(x, y), ImVec2(w, bh), on ? Look::Soft : Look::Plain)) {
            if (prefix == "class.") out.push_back(staff(sev::SelectClass{c.id}));
            else out.push_back(staff(sev::MoveTo{c.id == 0 ? std::nullopt : std::optional<ClassId>(c.id)}));
        }
        const float cw = measure(ctx.fonts.large, count).x;
        text(ctx.fonts.body, ImVec2(x + 12 * m.s, y + (bh - ctx.fonts.body->FontSize) / 2), kInk,
             fit(ctx.fonts.body, label, w - cw - 36 * m.s));
        text(ctx.fonts.large, ImVec2(x + w - cw - 14 * m.s, y + (bh - ctx.fonts.large->FontSize) / 2), kAccent, count);
        y += bh + m.gap();
    }
    if (info.classes.empty()) text(ctx.fonts.body, ImVec2(x, y), kMuted, t(ctx, s, "coach.no_classes"));
}

void draw_coach(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    const float top = m.header_h() + m.gap();
    const float bottom = m.h - m.pad();
    const float left_w = std::min(300 * m.s, m.w * 0.36f);
    draw_class_list(s, ctx, out, m.pad(), top, left_w, bottom, "class.");

    // The group of the shown class.
    const float x = m.pad() * 2 + left_w;
    const float w = m.w - m.pad() - x;
    float y = top;
    text(ctx.fonts.large, ImVec2(x, y), kInk,
         fit(ctx.fonts.large, info.shown_class == 0 ? t(ctx, s, "coach.no_class") : info.shown_label, w));
    y += ctx.fonts.large->FontSize + 2 * m.s;
    if (!info.focus_title.empty())
        text(ctx.fonts.small, ImVec2(x, y), kAccent,
             fit(ctx.fonts.small, t(ctx, s, "focus.label") + ": " + info.focus_title, w));
    y += ctx.fonts.small->FontSize + m.gap();

    const float bar_h = 52 * m.s;
    const float bar_y = bottom - bar_h;
    const float list_bottom = bar_y - m.gap() - (s.staff.notice.empty() ? 0 : ctx.fonts.body->FontSize + 18 * m.s);
    const float row_h = 54 * m.s;
    if (info.group.empty()) text(ctx.fonts.body, ImVec2(x, y + 8 * m.s), kMuted, t(ctx, s, "coach.nobody"));
    // Rows in a scrolling child: a wide scrollbar a finger can drag.
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    ImGui::PushStyleVar(ImGuiStyleVar_ScrollbarSize, 28 * m.s);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, v4(kPaper));
    ImGui::BeginChild("group", ImVec2(w, std::max(row_h, list_bottom - y)), false);
    for (std::size_t i = 0; i < info.group.size(); ++i) {
        const auto& r = info.group[i];
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const bool on = s.staff.selected_checkin == r.uuid;
        const float rw = ImGui::GetContentRegionAvail().x;
        if (button(ctx, "row." + std::to_string(i), "", p, ImVec2(rw, row_h - m.gap()), on ? Look::Soft : Look::Plain))
            out.push_back(staff(sev::SelectRow{r.uuid}));
        const float ty = p.y + (row_h - m.gap() - ctx.fonts.body->FontSize) / 2;
        text(ctx.fonts.small, ImVec2(p.x + 10 * m.s, ty + 2 * m.s), kMuted, r.time);
        const float nx = p.x + 64 * m.s;
        const std::string session = ctx.texts.format(s.lang, "checkin.session", {{"n", std::to_string(r.session)}});
        const float sw = measure(ctx.fonts.small, session).x;
        float bx = p.x + rw - 12 * m.s;
        // Badges from the right: session, milestone, pass alert.
        std::vector<std::pair<std::string, bool>> badges;
        if (r.pass_alert) badges.push_back({t(ctx, s, ("coach.pass_" + r.pass_state).c_str()), true});
        if (!r.milestone_key.empty())
            badges.push_back({ctx.texts.format(s.lang, r.milestone_key, {{"n", std::to_string(r.session)}}), false});
        float badges_w = sw + 12 * m.s;
        for (const auto& [label, alert] : badges) badges_w += measure(ctx.fonts.small, label).x + 22 * m.s;
        text(ctx.fonts.body, ImVec2(nx, ty), kInk, fit(ctx.fonts.body, r.name, bx - badges_w - nx));
        float cx = bx - badges_w;   // badges, then the session number at the right edge
        for (const auto& [label, alert] : badges) badge(ctx, cx, ty, label, alert ? kAmber : kAccent, alert ? kAmberSoft : kAccentSoft);
        text(ctx.fonts.small, ImVec2(bx - sw, ty + 2 * m.s), kMuted, session);
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
        ImGui::Dummy(ImVec2(1, 1));
        ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + row_h));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();

    notice_line(s, ctx, x, bar_y - m.gap() - ctx.fonts.body->FontSize - 12 * m.s, w);
    const float third = (w - 2 * m.gap()) / 3;
    const bool selected = !s.staff.selected_checkin.empty();
    if (button(ctx, "coach.checkin", t(ctx, s, "coach.checkin"), ImVec2(x, bar_y), ImVec2(third, bar_h), Look::Primary,
               ctx.fonts.body, info.shown_class >= 0))
        out.push_back(staff(sev::OpenSearch{}));
    if (button(ctx, "coach.move", t(ctx, s, "coach.move"), ImVec2(x + third + m.gap(), bar_y), ImVec2(third, bar_h),
               Look::Plain, ctx.fonts.body, selected))
        out.push_back(staff(sev::AskMove{}));
    if (button(ctx, "coach.undo", t(ctx, s, "coach.undo"), ImVec2(x + 2 * (third + m.gap()), bar_y),
               ImVec2(third, bar_h), Look::Plain, ctx.fonts.body, selected))
        out.push_back(staff(sev::AskUndo{}));
}

void draw_coach_search(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    const float top = m.header_h() + m.gap();
    const std::string for_class = info.shown_class == 0 ? t(ctx, s, "coach.no_class") : info.shown_label;
    text(ctx.fonts.small, ImVec2(m.pad(), top), kAccent,
         fit(ctx.fonts.small, t(ctx, s, "coach.checking_in_for") + " " + for_class, m.w - 2 * m.pad()));
    const float fy = top + ctx.fonts.small->FontSize + 4 * m.s;
    field_box(ctx, "staff.search", ImVec2(m.pad(), fy), ImVec2(m.w - 2 * m.pad(), 52 * m.s), s.staff.query,
              t(ctx, s, "coach.search_hint"), true);
    float y = fy + 52 * m.s + m.gap();
    const float bottom = keyboard_top(m) - m.gap();
    const float bw = (m.w - 2 * m.pad() - m.gap()) / 2;
    const float bh = std::max(48 * m.s, std::min(50 * m.s, (bottom - y - 2 * m.gap()) / 3));
    for (std::size_t i = 0; i < info.results.size() && i < 6; ++i) {
        const auto& r = info.results[i];
        const ImVec2 p(m.pad() + (i % 2) * (bw + m.gap()), y + (i / 2) * (bh + m.gap()));
        if (p.y + bh > bottom + 1) break;
        if (button(ctx, "staff.result." + std::to_string(i), "", p, ImVec2(bw, bh), Look::Plain))
            out.push_back(staff(sev::PickClient{r.id}));
        const float dw = measure(ctx.fonts.small, r.detail).x;
        text(ctx.fonts.body, ImVec2(p.x + 10 * m.s, p.y + (bh - ctx.fonts.body->FontSize) / 2), kInk,
             fit(ctx.fonts.body, r.name, bw - dw - 30 * m.s));
        text(ctx.fonts.small, ImVec2(p.x + bw - dw - 10 * m.s, p.y + (bh - ctx.fonts.small->FontSize) / 2), kMuted,
             r.detail);
    }
    draw_keyboard(s, ctx, out, false);
}

void draw_coach_move(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    float y = m.header_h() + m.pad();
    text_centered(ctx.fonts.large, m.w / 2, y, kInk, t(ctx, s, "coach.move_to"));
    y += ctx.fonts.large->FontSize + m.pad();
    const float w = std::min(m.w - 4 * m.pad(), 600 * m.s);
    draw_class_list(s, ctx, out, (m.w - w) / 2, y, w, m.h - m.pad(), "move.");
}

void draw_coach_undo(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    std::string name;
    for (const auto& r : info.group)
        if (r.uuid == s.staff.selected_checkin) name = r.name;
    const float w = std::min(m.w - 4 * m.pad(), 600 * m.s);
    const float x = (m.w - w) / 2;
    float y = m.header_h() + m.pad() * 2;
    const std::string q = ctx.texts.format(s.lang, "coach.undo_question", {{"name", name}});
    text(ctx.fonts.large, ImVec2(x, y), kInk, q, w);
    y += measure(ctx.fonts.large, q, w).y + m.pad();
    text(ctx.fonts.body, ImVec2(x, y), kMuted, t(ctx, s, "coach.undo_note"), w);
    y += measure(ctx.fonts.body, t(ctx, s, "coach.undo_note"), w).y + m.pad() * 2;
    const float bw = (w - m.gap()) / 2, bh = 60 * m.s;
    if (button(ctx, "undo.confirm", t(ctx, s, "coach.undo_confirm"), ImVec2(x, y), ImVec2(bw, bh), Look::Primary,
               ctx.fonts.body))
        out.push_back(staff(sev::ConfirmUndo{}));
    if (button(ctx, "undo.keep", t(ctx, s, "coach.undo_keep"), ImVec2(x + bw + m.gap(), y), ImVec2(bw, bh), Look::Plain,
               ctx.fonts.body))
        out.push_back(ev::Back{});
}

// ---- manager -------------------------------------------------------------------

void segmented(const DrawContext& ctx, const std::string& id, const std::vector<std::string>& labels, int selected,
               ImVec2 p, float w, float h, std::vector<Event>& out, const std::function<Event(int)>& make) {
    const float bw = (w - (labels.size() - 1) * ctx.m.gap()) / labels.size();
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (button(ctx, id + "." + std::to_string(i), labels[i], ImVec2(p.x + i * (bw + ctx.m.gap()), p.y),
                   ImVec2(bw, h), static_cast<int>(i) == selected ? Look::Soft : Look::Plain, ctx.fonts.small))
            out.push_back(make(static_cast<int>(i)));
    }
}

void draw_pin_change(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, float y) {
    const auto& m = ctx.m;
    const auto& st = s.staff;
    const float w = std::min(m.w - 2 * m.pad(), 520 * m.s), x = (m.w - w) / 2;
    segmented(ctx, "pinrole", {t(ctx, s, "manager.pin_coach"), t(ctx, s, "manager.pin_manager")},
              st.pin_role == "manager" ? 1 : 0, ImVec2(x, y), w, 48 * m.s, out,
              [](int i) { return staff(sev::PinRole{i == 1 ? "manager" : "coach"}); });
    y += 48 * m.s + m.gap();
    const std::string& pin = st.pin_step == 0 ? st.new_pin : st.new_pin_again;
    const std::string label = t(ctx, s, st.pin_step == 0 ? "manager.pin_enter" : "manager.pin_again");
    text_centered(ctx.fonts.body, m.w / 2, y, kInk, label);
    for (std::size_t i = 0; i < pin.size(); ++i)
        ImGui::GetWindowDrawList()->AddCircleFilled(
            ImVec2(m.w / 2 + measure(ctx.fonts.body, label).x / 2 + 16 * m.s + i * 18 * m.s, y + ctx.fonts.body->FontSize / 2),
            6 * m.s, kInk, 12);
    y += ctx.fonts.body->FontSize + m.gap();
    const float kh = std::max(48 * m.s, std::min(52 * m.s, (m.h - m.pad() - y - 3 * m.gap()) / 4));
    const float kw = (w - 2 * m.gap()) / 3;
    const char* keys[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"⌫", "0", "OK"}};
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 3; ++c) {
            const std::string k = keys[r][c];
            const bool ok = k == "OK";
            const std::string id = "newpin." + (k == "⌫" ? std::string("backspace") : ok ? std::string("ok") : k);
            if (button(ctx, id, ok ? t(ctx, s, st.pin_step == 0 ? "manager.pin_next" : "manager.pin_save") : k,
                       ImVec2(x + c * (kw + m.gap()), y + r * (kh + m.gap())), ImVec2(kw, kh),
                       ok ? Look::Primary : Look::Key, ctx.fonts.large)) {
                if (ok) out.push_back(staff(sev::PinNext{}));
                else if (k == "⌫") out.push_back(staff(sev::PinBack{}));
                else out.push_back(staff(sev::PinDigit{k[0]}));
            }
        }
}

void draw_chart(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out, float y, float bottom) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    const float w = m.w - 2 * m.pad(), x = m.pad();
    segmented(ctx, "chart", {t(ctx, s, "manager.by_week"), t(ctx, s, "manager.by_weekday")},
              s.staff.chart == ChartMode::Weeks ? 0 : 1, ImVec2(x, y), std::min(w, 420 * m.s), 48 * m.s, out,
              [](int i) { return staff(sev::Chart{i == 0 ? ChartMode::Weeks : ChartMode::Weekdays}); });
    y += 48 * m.s + m.pad();
    std::vector<std::pair<std::string, int>> bars;
    if (s.staff.chart == ChartMode::Weeks) {
        bars = info.weeks;
    } else {
        const char* keys[] = {"day.mon", "day.tue", "day.wed", "day.thu", "day.fri", "day.sat", "day.sun"};
        for (int i = 0; i < 7; ++i) bars.push_back({t(ctx, s, keys[i]), info.weekdays[i]});
    }
    if (bars.empty()) return;
    int top = 1;
    for (const auto& b : bars) top = std::max(top, b.second);
    const float label_h = ctx.fonts.small->FontSize + 4 * m.s;
    const float chart_h = bottom - y - 2 * label_h;
    const float slot = w / bars.size();
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(x, y + label_h + chart_h), ImVec2(x + w, y + label_h + chart_h), kLine, 1.5f * m.s);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const float h = chart_h * bars[i].second / top;
        const float bx = x + i * slot + slot * 0.2f;
        const float base = y + label_h + chart_h;
        dl->AddRectFilled(ImVec2(bx, base - h), ImVec2(bx + slot * 0.6f, base), kAccent, 4 * m.s, ImDrawFlags_RoundCornersTop);
        text_centered(ctx.fonts.small, bx + slot * 0.3f, base - h - label_h, kInk, std::to_string(bars[i].second));
        text_centered(ctx.fonts.small, bx + slot * 0.3f, base + 4 * m.s, kMuted, bars[i].first);
    }
}

void draw_manager(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    const auto& m = ctx.m;
    const StaffInfo& info = *ctx.staff;
    const auto& st = s.staff;
    float y = m.header_h() + m.gap();
    const float w = m.w - 2 * m.pad(), x = m.pad();
    segmented(ctx, "tab",
              {t(ctx, s, "manager.tab_export"), t(ctx, s, "manager.tab_chart"), t(ctx, s, "manager.tab_sync_health"),
               t(ctx, s, "manager.tab_focus"), t(ctx, s, "manager.tab_pins")},
              static_cast<int>(st.tab), ImVec2(x, y), w, 48 * m.s, out,
              [](int i) { return staff(sev::Tab{static_cast<ManagerTab>(i)}); });
    y += 48 * m.s + m.pad();
    const float bottom = m.h - m.pad();

    switch (st.tab) {
        case ManagerTab::Export: {
            text(ctx.fonts.small, ImVec2(x, y), kMuted, t(ctx, s, "manager.range") + "  " + info.range_label);
            y += ctx.fonts.small->FontSize + 4 * m.s;
            segmented(ctx, "range",
                      {t(ctx, s, "manager.this_month"), t(ctx, s, "manager.last_month"), t(ctx, s, "manager.last_7"),
                       t(ctx, s, "manager.today")},
                      static_cast<int>(st.range), ImVec2(x, y), w, 48 * m.s, out,
                      [](int i) { return staff(sev::Range{static_cast<RangePreset>(i)}); });
            y += 48 * m.s + m.gap() * 2;
            segmented(ctx, "kind",
                      {t(ctx, s, "manager.kind_rows"), t(ctx, s, "manager.kind_clients"),
                       t(ctx, s, "manager.kind_classes")},
                      static_cast<int>(st.export_kind), ImVec2(x, y), w, 48 * m.s, out,
                      [](int i) { return staff(sev::Kind{static_cast<ExportKind>(i)}); });
            y += 48 * m.s + m.gap() * 2;
            text(ctx.fonts.small, ImVec2(x, y), kMuted, t(ctx, s, "manager.folder"));
            y += ctx.fonts.small->FontSize + 4 * m.s;
            std::vector<std::string> labels;
            for (std::size_t i = 0; i < info.targets.size() && i < 3; ++i) labels.push_back(info.targets[i].first);
            if (labels.empty()) {
                text(ctx.fonts.body, ImVec2(x, y + 12 * m.s), kAmber, t(ctx, s, "manager.no_folder"));
            } else {
                segmented(ctx, "target", labels, st.export_target, ImVec2(x, y), w, 48 * m.s, out,
                          [](int i) { return staff(sev::Target{i}); });
            }
            y += 48 * m.s + m.gap() * 2;
            const float bh = 52 * m.s;
            if (button(ctx, "export.start", t(ctx, s, st.exporting ? "manager.exporting" : "manager.export"),
                       ImVec2(x, y), ImVec2(std::min(w, 260 * m.s), bh), Look::Primary, ctx.fonts.large,
                       !st.exporting && !labels.empty()))
                out.push_back(staff(sev::StartExport{}));
            const float px = x + std::min(w, 260 * m.s) + m.pad();
            if (st.exporting) {
                const float pw = x + w - px;
                card(ImVec2(px, y + bh / 2 - 6 * m.s), ImVec2(px + pw, y + bh / 2 + 6 * m.s), kCard, 6 * m.s, kLine);
                card(ImVec2(px, y + bh / 2 - 6 * m.s), ImVec2(px + pw * info.export_progress, y + bh / 2 + 6 * m.s),
                     kAccent, 6 * m.s);
            } else {
                notice_line(s, ctx, px, y + (bh - ctx.fonts.body->FontSize - 12 * m.s) / 2, x + w - px);
            }
            break;
        }
        case ManagerTab::Chart: draw_chart(s, ctx, out, y, bottom); break;
        case ManagerTab::Sync: {
            // The value column starts after the widest label (Russian labels run long).
            float lw = 220 * m.s;
            for (const char* key : {"manager.pending", "manager.last_success", "manager.last_error",
                                    "manager.last_backup", "manager.storage"})
                lw = std::max(lw, measure(ctx.fonts.body, t(ctx, s, key), w).x + 2 * m.gap());
            lw = std::min(lw, w * 0.45f);
            const auto line = [&](const char* key, const std::string& value, ImU32 col) {
                text(ctx.fonts.body, ImVec2(x, y), kMuted, fit(ctx.fonts.body, t(ctx, s, key), lw - m.gap()));
                text(ctx.fonts.body, ImVec2(x + lw, y), col, value, w - lw);
                y += std::max(ctx.fonts.body->FontSize, measure(ctx.fonts.body, value, w - lw).y) + m.gap() * 2;
            };
            line("manager.pending", std::to_string(info.pending), kInk);
            line("manager.last_success", info.last_success, kInk);
            line("manager.last_error", info.last_error.empty() ? t(ctx, s, "manager.no_error") : info.last_error,
                 info.last_error.empty() ? kInk : kAmber);
            line("manager.last_backup", info.last_backup, kInk);
            if (!info.storage_free.empty()) line("manager.storage", info.storage_free, kInk);
            y += m.gap();
            const float bw = 260 * m.s, bh = 52 * m.s;
            if (button(ctx, "sync.now", t(ctx, s, "manager.sync_now"), ImVec2(x, y), ImVec2(bw, bh),
                       Look::Primary, ctx.fonts.large))
                out.push_back(staff(sev::SyncNow{}));
            if (info.alerts_to_ack &&
                button(ctx, "health.ack", t(ctx, s, "manager.ack"), ImVec2(x + bw + m.pad(), y), ImVec2(bw * 0.7f, bh),
                       Look::Plain, ctx.fonts.large))
                out.push_back(staff(sev::AckHealth{}));
            notice_line(s, ctx, x + bw * (info.alerts_to_ack ? 1.7f : 1.0f) + m.pad() * (info.alerts_to_ack ? 2 : 1),
                        y + 6 * m.s, w - bw * (info.alerts_to_ack ? 1.7f : 1.0f) - m.pad() * (info.alerts_to_ack ? 2 : 1));
            y += bh + m.gap() * 2;
            if (y < bottom) alert_cards(info, ctx, x, y, w, 2);
            break;
        }
        case ManagerTab::Focus: {
            text(ctx.fonts.small, ImVec2(x, y), kMuted,
                 fit(ctx.fonts.small, t(ctx, s, "manager.focus_now") + " " + info.focus_title, w));
            y += ctx.fonts.small->FontSize + 4 * m.s;
            const float fw = w - 170 * m.s - m.gap();
            const float fh = 48 * m.s;
            field_box(ctx, "focus.title", ImVec2(x, y), ImVec2(fw, fh), st.focus_title, t(ctx, s, "manager.focus_title"),
                      st.focus_field == 0, &out, staff(sev::FocusField{0}));
            if (button(ctx, "focus.save", t(ctx, s, "manager.focus_save"), ImVec2(x + fw + m.gap(), y),
                       ImVec2(170 * m.s, fh * 2 + m.gap()), Look::Primary, ctx.fonts.large))
                out.push_back(staff(sev::SaveFocus{}));
            y += fh + m.gap();
            field_box(ctx, "focus.body", ImVec2(x, y), ImVec2(fw, fh), st.focus_body, t(ctx, s, "manager.focus_body"),
                      st.focus_field == 1, &out, staff(sev::FocusField{1}));
            y += fh + m.gap();
            if (y + ctx.fonts.body->FontSize + 12 * m.s < keyboard_top(m)) notice_line(s, ctx, x, y, w);
            draw_keyboard(s, ctx, out, st.focus_field == 0 ? st.focus_title.empty() : st.focus_body.empty());
            break;
        }
        case ManagerTab::Pins:
            notice_line(s, ctx, x, y - m.gap(), w);
            draw_pin_change(s, ctx, out, y + (s.staff.notice.empty() ? 0 : ctx.fonts.body->FontSize + 12 * m.s));
            break;
    }
}

}  // namespace

void draw_staff_screens(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out) {
    if (!ctx.staff) return;   // the app prepares StaffInfo before a staff screen is drawn
    switch (s.staff.view) {
        case StaffView::Menu: draw_menu(s, ctx, out); break;
        case StaffView::Coach: draw_coach(s, ctx, out); break;
        case StaffView::CoachSearch: draw_coach_search(s, ctx, out); break;
        case StaffView::CoachMove: draw_coach_move(s, ctx, out); break;
        case StaffView::CoachUndo: draw_coach_undo(s, ctx, out); break;
        case StaffView::Manager: draw_manager(s, ctx, out); break;
    }
}

}  // namespace studio
