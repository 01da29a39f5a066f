// One libFuzzer target per check in fuzz_checks.h: cmake/fuzz.cmake compiles this
// file once per target with STUDIO_FUZZ_CHECK set to the check's name. A broken
// invariant aborts, so libFuzzer keeps the input as a crash file.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string broken =
        studio::fuzz::STUDIO_FUZZ_CHECK(std::string_view(reinterpret_cast<const char*>(data), size));
    if (!broken.empty()) {
        std::fprintf(stderr, "\nINVARIANT BROKEN: %s\n", broken.c_str());
        std::abort();
    }
    return 0;
}
