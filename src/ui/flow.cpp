#include "ui/flow.h"

#include <algorithm>

#include "core/overloaded.h"
#include "core/text_fold.h"

namespace studio {

namespace {

std::string trimmed(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool is_input(const Event& e) {
    if (const auto* st = std::get_if<ev::Staff>(&e))
        return !std::holds_alternative<sev::Done>(st->e) && !std::holds_alternative<sev::ExportFinished>(st->e);
    return !std::holds_alternative<ev::Tick>(e) && !std::holds_alternative<ev::SearchResults>(e) &&
           !std::holds_alternative<ev::ClassChoice>(e) && !std::holds_alternative<ev::CheckedIn>(e) &&
           !std::holds_alternative<ev::CodeUnknown>(e) && !std::holds_alternative<ev::PinChecked>(e) &&
           !std::holds_alternative<ev::Failed>(e);
}

std::vector<Effect> wrap(std::vector<StaffEffect> effects) {
    std::vector<Effect> out;
    for (auto& e : effects) out.push_back(fx::Staff{std::move(e)});
    return out;
}

void go(FlowState& s, Screen to, Millis now) {
    s.screen = to;
    s.screen_since = now;
    s.busy = false;
}

// Everything the last person typed or saw goes; only the PIN lock stays. A coach's
// tablet goes back to its coach screen instead.
void reset_home(FlowState& s, Millis now, const FlowConfig& cfg) {
    const PinLock lock = s.pin_lock;
    s = s.staff.coach_device ? coach_device_state(cfg, now) : initial_state(cfg, now);
    s.pin_lock = lock;
}

std::string* focused_field(FlowState& s) {
    switch (s.reg_field) {
        case Field::First: return &s.reg_first;
        case Field::Last: return &s.reg_last;
        case Field::Phone: return &s.reg_phone;
    }
    return &s.reg_first;
}

// Whether leaving a staff screen alone resets it. A deadline that changes nothing
// would wake the loop for ever, so next_deadline() asks the same question.
bool staff_idle_resets(const FlowState& s) {
    if (s.staff.exporting) return false;
    return !s.staff.coach_device || s.staff.view != StaffView::Coach || !s.staff.selected_checkin.empty();
}

bool phone_char(const std::string& t) {
    return std::all_of(t.begin(), t.end(), [](char c) { return (c >= '0' && c <= '9') || c == '+' || c == ' ' || c == '-'; });
}

std::vector<Effect> search_effect(FlowState& s) {
    s.notice.clear();
    if (!query_ready(s.query)) {
        s.results.clear();
        return {};
    }
    return {fx::Search{s.query}};
}

}  // namespace

bool query_ready(const std::string& query) {
    std::size_t n = 0;
    for (unsigned char c : query)
        if ((c & 0xC0) != 0x80 && c != ' ') ++n;
    return n >= 2;
}

FlowState initial_state(const FlowConfig& cfg, Millis now) {
    FlowState s;
    s.lang = cfg.default_lang;
    s.layout = cfg.default_lang == Lang::Ru ? KeyLayout::Cyrillic : KeyLayout::Latin;
    s.last_input = now;
    s.screen_since = now;
    return s;
}

std::vector<Effect> reduce(FlowState& s, const Event& e, Millis now, const FlowConfig& cfg) {
    if (is_input(e)) s.last_input = now;
    return std::visit(
        overloaded{
            [&](const ev::Type& t) -> std::vector<Effect> {
                switch (s.screen) {
                    case Screen::Home:
                        if (utf8_length(s.query) + utf8_length(t.text) > cfg.max_query) return {};
                        s.query += t.text;
                        return search_effect(s);
                    case Screen::Register: {
                        std::string* f = focused_field(s);
                        if (s.reg_field == Field::Phone && !phone_char(t.text)) return {};
                        if (utf8_length(*f) + utf8_length(t.text) <= cfg.max_query) *f += t.text;
                        s.notice.clear();
                        return {};
                    }
                    case Screen::StaffPin:
                        for (char c : t.text)
                            if (c >= '0' && c <= '9' && s.pin.size() < 8 && !s.pin_lock.locked(now)) s.pin += c;
                        return {};
                    case Screen::Staff: {
                        staff_type(s.staff, t.text);
                        if (s.staff.view == StaffView::CoachSearch) return wrap({sfx::Search{s.staff.query}});
                        return {};
                    }
                    default: return {};
                }
            },
            [&](const ev::Backspace&) -> std::vector<Effect> {
                if (s.screen == Screen::Home) {
                    utf8_pop_back(s.query);
                    return search_effect(s);
                }
                if (s.screen == Screen::Register) utf8_pop_back(*focused_field(s));
                if (s.screen == Screen::StaffPin && !s.pin.empty()) s.pin.pop_back();
                if (s.screen == Screen::Staff) {
                    staff_backspace(s.staff);
                    if (s.staff.view == StaffView::CoachSearch) return wrap({sfx::Search{s.staff.query}});
                }
                return {};
            },
            [&](const ev::Clear&) -> std::vector<Effect> {
                if (s.screen == Screen::Home) {
                    s.query.clear();
                    return search_effect(s);
                }
                if (s.screen == Screen::Register) focused_field(s)->clear();
                if (s.screen == Screen::StaffPin) s.pin.clear();
                if (s.screen == Screen::Staff) {
                    staff_clear(s.staff);
                    if (s.staff.view == StaffView::CoachSearch) return wrap({sfx::Search{s.staff.query}});
                }
                return {};
            },
            [&](const ev::Enter&) -> std::vector<Effect> {
                switch (s.screen) {
                    case Screen::Home: {
                        const std::string code = trimmed(s.query);
                        if (code.empty() || s.busy) return {};
                        s.busy = true;
                        return {fx::LookUpCode{code}};
                    }
                    case Screen::Register:
                        if (s.reg_field == Field::First) { s.reg_field = Field::Last; return {}; }
                        if (s.reg_field == Field::Last) { s.reg_field = Field::Phone; return {}; }
                        return reduce(s, ev::SubmitRegistration{}, now, cfg);
                    case Screen::StaffPin: return reduce(s, ev::PinSubmit{}, now, cfg);
                    case Screen::Done: reset_home(s, now, cfg); return {};
                    default: return {};
                }
            },
            [&](const ev::SetLayout& l) -> std::vector<Effect> {
                s.layout = l.layout;
                return {};
            },
            [&](const ev::SetLang& l) -> std::vector<Effect> {
                s.lang = l.lang;
                if (s.layout != KeyLayout::Digits) s.layout = l.lang == Lang::Ru ? KeyLayout::Cyrillic : KeyLayout::Latin;
                return {};
            },
            [&](const ev::PickResult& p) -> std::vector<Effect> {
                if (s.screen != Screen::Home || s.busy) return {};
                const bool shown = std::any_of(s.results.begin(), s.results.end(),
                                               [&](const ResultItem& r) { return r.id == p.id; });
                if (!shown) return {};
                s.busy = true;
                return {fx::PrepareCheckIn{p.id}};
            },
            [&](const ev::PickClass& p) -> std::vector<Effect> {
                if (s.screen != Screen::ChooseClass || s.busy) return {};
                s.busy = true;
                return {fx::CheckIn{s.pending_client, p.id}};
            },
            [&](const ev::FirstTime&) -> std::vector<Effect> {
                if (s.screen != Screen::Home) return {};
                const Lang lang = s.lang;
                const PinLock lock = s.pin_lock;
                s = initial_state(cfg, now);
                s.lang = lang;
                s.pin_lock = lock;
                s.layout = lang == Lang::Ru ? KeyLayout::Cyrillic : KeyLayout::Latin;
                go(s, Screen::Register, now);
                return {};
            },
            [&](const ev::FocusField& f) -> std::vector<Effect> {
                s.reg_field = f.field;
                if (f.field == Field::Phone) s.layout = KeyLayout::Digits;
                else if (s.layout == KeyLayout::Digits) s.layout = s.lang == Lang::Ru ? KeyLayout::Cyrillic : KeyLayout::Latin;
                return {};
            },
            [&](const ev::ToggleConsent&) -> std::vector<Effect> {
                s.reg_consent = !s.reg_consent;
                s.notice.clear();
                return {};
            },
            [&](const ev::SubmitRegistration&) -> std::vector<Effect> {
                if (s.screen != Screen::Register || s.busy) return {};
                const std::string first = trimmed(s.reg_first), last = trimmed(s.reg_last);
                if (first.empty() || last.empty()) {
                    s.notice = "register.need_name";
                    s.reg_field = first.empty() ? Field::First : Field::Last;
                    return {};
                }
                if (!s.reg_consent) {
                    s.notice = "register.need_consent";
                    return {};
                }
                s.busy = true;
                return {fx::Register{first, last, trimmed(s.reg_phone)}};
            },
            [&](const ev::Dismiss&) -> std::vector<Effect> {
                if (s.screen == Screen::Done) reset_home(s, now, cfg);
                return {};
            },
            [&](const ev::Back&) -> std::vector<Effect> {
                if (s.screen == Screen::Staff && s.staff.view != StaffView::Menu)
                    return wrap(reduce_staff(s.staff, sev::Cancel{}, s.staff_role == StaffRole::Manager));
                if (s.screen != Screen::Home && !s.staff.coach_device) reset_home(s, now, cfg);
                return {};
            },
            [&](const ev::LogoDown&) -> std::vector<Effect> {
                if (s.screen == Screen::Home) s.logo_down_since = now;
                return {};
            },
            [&](const ev::LogoUp&) -> std::vector<Effect> {
                s.logo_down_since.reset();
                return {};
            },
            [&](const ev::PinDigit& d) -> std::vector<Effect> {
                if (s.screen == Screen::StaffPin && !s.pin_lock.locked(now) && s.pin.size() < 8) s.pin += d.digit;
                return {};
            },
            [&](const ev::PinSubmit&) -> std::vector<Effect> {
                if (s.screen != Screen::StaffPin || s.busy || s.pin.empty() || s.pin_lock.locked(now)) return {};
                s.busy = true;
                return {fx::VerifyPin{s.pin}};
            },
            [&](const ev::StaffExit&) -> std::vector<Effect> {
                if (s.screen != Screen::Staff || s.staff.coach_device) return {};
                s.quit = true;
                return {fx::Quit{}};
            },
            [&](const ev::Tick&) -> std::vector<Effect> {
                if (s.logo_down_since && now - *s.logo_down_since >= cfg.staff_hold_ms) {
                    s.logo_down_since.reset();
                    s.query.clear();
                    s.results.clear();
                    s.pin.clear();
                    s.pin_message.clear();
                    go(s, Screen::StaffPin, now);
                    s.last_input = now;
                    return {};
                }
                if (s.screen == Screen::Done && now - s.screen_since >= cfg.done_ms) {
                    reset_home(s, now, cfg);
                    return {};
                }
                if (s.screen == Screen::Staff) {
                    // Staff get longer; a running export is never cut off; a coach's tablet
                    // only drops what was half done (a search, a selection).
                    if (now - s.last_input >= cfg.staff_idle_ms && staff_idle_resets(s)) reset_home(s, now, cfg);
                    return {};
                }
                const bool dirty = s.screen != Screen::Home || !s.query.empty() || !s.notice.empty() ||
                                   s.lang != cfg.default_lang;
                if (dirty && now - s.last_input >= cfg.idle_reset_ms) reset_home(s, now, cfg);
                return {};
            },
            [&](const ev::SearchResults& r) -> std::vector<Effect> {
                if (s.screen == Screen::Home && r.query == s.query) s.results = r.items;   // stale answers are dropped
                return {};
            },
            [&](const ev::ClassChoice& c) -> std::vector<Effect> {
                s.pending_client = c.client;
                s.class_options = c.options;
                go(s, Screen::ChooseClass, now);
                return {};
            },
            [&](const ev::CheckedIn& c) -> std::vector<Effect> {
                const Lang lang = s.lang;
                const PinLock lock = s.pin_lock;
                s = initial_state(cfg, now);
                s.lang = lang;   // the done screen speaks the language the client chose
                s.pin_lock = lock;
                s.done = c.text;
                go(s, Screen::Done, now);
                return {};
            },
            [&](const ev::CodeUnknown&) -> std::vector<Effect> {
                s.busy = false;
                s.notice = "home.code_unknown";
                return {};
            },
            [&](const ev::PinChecked& p) -> std::vector<Effect> {
                s.busy = false;
                s.pin.clear();
                if (p.role) {
                    s.pin_lock.failures = 0;
                    s.pin_lock.lockouts = 0;
                    s.staff_role = p.role;
                    s.pin_message.clear();
                    s.staff = StaffState{};
                    go(s, Screen::Staff, now);
                    return {fx::SavePinLock{s.pin_lock}};
                }
                if (++s.pin_lock.failures >= cfg.pin_tries) {
                    s.pin_lock.failures = 0;
                    ++s.pin_lock.lockouts;
                    s.pin_lock.locked_until = now + (cfg.pin_lock_ms << std::min(s.pin_lock.lockouts - 1, 10));
                    s.pin_message = "pin.locked";
                } else {
                    s.pin_message = "pin.wrong";
                }
                return {fx::SavePinLock{s.pin_lock}};
            },
            [&](const ev::Staff& st) -> std::vector<Effect> {
                if (s.screen != Screen::Staff) return {};
                return wrap(reduce_staff(s.staff, st.e, s.staff_role == StaffRole::Manager));
            },
            [&](const ev::Failed& f) -> std::vector<Effect> {
                s.busy = false;
                s.notice = f.message;
                if (s.screen == Screen::ChooseClass) go(s, Screen::Home, now);
                return {};
            },
        },
        e);
}

FlowState coach_device_state(const FlowConfig& cfg, Millis now) {
    FlowState s = initial_state(cfg, now);
    s.screen = Screen::Staff;
    s.staff_role = StaffRole::Coach;
    s.staff.coach_device = true;
    s.staff.view = StaffView::Coach;
    return s;
}

Millis next_deadline(const FlowState& s, Millis now, const FlowConfig& cfg) {
    Millis best = -1;
    auto consider = [&](Millis at) {
        const Millis in = std::max<Millis>(0, at - now);
        if (best < 0 || in < best) best = in;
    };
    if (s.logo_down_since) consider(*s.logo_down_since + cfg.staff_hold_ms);
    if (s.screen == Screen::Done) consider(s.screen_since + cfg.done_ms);
    if (s.screen == Screen::Staff) {
        if (staff_idle_resets(s)) consider(s.last_input + cfg.staff_idle_ms);
    }
    else if (s.screen != Screen::Home || !s.query.empty() || !s.notice.empty() || s.lang != cfg.default_lang)
        consider(s.last_input + cfg.idle_reset_ms);
    if (s.pin_lock.locked(now)) consider(s.pin_lock.locked_until);
    return best;
}

}  // namespace studio
