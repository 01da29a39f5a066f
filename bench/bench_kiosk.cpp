// Kiosk benchmarks (not tests): exec to first frame, peak RSS, CPU used while idle,
// and the time to draw one frame while typing, at 800x480 and 1280x800.
//
//   cmake --build build --target bench_kiosk studio-kiosk
//   build/bench_kiosk build/studio-kiosk              # headless: SDL dummy driver
//   xvfb-run -s '-screen 0 1280x800x24' build/bench_kiosk build/studio-kiosk   # real X11 path
//
// With DISPLAY set the kiosk runs on X11 and sleeps in SDL_WaitEventTimeout; without
// it, on the dummy driver, which cannot block (the loop polls at 50 Hz).
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/kiosk_app.h"
#include "store/demo_data.h"

using namespace studio;

namespace {

long long now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

// CPU seconds (user + system) a process has used so far, from /proc.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), {});
    const auto close = all.rfind(')');
    if (close == std::string::npos) return -1;
    std::vector<std::string> f;
    std::string cur;
    for (char c : all.substr(close + 2)) {
        if (c == ' ') { f.push_back(cur); cur.clear(); }
        else cur += c;
    }
    // Fields after the name: state is index 0, utime 11, stime 12.
    return (std::stod(f.at(11)) + std::stod(f.at(12))) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

pid_t spawn(const std::string& bin, const std::string& db, const std::string& size, bool first_frame, int out_fd) {
    const pid_t pid = fork();
    if (pid == 0) {
        if (out_fd >= 0) dup2(out_fd, STDOUT_FILENO);
        if (!std::getenv("DISPLAY")) setenv("SDL_VIDEODRIVER", "dummy", 1);
        std::vector<const char*> argv = {bin.c_str(), "--db", db.c_str(), "run", "--windowed", size.c_str()};
        if (first_frame) argv.push_back("--exit-after-first-frame");
        argv.push_back(nullptr);
        execv(bin.c_str(), const_cast<char* const*>(argv.data()));
        _exit(127);
    }
    return pid;
}

void startup(const std::string& bin, const std::string& db, const std::string& size) {
    std::vector<double> ms;
    long peak_kb = 0;
    for (int i = 0; i < 7; ++i) {
        int fds[2];
        if (pipe(fds) != 0) return;
        const long long t0 = now_ns();
        const pid_t pid = spawn(bin, db, size, true, fds[1]);
        close(fds[1]);
        char buf[128] = {};
        const ssize_t n = read(fds[0], buf, sizeof buf - 1);
        close(fds[0]);
        int status = 0;
        rusage ru{};
        wait4(pid, &status, 0, &ru);
        long long t1 = 0;
        if (n > 0 && std::sscanf(buf, "first-frame-ns %lld", &t1) == 1) ms.push_back((t1 - t0) / 1e6);
        peak_kb = std::max(peak_kb, ru.ru_maxrss);
    }
    std::sort(ms.begin(), ms.end());
    if (ms.empty()) {
        std::printf("  exec to first frame: failed (is a display available?)\n");
        return;
    }
    std::printf("  exec to first frame: median %.1f ms, min %.1f, max %.1f (%zu runs)\n", ms[ms.size() / 2], ms.front(),
                ms.back(), ms.size());
    std::printf("  peak RSS: %.1f MB\n", peak_kb / 1024.0);
}

void idle_cpu(const std::string& bin, const std::string& db, const std::string& size) {
    const pid_t pid = spawn(bin, db, size, false, -1);
    std::this_thread::sleep_for(std::chrono::seconds(2));   // past startup
    const double c0 = cpu_seconds(pid);
    std::this_thread::sleep_for(std::chrono::seconds(10));
    const double c1 = cpu_seconds(pid);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    std::printf("  CPU over 10 s idle: %.3f s (%.2f%% of one core); exit after SIGTERM: %s\n", c1 - c0,
                (c1 - c0) * 10.0, WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "clean" : "NOT clean");
}

void typing(const std::string& db, int w, int h) {
    KioskConfig cfg;
    cfg.db_path = db;
    cfg.fullscreen = false;
    WindowSpec spec;
    spec.width = w;
    spec.height = h;
    spec.fullscreen = false;
    spec.software = true;
    SystemClock clock;
    KioskApp app(cfg, clock, spec);
    app.frame();
    std::vector<double> us;
    const std::string text = "anna kowalskiолгаёлкинаzoe martin";
    for (int round = 0; round < 6; ++round) {
        for (std::size_t i = 0; i < text.size();) {
            std::size_t n = 1;
            while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
            const long long t0 = now_ns();
            app.type(text.substr(i, n));   // the search runs here, as in the real loop
            app.frame();
            us.push_back((now_ns() - t0) / 1e3);
            i += n;
        }
        app.dispatch(ev::Clear{});
    }
    std::sort(us.begin(), us.end());
    auto pct = [&](double p) { return us[std::min(us.size() - 1, static_cast<std::size_t>(p * us.size()))]; };
    std::printf("  keypress -> search -> frame (software renderer): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%zu frames)\n",
                pct(0.5) / 1e3, pct(0.99) / 1e3, us.back() / 1e3, us.size());
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_kiosk PATH/TO/studio-kiosk\n");
        return 2;
    }
    const std::string bin = argv[1];
    const std::string dir = std::filesystem::temp_directory_path() / ("bench-kiosk-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string db = dir + "/demo.db";
    {
        KioskStore store(db);
        SystemClock clock;
        load_demo_data(store, clock);
    }
    std::printf("display: %s\n", std::getenv("DISPLAY") ? "X11" : "SDL dummy driver (cannot block: polls at 50 Hz)");
    for (auto [w, h] : {std::pair{800, 480}, std::pair{1280, 800}}) {
        const std::string size = std::to_string(w) + "x" + std::to_string(h);
        std::printf("%s\n", size.c_str());
        startup(bin, db, size);
        idle_cpu(bin, db, size);
        if (!std::getenv("DISPLAY")) setenv("SDL_VIDEODRIVER", "dummy", 1);
        typing(db, w, h);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
