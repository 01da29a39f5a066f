// The one Catch2 main. Tests run in a fixed time zone so local dates are deterministic.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

int main(int argc, char* argv[]) {
    // A POSIX TZ string needs no tzdata: UTC+3 all year, like Moscow.
    setenv("TZ", "MSK-3", 1);
    tzset();
    return Catch::Session().run(argc, argv);
}
