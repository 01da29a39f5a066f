// The window, the renderer and Dear ImGui on SDL2 (SDL_Renderer backend).
// Knows nothing about check-ins: it opens a screen, builds the fonts for its
// size, runs frames and takes screenshots.
#pragma once

#include <memory>
#include <string>

#include "ui/screens.h"

struct SDL_Window;
struct SDL_Renderer;

namespace studio {

struct WindowSpec {
    int width = 1280, height = 800;   // windowed size; fullscreen uses the display's
    bool fullscreen = true;
    bool software = false;            // software renderer (headless tests, screenshots)
    std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
};

class Platform {
public:
    // Throws std::runtime_error with SDL's reason when the display or font is unusable.
    explicit Platform(const WindowSpec& spec);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    const Metrics& metrics() const { return metrics_; }
    const Fonts& fonts() const { return fonts_; }
    // True when SDL can sleep until an event (X11, Wayland); KMSDRM and the
    // headless drivers cannot, and the loop polls with a sleep instead.
    bool can_block() const { return can_block_; }

    void begin_frame();
    // Renders the frame; writes it to `png_path` too when given.
    bool end_frame(const std::string& png_path = {});

    // Test seam: where the (virtual) finger is for the next frame. Headless windows
    // never get focus, so real SDL mouse events would not click.
    void inject_pointer(float x, float y, bool down);
    void release_injected_pointer();

private:
    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    Metrics metrics_;
    Fonts fonts_;
    bool can_block_ = false;
    bool injected_ = false;
    float inject_x_ = 0, inject_y_ = 0;
    bool inject_down_ = false;
};

}  // namespace studio
