#include "ui/platform.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb/stb_image_write.h>

#include <cfloat>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace studio {

namespace {

// Latin with its accents, Cyrillic, and the punctuation the texts use (— « » … ·)
// plus the few symbols on keys (⌫ ☐ ☑ ‹).
const ImWchar* text_ranges() {
    static ImVector<ImWchar> ranges;
    if (ranges.empty()) {
        ImFontGlyphRangesBuilder b;
        static const ImWchar extra[] = {0x0020, 0x024F, 0x0400, 0x052F, 0x2000, 0x206F, 0x2190, 0x21FF,
                                        0x2300, 0x23FF, 0x2610, 0x2612, 0};
        b.AddRanges(extra);
        b.BuildRanges(&ranges);
    }
    return ranges.Data;
}

const ImWchar* digit_ranges() {
    static const ImWchar r[] = {0x0030, 0x0039, 0};
    return r;
}

}  // namespace

Platform::Platform(const WindowSpec& spec) {
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");   // the app handles SIGTERM itself
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    SDL_SetHint(SDL_HINT_RENDER_VSYNC, "1");   // async flips garble some Pi panels
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        throw std::runtime_error(std::string("cannot open the display: ") + SDL_GetError());

    const char* driver = SDL_GetCurrentVideoDriver();
    const std::string drv = driver ? driver : "";
    can_block_ = drv == "x11" || drv == "wayland";

    Uint32 flags = SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI;
    if (spec.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    window_ = SDL_CreateWindow("Studio kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, spec.width,
                               spec.height, flags);
    if (!window_) throw std::runtime_error(std::string("cannot create the window: ") + SDL_GetError());
    if (!spec.software)
        renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
    if (!renderer_) throw std::runtime_error(std::string("cannot create a renderer: ") + SDL_GetError());
    if (spec.fullscreen) SDL_ShowCursor(SDL_DISABLE);

    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    metrics_.w = static_cast<float>(w);
    metrics_.h = static_cast<float>(h);
    metrics_.s = std::min(metrics_.w / 800.0f, metrics_.h / 480.0f);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;   // nothing on disk: every start looks the same
    io.LogFilename = nullptr;

    // Fonts at the pixel sizes they are shown at: crisp text, no scaling.
    const float s = metrics_.s;
    ImFontConfig cfg;
    cfg.OversampleH = 1;   // one sample is enough at these sizes and keeps startup quick
    cfg.OversampleV = 1;
    auto load = [&](float px, const ImWchar* ranges) {
        ImFont* f = io.Fonts->AddFontFromFileTTF(spec.font_path.c_str(), px, &cfg, ranges);
        if (!f) throw std::runtime_error("cannot load the font " + spec.font_path);
        return f;
    };
    fonts_.small = load(16 * s, text_ranges());
    fonts_.body = load(19 * s, text_ranges());
    fonts_.large = load(25 * s, text_ranges());
    fonts_.title = load(34 * s, text_ranges());
    fonts_.huge = load(96 * s, digit_ranges());
    io.FontDefault = fonts_.body;

    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.FrameRounding = 10 * s;
    style.FrameBorderSize = 1;
    style.FramePadding = ImVec2(6 * s, 4 * s);
    style.AntiAliasedFill = true;

    ImGui_ImplSDL2_InitForSDLRenderer(window_);
    ImGui_ImplSDLRenderer_Init(renderer_);
    SDL_StartTextInput();
}

Platform::~Platform() {
    ImGui_ImplSDLRenderer_Shutdown();
    ImGui_ImplSDL2_Shutdown();
    ImGui::DestroyContext();
    if (renderer_) SDL_DestroyRenderer(renderer_);
    if (window_) SDL_DestroyWindow(window_);
    SDL_Quit();
}

void Platform::begin_frame() {
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui_ImplSDL2_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (injected_) {
        io.MousePos = ImVec2(inject_x_, inject_y_);
        io.MouseDown[0] = inject_down_;
    }
    ImGui::NewFrame();
}

bool Platform::end_frame(const std::string& png_path) {
    ImGui::Render();
    SDL_SetRenderDrawColor(renderer_, 246, 243, 238, 255);
    SDL_RenderClear(renderer_);
    ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
    bool ok = true;
    if (!png_path.empty()) {
        const int w = static_cast<int>(metrics_.w), h = static_cast<int>(metrics_.h);
        std::vector<unsigned char> rgba(static_cast<std::size_t>(w) * h * 4);
        ok = SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_ABGR8888, rgba.data(), w * 4) == 0 &&
             stbi_write_png(png_path.c_str(), w, h, 4, rgba.data(), w * 4) != 0;
    }
    SDL_RenderPresent(renderer_);
    return ok;
}

void Platform::inject_pointer(float x, float y, bool down) {
    injected_ = true;
    inject_x_ = x;
    inject_y_ = y;
    inject_down_ = down;
}

void Platform::release_injected_pointer() {
    inject_x_ = -FLT_MAX;
    inject_y_ = -FLT_MAX;
    inject_down_ = false;
}

}  // namespace studio
