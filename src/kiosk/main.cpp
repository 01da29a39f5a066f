// studio-kiosk: the kiosk screens, or a display-less subcommand (see cli.h).
#include <iostream>
#include <string>
#include <vector>

#include "kiosk/cli.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    const studio::CliOptions opts = studio::parse_cli(args);
    if (opts.error.empty() && !opts.help && (opts.command.empty() || opts.command == "run")) {
        std::cerr << "studio-kiosk: the kiosk screens are not built yet; see `studio-kiosk --help`\n";
        return 1;
    }
    studio::SystemClock clock;
    return studio::run_cli(opts, std::cout, std::cerr, clock);
}
