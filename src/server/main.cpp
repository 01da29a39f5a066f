// studio-server: the central HTTPS service, or an admin subcommand (see admin_cli.h).
#include <iostream>
#include <string>
#include <vector>

#include "server/admin_cli.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    studio::SystemClock clock;
    return studio::server::run_admin_cli(args, std::cout, std::cerr, clock);
}
