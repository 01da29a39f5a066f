# libFuzzer targets (scripts/fuzz), only with -DSTUDIO_FUZZ=ON and clang:
#   CC=clang CXX=clang++ cmake -S . -B build-fuzz -DSTUDIO_FUZZ=ON
#   cmake --build build-fuzz --target fuzz
# Each target feeds one input through a decoding entry point and checks the
# invariants in fuzz/fuzz_checks.h (shared with tests/server/test_fuzz_regressions.cpp):
#   fuzz_push_request    server: POST /api/v1/push body       (sync::decode_push_request)
#   fuzz_changes_query   server: /api/v1/changes query string (sync::decode_changes_query)
#   fuzz_server_reply    kiosk: push answers, changes pages, error bodies
#   fuzz_client_csv      CSV reader + client import validation (parse_csv, parse_client_csv)
#   fuzz_settings        the key = value reader and both configs (read_settings, apply_config,
#                        apply_server_config)
# Seeds: fuzz/corpus/<name without fuzz_>/. Included by the top-level CMakeLists.txt.

option(STUDIO_FUZZ "Build the libFuzzer targets (clang only; see scripts/fuzz)" OFF)
if(NOT STUDIO_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "STUDIO_FUZZ=ON needs clang (libFuzzer): configure with CC=clang CXX=clang++")
endif()

set(STUDIO_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
# The code under test gets libFuzzer's coverage instrumentation and the sanitizers;
# whatever links these libraries links the sanitizer runtimes too.
foreach(lib studio_core studio_store studio_protocol studio_server_lib)
  target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link ${STUDIO_FUZZ_SANITIZERS})
  target_link_options(${lib} INTERFACE -fsanitize=address,undefined)
endforeach()

set(STUDIO_FUZZ_TARGETS push_request changes_query server_reply client_csv settings)
add_custom_target(fuzz)
foreach(name IN LISTS STUDIO_FUZZ_TARGETS)
  set(target fuzz_${name})
  add_executable(${target} EXCLUDE_FROM_ALL ${CMAKE_SOURCE_DIR}/fuzz/fuzz_target.cpp)
  target_compile_definitions(${target} PRIVATE STUDIO_FUZZ_CHECK=check_${name})
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer ${STUDIO_FUZZ_SANITIZERS})
  target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  # studio_server_lib: the protocol codec, the server's config, and cpp-httplib,
  # which splits the changes query exactly as the server does.
  target_link_libraries(${target} PRIVATE studio_server_lib)
  add_dependencies(fuzz ${target})
endforeach()
