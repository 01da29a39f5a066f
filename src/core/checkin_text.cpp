#include "core/checkin_text.h"

#include "core/clock.h"

#include <cstdio>

namespace studio {

CheckInText describe_checkin(const Client& client, const std::optional<ClassSession>& cls,
                             const CheckInDecision& d, const std::optional<DayFocus>& focus,
                             const Texts& texts, Lang lang) {
    CheckInText t;
    t.already = d.already_checked_in;
    t.welcome = texts.format(lang, "checkin.welcome", {{"name", client.first_name}});
    t.session = texts.format(lang, "checkin.session", {{"n", std::to_string(d.session_number)}});
    if (cls) {
        t.class_line = texts.format(lang, "checkin.class",
                                    {{"title", cls->title}, {"time", local_hhmm(cls->starts_at)}, {"coach", cls->coach}});
    } else {
        t.class_line = texts.get(lang, "checkin.no_class");
    }
    if (t.already) {
        t.messages.push_back(cls ? texts.format(lang, "checkin.already", {{"class", cls->title}})
                                 : texts.get(lang, "checkin.already_day"));
    }
    switch (d.pass.kind) {
        case PassKind::Active:
            t.pass_line = d.pass.sessions_left == 0
                              ? texts.get(lang, "pass.last")
                              : texts.format(lang, "pass.left", {{"left", std::to_string(d.pass.sessions_left)}});
            break;
        case PassKind::Unlimited: t.pass_line = texts.format(lang, "pass.unlimited", {{"until", display_date(d.pass.until, lang)}}); break;
        case PassKind::Empty: t.pass_line = texts.get(lang, "pass.empty"); break;
        case PassKind::Expired: t.pass_line = texts.format(lang, "pass.expired", {{"until", display_date(d.pass.until, lang)}}); break;
        case PassKind::None: t.pass_line = texts.get(lang, "pass.none"); break;
    }
    t.pass_attention = d.pass.needs_attention();
    for (const auto& key : d.message_keys)
        t.messages.push_back(texts.format(lang, key,
                                          {{"n", std::to_string(d.session_number)},
                                           {"days", std::to_string(d.days_since_last_visit)}}));
    if (focus) {
        t.focus_title = focus->title;
        t.focus_body = focus->body;
    }
    return t;
}

}  // namespace studio
