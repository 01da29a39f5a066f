// Configuration mistakes are named by file, line and key, and stop the kiosk
// (exit 78) with a message that says what to fix; check-config says the same.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>

#include "kiosk/cli.h"
#include "kiosk/config_check.h"
#include "../test_support.h"

using namespace studio;
using studio::test::TempDir;
using studio::test::write_file;

namespace {

KioskConfig parse(const std::string& text, const TempDir& dir) {
    KioskConfig cfg;
    cfg.db_path = dir.file("kiosk.db");
    apply_config(cfg, text, "kiosk.conf");
    return cfg;
}

std::string messages(const std::vector<ConfigProblem>& ps, bool fatal) {
    std::string s;
    for (const auto& p : ps)
        if (p.fatal == fatal) s += p.message + "\n";
    return s;
}

struct Run {
    int code = -1;
    std::string output;
};

Run run_kiosk(const std::string& args) {
    Run r;
    FILE* p = ::popen(("SDL_VIDEODRIVER=dummy " STUDIO_KIOSK_BIN " " + args + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 512> buf{};
    while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

TEST_CASE("check_config: the shipped example is fine on a machine with the font") {
    TempDir dir;
    const KioskConfig cfg = parse(studio::test::read_file(STUDIO_SOURCE_DIR "/assets/kiosk.conf.example"), dir);
    CHECK(messages(check_config(cfg), true).empty());
}

TEST_CASE("check_config: each mistake names the line and the key, and says what to do") {
    TempDir dir;
    write_file(dir.file("token"), "tok-123\n");
    write_file(dir.file("notes.txt"), "not a certificate");
    const std::string token = dir.file("token");
    const KioskConfig cfg = parse("font_path = /no/such/font.ttf\n"
                                  "server_url = http://studio.example.com\n"
                                  "token_file = " + dir.file("missing-token") + "\n"
                                  "ca_file = " + dir.file("notes.txt") + "\n"
                                  "pinned_public_key = sha256//short\n"
                                  "backup_dir = " + dir.file("notes.txt") + "/backups\n",
                                  dir);
    const std::string fatal = messages(check_config(cfg), true);
    INFO(fatal);
    CHECK(fatal.find("kiosk.conf:1: font_path: cannot read /no/such/font.ttf; install fonts-dejavu-core") !=
          std::string::npos);
    CHECK(fatal.find("kiosk.conf:2: server_url: plain http:// is allowed only to this machine") != std::string::npos);
    CHECK(fatal.find("kiosk.conf:3: token_file: cannot read") != std::string::npos);
    CHECK(fatal.find("kiosk.conf:4: ca_file:") != std::string::npos);
    CHECK(fatal.find("kiosk.conf:5: pinned_public_key: expected sha256//") != std::string::npos);
    CHECK(fatal.find("kiosk.conf:6: backup_dir: " + dir.file("notes.txt") + " is not a folder") != std::string::npos);

    // Fixed, the same file passes; a token others can read is only a warning.
    ::chmod(token.c_str(), 0644);
    const KioskConfig good = parse("server_url = https://studio.example.com\ntoken_file = " + token + "\n", dir);
    const auto ps = check_config(good);
    CHECK(messages(ps, true).empty());
    CHECK(messages(ps, false).find("kiosk.conf:2: token_file: " + token + " can be read by other users; chmod 600") !=
          std::string::npos);
    // Sync settings without a server: said, not fatal.
    const KioskConfig standalone = parse("token_file = " + token + "\n", dir);
    CHECK(messages(check_config(standalone), true).empty());
    CHECK(messages(check_config(standalone), false).find("server_url is not") != std::string::npos);
}

TEST_CASE("studio-kiosk: a config mistake stops run and check-config with exit 78 and the line") {
    TempDir dir;
    const std::string conf = dir.file("kiosk.conf");
    const std::string db = " --db " + dir.file("kiosk.db");

    write_file(conf, "language = en\nidle_reset_secs = 20\n");
    for (const char* cmd : {" run --windowed 800x480", " check-config", " status"}) {
        const Run r = run_kiosk("--config " + conf + db + cmd);
        INFO(cmd << ": " << r.output);
        CHECK(r.code == kExitConfig);
        CHECK(r.output.find(conf + ":2: unknown setting \"idle_reset_secs\"") != std::string::npos);
    }

    write_file(conf, "font_path = /no/such/font.ttf\n");
    Run r = run_kiosk("--config " + conf + db + " run --windowed 800x480");
    CHECK(r.code == kExitConfig);
    CHECK(r.output.find(conf + ":1: font_path: cannot read /no/such/font.ttf") != std::string::npos);
    CHECK(r.output.find("check-config") != std::string::npos);

    r = run_kiosk("--config " + dir.file("absent.conf") + db + " check-config");
    CHECK(r.code == kExitConfig);
    CHECK(r.output.find("absent.conf") != std::string::npos);

    write_file(conf, "language = ru\n");
    r = run_kiosk("--config " + conf + db + " check-config");
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(r.output.find(": OK") != std::string::npos);
}
