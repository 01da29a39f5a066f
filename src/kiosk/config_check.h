// What `studio-kiosk check-config` and every start check beyond the file's syntax.
#pragma once

#include <vector>

#include "core/config.h"

namespace studio {

// Checks what the file system can tell about `cfg`: the font, the database and
// backup folders, the server URL, the token, CA and pin. Wrong sync settings are
// fatal too: a kiosk silently not syncing for weeks is worse than one that says
// at install time what to fix. An unset server_url is fine (a standalone kiosk).
std::vector<ConfigProblem> check_config(const KioskConfig& cfg);

}  // namespace studio
