#include "core/settings_file.h"

#include "core/text_fold.h"

namespace studio {

bool read_settings(std::string_view text, const std::string& origin, std::vector<Setting>& out, std::string& error) {
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        const std::string_view line = trim(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (line.empty() || line.front() == '#') continue;
        const std::string where = origin + ":" + std::to_string(line_no) + ": ";
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            error = where + "expected `key = value`";
            return false;
        }
        std::string_view value = line.substr(eq + 1);
        for (std::size_t i = 1; i < value.size(); ++i)
            if (value[i] == '#' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
                value = value.substr(0, i);
                break;
            }
        out.push_back({std::string(trim(line.substr(0, eq))), std::string(trim(value)), where});
    }
    return true;
}

}  // namespace studio
