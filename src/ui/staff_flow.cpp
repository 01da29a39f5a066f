#include "ui/staff_flow.h"

#include "core/overloaded.h"
#include "core/pin_format.h"
#include "core/text_fold.h"

namespace studio {

namespace {

std::string* typed_field(StaffState& s) {
    if (s.view == StaffView::CoachSearch) return &s.query;
    if (s.view == StaffView::Manager && s.tab == ManagerTab::Focus)
        return s.focus_field == 0 ? &s.focus_title : &s.focus_body;
    return nullptr;
}

}  // namespace

void staff_type(StaffState& s, const std::string& text) {
    if (s.view == StaffView::Manager && s.tab == ManagerTab::Pins) {
        std::string& pin = s.pin_step == 0 ? s.new_pin : s.new_pin_again;
        for (char c : text)
            if (c >= '0' && c <= '9' && pin.size() < 8) pin += c;
        return;
    }
    if (std::string* f = typed_field(s); f && f->size() + text.size() <= 200) *f += text;
}

void staff_backspace(StaffState& s) {
    if (s.view == StaffView::Manager && s.tab == ManagerTab::Pins) {
        std::string& pin = s.pin_step == 0 ? s.new_pin : s.new_pin_again;
        if (!pin.empty()) pin.pop_back();
        return;
    }
    if (std::string* f = typed_field(s)) utf8_pop_back(*f);
}

void staff_clear(StaffState& s) {
    if (std::string* f = typed_field(s)) f->clear();
}

std::vector<StaffEffect> reduce_staff(StaffState& s, const StaffEvent& e, bool manager) {
    auto notice = [&](std::string text, bool error) {
        s.notice = std::move(text);
        s.notice_is_error = error;
    };
    return std::visit(
        overloaded{
            [&](const sev::OpenCoach&) -> std::vector<StaffEffect> {
                s.view = StaffView::Coach;
                s.selected_checkin.clear();
                s.notice.clear();
                return {sfx::Refresh{}};
            },
            [&](const sev::OpenManager&) -> std::vector<StaffEffect> {
                if (!manager) {
                    notice("staff.manager_only", true);
                    return {};
                }
                s.view = StaffView::Manager;
                s.notice.clear();
                return {sfx::Refresh{}};
            },
            [&](const sev::SelectClass& c) -> std::vector<StaffEffect> {
                s.selected_class = c.id;
                s.selected_checkin.clear();
                return {sfx::Refresh{}};
            },
            [&](const sev::SelectRow& r) -> std::vector<StaffEffect> {
                s.selected_checkin = s.selected_checkin == r.uuid ? std::string() : r.uuid;
                return {};
            },
            [&](const sev::AskUndo&) -> std::vector<StaffEffect> {
                if (!s.selected_checkin.empty()) s.view = StaffView::CoachUndo;
                return {};
            },
            [&](const sev::ConfirmUndo&) -> std::vector<StaffEffect> {
                if (s.view != StaffView::CoachUndo || s.selected_checkin.empty()) return {};
                s.view = StaffView::Coach;
                const std::string uuid = s.selected_checkin;
                s.selected_checkin.clear();
                return {sfx::Undo{uuid}, sfx::Refresh{}};
            },
            [&](const sev::AskMove&) -> std::vector<StaffEffect> {
                if (!s.selected_checkin.empty()) s.view = StaffView::CoachMove;
                return {};
            },
            [&](const sev::MoveTo& m) -> std::vector<StaffEffect> {
                if (s.view != StaffView::CoachMove || s.selected_checkin.empty()) return {};
                s.view = StaffView::Coach;
                const std::string uuid = s.selected_checkin;
                s.selected_checkin.clear();
                return {sfx::Move{uuid, m.id}, sfx::Refresh{}};
            },
            [&](const sev::OpenSearch&) -> std::vector<StaffEffect> {
                s.view = StaffView::CoachSearch;
                s.query.clear();
                return {sfx::Search{""}};
            },
            [&](const sev::PickClient& p) -> std::vector<StaffEffect> {
                if (s.view != StaffView::CoachSearch) return {};
                s.view = StaffView::Coach;
                s.query.clear();
                return {sfx::CheckIn{p.id, s.selected_class < 0 ? 0 : s.selected_class}, sfx::Refresh{}};
            },
            [&](const sev::Cancel&) -> std::vector<StaffEffect> {
                switch (s.view) {
                    case StaffView::CoachSearch:
                    case StaffView::CoachMove:
                    case StaffView::CoachUndo: s.view = StaffView::Coach; break;
                    case StaffView::Coach:
                    case StaffView::Manager:
                        if (!s.coach_device) s.view = StaffView::Menu;
                        break;
                    case StaffView::Menu: break;
                }
                s.notice.clear();
                return {};
            },
            [&](const sev::Tab& t) -> std::vector<StaffEffect> {
                s.tab = t.tab;
                s.notice.clear();
                s.new_pin.clear();
                s.new_pin_again.clear();
                s.pin_step = 0;
                return {sfx::Refresh{}};
            },
            [&](const sev::Kind& k) -> std::vector<StaffEffect> {
                s.export_kind = k.kind;
                return {};
            },
            [&](const sev::Range& r) -> std::vector<StaffEffect> {
                s.range = r.range;
                return {};
            },
            [&](const sev::Target& t) -> std::vector<StaffEffect> {
                s.export_target = t.index;
                return {};
            },
            [&](const sev::StartExport&) -> std::vector<StaffEffect> {
                if (s.exporting) return {};
                s.exporting = true;
                s.notice.clear();
                return {sfx::Export{s.export_kind, s.range, s.export_target}};
            },
            [&](const sev::SyncNow&) -> std::vector<StaffEffect> {
                notice("manager.sync_requested", false);
                return {sfx::SyncNow{}};
            },
            [&](const sev::AckHealth&) -> std::vector<StaffEffect> { return {sfx::AckHealth{}, sfx::Refresh{}}; },
            [&](const sev::Chart& c) -> std::vector<StaffEffect> {
                s.chart = c.mode;
                return {};
            },
            [&](const sev::FocusField& f) -> std::vector<StaffEffect> {
                s.focus_field = f.field;
                return {};
            },
            [&](const sev::SaveFocus&) -> std::vector<StaffEffect> {
                if (s.focus_title.empty()) {
                    notice("manager.focus_need_title", true);
                    return {};
                }
                return {sfx::SetFocus{s.focus_title, s.focus_body}, sfx::Refresh{}};
            },
            [&](const sev::PinRole& r) -> std::vector<StaffEffect> {
                s.pin_role = r.role;
                s.new_pin.clear();
                s.new_pin_again.clear();
                s.pin_step = 0;
                return {};
            },
            [&](const sev::PinDigit& d) -> std::vector<StaffEffect> {
                staff_type(s, std::string(1, d.digit));
                return {};
            },
            [&](const sev::PinBack&) -> std::vector<StaffEffect> {
                staff_backspace(s);
                return {};
            },
            [&](const sev::PinNext&) -> std::vector<StaffEffect> {
                if (s.pin_step == 0) {
                    if (!pin_format_ok(s.new_pin)) {
                        notice("manager.pin_format", true);
                        return {};
                    }
                    s.pin_step = 1;
                    s.notice.clear();
                    return {};
                }
                if (s.new_pin_again != s.new_pin) {
                    s.new_pin.clear();
                    s.new_pin_again.clear();
                    s.pin_step = 0;
                    notice("manager.pin_mismatch", true);
                    return {};
                }
                const sfx::SetPin set{s.pin_role, s.new_pin};
                s.new_pin.clear();
                s.new_pin_again.clear();
                s.pin_step = 0;
                return {set};
            },
            [&](const sev::Done& d) -> std::vector<StaffEffect> {
                notice(d.notice, d.error);
                return {};
            },
            [&](const sev::ExportFinished& d) -> std::vector<StaffEffect> {
                s.exporting = false;
                notice(d.message, d.error);
                return {};
            },
        },
        e);
}

}  // namespace studio
