// The kiosk's command line without the screens, for tests that must kill a real
// kiosk process mid-sync (studio-kiosk itself also links the UI).
#include <iostream>
#include <string>
#include <vector>

#include "kiosk/cli.h"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    studio::SystemClock clock;
    return studio::run_cli(studio::parse_cli(args), std::cout, std::cerr, clock);
}
