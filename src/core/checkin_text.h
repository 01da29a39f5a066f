// What a client is told after a check-in, as text in their language: shared by the
// done screen and `studio-kiosk checkin`, so both say the same thing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/rules.h"
#include "core/texts.h"

namespace studio {

struct CheckInText {
    bool already = false;
    std::string welcome;              // "Welcome, Anna" (first name only: public screen)
    std::string session;              // "Session 5"
    std::string class_line;           // "Upper back opening at 18:00 with Irina", or the no-class note
    std::string pass_line;            // sessions left / please see your coach
    bool pass_attention = false;      // empty, expired or no pass: flagged for the coach
    std::vector<std::string> messages;
    std::string focus_title;
    std::string focus_body;
};

CheckInText describe_checkin(const Client& client, const std::optional<ClassSession>& cls,
                             const CheckInDecision& d, const std::optional<DayFocus>& focus,
                             const Texts& texts, Lang lang);

}  // namespace studio
