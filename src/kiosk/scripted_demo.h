// A scripted walk through the screens on a headless display: the demo on a
// machine without a screen, and screenshots for people to look at.
#pragma once

#include <ostream>
#include <string>

#include "core/config.h"

namespace studio {

// Runs search -> tap -> done, the scanner, first-time registration, already
// checked in and the staff PIN pad at `width`x`height` on `cfg.db_path`, writing
// one PNG per screen into `out_dir`. Returns the number of screenshots written.
int run_scripted_demo(const KioskConfig& cfg, const std::string& out_dir, int width, int height, std::ostream& log);

}  // namespace studio
