// Files from assets/ and schema/ compiled into the binary, so a kiosk runs from one file.
// Generated at build time by cmake/embed.cmake; keys are paths relative to their folder
// ("texts/en.txt", "kiosk/0001_initial.sql").
#pragma once

#include <string_view>
#include <vector>

namespace studio {

// The file's bytes; empty when there is no such file.
std::string_view embedded_file(std::string_view name);
// Names starting with `prefix`, sorted.
std::vector<std::string_view> embedded_names(std::string_view prefix);

}  // namespace studio
