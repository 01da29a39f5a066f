// `studio-server` command line: serve, and every admin job, scriptable.
// Mirrors `studio-kiosk`: --db PATH, --config PATH; exit 0 success, 1 failure
// (one-line reason on stderr), 2 usage.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "core/clock.h"

namespace studio::server {

// `args` without the program name. `serve` blocks until SIGINT/SIGTERM.
int run_admin_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Clock& clock);

void print_admin_usage(std::ostream& out);

}  // namespace studio::server
