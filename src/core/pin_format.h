// The shape of a staff PIN, shared by the flow (pure) and the PIN store.
#pragma once

#include <string_view>

namespace studio {

inline bool pin_format_ok(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8) return false;
    for (char c : pin)
        if (c < '0' || c > '9') return false;
    return true;
}

}  // namespace studio
