// `studio-kiosk` subcommands that need no display: every check-in job, scriptable.
// Exit codes: 0 success, 1 failure (one-line reason on stderr), 2 usage.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"

namespace studio {

struct CliOptions {
    std::string command;              // empty: run the kiosk screens
    std::vector<std::string> args;    // positional arguments after the command
    std::vector<std::pair<std::string, std::string>> flags;   // --name value (value "" for switches)
    std::string db_path;              // --db
    std::string config_path;          // --config
    std::string lang;                 // --lang
    std::string error;                // usage error, if any
    bool help = false;

    std::optional<std::string> flag(const std::string& name) const;
};

CliOptions parse_cli(const std::vector<std::string>& argv);   // argv without the program name

// Loads --config (if given) and applies --db/--lang over it; throws ConfigError.
KioskConfig load_config(const CliOptions& opts);

// Runs a display-less subcommand. Returns the exit code.
int run_cli(const CliOptions& opts, std::ostream& out, std::ostream& err, const Clock& clock);

void print_usage(std::ostream& out);

}  // namespace studio
