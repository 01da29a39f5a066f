// The `key = value` files both programs are configured with: `#` starts a comment
// line, " # ..." after a value is a comment (a '#' inside a value, as in a URL
// fragment, is not), blank lines are ignored. Each program maps keys onto its own
// documented config struct.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace studio {

struct Setting {
    std::string key;
    std::string value;
    std::string where;   // "origin:LINE: ", to prefix messages about this setting
};

// Reads every setting in `text`; on a line that is not `key = value`, returns false
// with `error` naming the line.
bool read_settings(std::string_view text, const std::string& origin, std::vector<Setting>& out, std::string& error);

}  // namespace studio
