# Sync and the central server (issue: offline-first HTTPS sync). Included by the
# top-level CMakeLists.txt. Targets, bottom up:
#   studio_store        + src/store/sync_store.cpp (outbox, acks, changes feed; SQLite only)
#   studio_protocol     the /api/v1 JSON codec (store + nlohmann_json)
#   studio_sync         curl transport, sync engine and worker (no SDL, no ImGui)
#   studio_server_lib   studio-server: store, limited HTTPS server, API, admin CLI (cpp-httplib, OpenSSL)
#   studio-server       the server binary
#   sync_tests          Catch2: real server over real TLS on 127.0.0.1 (ctest)
#   bench_sync          `cmake --build BUILD --target bench` (or run bench_sync alone)

find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# The kiosk's side of sync is store code: it needs SQLite and nothing else.
target_sources(studio_store PRIVATE ${CMAKE_SOURCE_DIR}/src/store/sync_store.cpp)

add_library(studio_protocol STATIC src/sync/protocol.cpp)
target_link_libraries(studio_protocol PUBLIC studio_store nlohmann_json::nlohmann_json)

add_library(studio_sync STATIC
  src/sync/engine.cpp
  src/sync/indicator.cpp
  src/sync/kiosk_sync.cpp
  src/sync/transport.cpp
  src/sync/worker.cpp)
target_link_libraries(studio_sync PUBLIC studio_protocol CURL::libcurl Threads::Threads)

add_library(studio_server_lib STATIC
  src/server/admin_cli.cpp
  src/server/limited_server.cpp
  src/server/server_config.cpp
  src/server/server_store.cpp
  src/server/studio_server.cpp)
# Always cpp-httplib's own pkg-config flags: the header must match the compiled library.
target_link_libraries(studio_server_lib PUBLIC studio_protocol PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto
                      Threads::Threads)

add_executable(studio-server src/server/main.cpp)
target_link_libraries(studio-server PRIVATE studio_server_lib)

# `studio-kiosk sync --once` and the sync lines of `status`.
target_link_libraries(kiosk_cli PUBLIC studio_sync)

# ---- tests ------------------------------------------------------------------------
file(GLOB SYNC_TEST_SOURCES CONFIGURE_DEPENDS tests/sync/*.cpp tests/server/*.cpp)
add_executable(sync_tests ${SYNC_TEST_SOURCES} tests/main.cpp)
target_link_libraries(sync_tests PRIVATE studio_server_lib studio_sync kiosk_cli Catch2::Catch2)
# The kiosk's command line runs in-process (run_cli), or as sync_test_kiosk (the
# same CLI without the screens) where a test kills a real kiosk process.
add_executable(sync_test_kiosk tests/sync/helpers/kiosk_cli_main.cpp)
target_link_libraries(sync_test_kiosk PRIVATE kiosk_cli)
target_compile_definitions(sync_tests PRIVATE
  STUDIO_SERVER_BIN="$<TARGET_FILE:studio-server>"
  STUDIO_TEST_KIOSK_BIN="$<TARGET_FILE:sync_test_kiosk>"
  STUDIO_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_dependencies(sync_tests studio-server sync_test_kiosk)
catch_discover_tests(sync_tests PROPERTIES TIMEOUT 120 LABELS sync)

# ---- benchmarks (not part of the test run) ------------------------------------------
add_executable(bench_sync EXCLUDE_FROM_ALL bench/bench_sync.cpp)
target_link_libraries(bench_sync PRIVATE studio_server_lib studio_sync)
add_custom_target(bench_sync_run COMMAND bench_sync DEPENDS bench_sync USES_TERMINAL)
add_dependencies(bench bench_sync_run)

# ---- long fault runs (not part of the test run; see tests/FAULTS.md) ----------------
# crash_loop [ROUNDS]: SIGKILL real kiosk and server processes at random, hundreds of
# rounds (scripts/crash-loop). sync_soak month|abuse: peak memory of a month-offline
# sync, and the server's RSS before and after abuse.
add_executable(crash_loop EXCLUDE_FROM_ALL tests/sync/helpers/crash_loop_main.cpp tests/sync/crash_harness.cpp)
add_executable(sync_soak EXCLUDE_FROM_ALL tests/sync/helpers/sync_soak_main.cpp tests/sync/crash_harness.cpp)
foreach(t crash_loop sync_soak)
  target_link_libraries(${t} PRIVATE studio_server_lib studio_sync kiosk_cli)
  target_compile_definitions(${t} PRIVATE
    STUDIO_SERVER_BIN="$<TARGET_FILE:studio-server>"
    STUDIO_TEST_KIOSK_BIN="$<TARGET_FILE:sync_test_kiosk>")
  add_dependencies(${t} studio-server sync_test_kiosk)
endforeach()
