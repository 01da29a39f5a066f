# The kiosk screens: SDL2 + Dear ImGui 1.86 (Debian) with the SDL_Renderer backend.

find_package(SDL2 REQUIRED)
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)

# Debian's libimgui.a has the SDL2 platform backend but not the SDL_Renderer one; the
# package ships its source as documentation (scripts/lib.sh restores it on slim images).
set(IMGUI_SDLRENDERER_SRC /usr/share/doc/libimgui-dev/examples/backends/imgui_impl_sdlrenderer.cpp)
if(NOT EXISTS ${IMGUI_SDLRENDERER_SRC})
  message(FATAL_ERROR "${IMGUI_SDLRENDERER_SRC} is missing: reinstall libimgui-dev "
                      "(or run ./scripts/install-deps, which restores it on images without /usr/share/doc)")
endif()
add_library(imgui_sdlrenderer STATIC ${IMGUI_SDLRENDERER_SRC})
target_include_directories(imgui_sdlrenderer SYSTEM PUBLIC /usr/include/imgui /usr/include/imgui/backends)
target_link_libraries(imgui_sdlrenderer PUBLIC PkgConfig::IMGUI SDL2::SDL2)
target_compile_options(imgui_sdlrenderer PRIVATE -w)   # third-party code, built as shipped

# The flow reducer is pure: no SDL, no ImGui.
add_library(studio_flow STATIC src/ui/flow.cpp src/ui/staff_flow.cpp)
target_link_libraries(studio_flow PUBLIC studio_core)

add_library(studio_ui STATIC src/ui/screens.cpp src/ui/staff_screens.cpp src/ui/widgets.cpp src/ui/platform.cpp)
target_link_libraries(studio_ui PUBLIC studio_flow imgui_sdlrenderer)

add_library(kiosk_app STATIC src/kiosk/kiosk_app.cpp src/kiosk/staff_services.cpp src/kiosk/scripted_demo.cpp)
target_link_libraries(kiosk_app PUBLIC studio_ui kiosk_cli Threads::Threads PkgConfig::SYSTEMD)

target_link_libraries(studio-kiosk PRIVATE kiosk_app)
target_compile_definitions(studio-kiosk PRIVATE STUDIO_WITH_UI=1)

# Headless UI tests: the real screens on SDL's dummy driver with the software renderer.
file(GLOB UI_TEST_SOURCES CONFIGURE_DEPENDS tests/ui/*.cpp)
add_executable(ui_tests tests/main.cpp ${UI_TEST_SOURCES})
# The coach-sync test runs the real studio-server in-process over TLS on 127.0.0.1.
target_link_libraries(ui_tests PRIVATE kiosk_app studio_server_lib Catch2::Catch2)
target_compile_definitions(ui_tests PRIVATE STUDIO_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                                            STUDIO_SCREENSHOT_DIR="${CMAKE_BINARY_DIR}/screenshots"
                                            STUDIO_KIOSK_BIN="$<TARGET_FILE:studio-kiosk>")
add_dependencies(ui_tests studio-kiosk)
catch_discover_tests(ui_tests PROPERTIES TIMEOUT 120
                     ENVIRONMENT "SDL_VIDEODRIVER=dummy;SDL_AUDIODRIVER=dummy")

# Benchmarks: startup, memory, idle CPU and frame time (not part of the tests).
add_executable(bench_kiosk EXCLUDE_FROM_ALL bench/bench_kiosk.cpp)
target_link_libraries(bench_kiosk PRIVATE kiosk_app)
add_custom_target(bench_kiosk_run
  COMMAND bench_kiosk $<TARGET_FILE:studio-kiosk>
  DEPENDS bench_kiosk studio-kiosk
  USES_TERMINAL)
add_dependencies(bench bench_kiosk_run)
