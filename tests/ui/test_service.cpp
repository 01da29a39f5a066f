// The kiosk as systemd runs it: the real binary on the headless driver, talking to
// a notify socket the test holds (what systemd's NOTIFY_SOCKET is), then SIGTERM.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "store/demo_data.h"
#include "store/kiosk_store.h"
#include "../test_support.h"

using namespace studio;
using studio::test::TempDir;

TEST_CASE("service: ready after the first frame, watchdog pings while idle, clean stop on SIGTERM") {
    TempDir dir;
    const std::string db = dir.file("kiosk.db");
    {
        KioskStore s(db);
        SystemClock clock;
        load_demo_data(s, clock);
    }
    const std::string sock_path = dir.file("notify.sock");
    const int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(sock >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(sock_path.size() < sizeof addr.sun_path);
    std::copy(sock_path.begin(), sock_path.end(), addr.sun_path);
    REQUIRE(bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{0, 200000};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

    const pid_t pid = fork();
    if (pid == 0) {
        setenv("SDL_VIDEODRIVER", "dummy", 1);
        setenv("NOTIFY_SOCKET", sock_path.c_str(), 1);
        setenv("WATCHDOG_USEC", "400000", 1);   // 0.4 s: pings every 0.2 s
        execl(STUDIO_KIOSK_BIN, STUDIO_KIOSK_BIN, "--db", db.c_str(), "run", "--windowed", "800x480", nullptr);
        _exit(127);
    }
    std::vector<std::string> got;
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(1500)) {   // bounded
        char buf[256];
        const ssize_t n = recv(sock, buf, sizeof buf, 0);
        if (n > 0) got.emplace_back(buf, static_cast<std::size_t>(n));
    }
    kill(pid, SIGTERM);
    while (true) {   // until the stop message or the receive timeout
        char buf[256];
        const ssize_t n = recv(sock, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.emplace_back(buf, static_cast<std::size_t>(n));
    }
    int status = 0;
    waitpid(pid, &status, 0);
    close(sock);

    int ready = 0, pings = 0, stopping = 0;
    for (const auto& m : got) {
        ready += m == "READY=1";
        pings += m == "WATCHDOG=1";
        stopping += m == "STOPPING=1";
    }
    CHECK(ready == 1);
    CHECK(pings >= 4);      // ~7 expected in 1.5 s; the loop is otherwise idle
    CHECK(pings <= 12);     // and it does not spin
    CHECK(stopping == 1);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
