// The admin command lines: `studio-server` (the real binary) and the kiosk's
// `sync --once` and `status` (in-process run_cli), end to end over TLS.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <sstream>

#include "kiosk/cli.h"
#include "../sync/sync_fixture.h"

using namespace studio;
using namespace studio::test;

namespace {

struct Run {
    int code;
    std::string out, err;
};

Run sh(const std::string& command, const TempDir& dir) {
    const std::string err_file = dir.file("stderr.txt");
    FILE* p = popen((command + " 2>" + err_file).c_str(), "r");
    REQUIRE(p);
    std::string out;
    std::array<char, 4096> buf;
    while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    const int status = pclose(p);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, read_file(err_file)};
}

Run server_cli(const std::string& args, const TempDir& dir) {
    return sh(std::string(STUDIO_SERVER_BIN) + " --db " + dir.file("server.db") + " " + args, dir);
}

Run kiosk_cli(const std::vector<std::string>& args, const Clock& clock) {
    std::ostringstream out, err;
    const int code = run_cli(parse_cli(args), out, err, clock);
    return {code, out.str(), err.str()};
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST_CASE("studio-server: devices, imports, focus and export from the command line") {
    TempDir dir;
    const Run add = server_cli("device add --studio Center --name front-desk", dir);
    REQUIRE(add.code == 0);
    const std::string token = first_line(add.out);
    CHECK(token.rfind("sst_", 0) == 0);
    CHECK(token.size() > 40);
    CHECK_THAT(add.err, Catch::Contains("shown once"));
    // Only the hash is kept: the token is nowhere in the file.
    CHECK(read_file(dir.file("server.db")).find(token) == std::string::npos);
    CHECK(server_cli("device add --studio Center --name front-desk", dir).code == 1);   // one active per label

    write_file(dir.file("clients.csv"),
               "first_name,last_name,phone,email,member_code,prior_sessions\nAnna,Kowalski,,,GS-1,3\n");
    CHECK(server_cli("import-clients " + dir.file("clients.csv"), dir).out == "imported 1 client(s): 1 new, 0 updated\n");
    write_file(dir.file("bad.csv"), "first_name,last_name,phone,email,member_code,prior_sessions\nAnna,,,,,x\n");
    const Run bad = server_cli("import-clients " + dir.file("bad.csv"), dir);
    CHECK(bad.code == 1);
    CHECK_THAT(bad.err, Catch::Contains("bad.csv:2:"));
    write_file(dir.file("schedule.csv"), "date,start,duration_min,title,coach\n2026-11-20,18:00,60,Upper back opening,Irina\n");
    CHECK(server_cli("import-schedule --studio Center " + dir.file("schedule.csv"), dir).code == 0);
    CHECK(server_cli("import-schedule --studio Center " + dir.file("schedule.csv"), dir).out ==
          "imported 1 class(es) for Center: 0 new, 1 updated\n");   // the same row is the same class
    CHECK(server_cli("focus set --studio Center --date 2026-11-20 --title 'Shoulder blades'", dir).code == 0);
    CHECK(server_cli("focus set --studio Center --date 2026-11-31 --title X", dir).code == 2);
    CHECK(server_cli("focus set --studio Nowhere --date 2026-11-20 --title X", dir).code == 1);

    const Run list = server_cli("device list", dir);
    CHECK_THAT(list.out, Catch::Contains("active  kiosk  Center  front-desk"));
    CHECK(list.out.find(token) == std::string::npos);
    CHECK(server_cli("device revoke --studio Center --name front-desk", dir).code == 0);
    CHECK_THAT(server_cli("device list", dir).out, Catch::Contains("revoked kiosk  Center  front-desk"));
    CHECK(server_cli("device revoke --studio Center --name front-desk", dir).code == 1);

    const Run csv = server_cli("export-attendance --studio Center --from 2026-11-01 --to 2026-11-30", dir);
    CHECK(csv.code == 0);
    CHECK(csv.out == attendance_csv_header());
    CHECK(server_cli("export-attendance --studio Center --from 2026-11-30 --to 2026-11-01", dir).code == 2);
    CHECK(server_cli("frobnicate", dir).code == 2);
    CHECK(server_cli("--help", dir).code == 0);
}

TEST_CASE("studio-server serve: HTTPS from the config file, plain HTTP refused off loopback, SIGTERM stops it") {
    TempDir dir;
    write_file(dir.file("bad.conf"), "plain_http = yes\nlisten_address = 0.0.0.0\n");
    const Run refused = server_cli("--config " + dir.file("bad.conf") + " serve", dir);
    CHECK(refused.code == 1);
    CHECK_THAT(refused.err, Catch::Contains("loopback"));
    write_file(dir.file("typo.conf"), "prot = 8443\n");
    CHECK_THAT(server_cli("--config " + dir.file("typo.conf") + " serve", dir).err, Catch::Contains("typo.conf:1"));

    write_file(dir.file("server.conf"), "listen_address = 127.0.0.1\nport = 0\ncert_file = " + pki().server_cert +
                                            "\nkey_file = " + pki().server_key + "\n");
    int out_pipe[2];
    REQUIRE(pipe(out_pipe) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(out_pipe[1], 1);
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        const std::string db = dir.file("server.db"), conf = dir.file("server.conf");
        execl(STUDIO_SERVER_BIN, STUDIO_SERVER_BIN, "--db", db.c_str(), "--config", conf.c_str(), "serve", nullptr);
        _exit(127);
    }
    close(out_pipe[1]);
    std::string line;
    char c;
    pollfd p{out_pipe[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && poll(&p, 1, 5000) > 0 && read(out_pipe[0], &c, 1) == 1) line += c;
    close(out_pipe[0]);
    INFO(line);
    const auto colon = line.rfind(':');
    REQUIRE(colon != std::string::npos);
    const int port = std::stoi(line.substr(colon + 1));
    sync::HttpClient http(transport("https://127.0.0.1:" + std::to_string(port), ""));
    CHECK(http.get("/api/v1/health").status == 200);
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 500 && waitpid(pid, &status, WNOHANG) == 0; ++i) usleep(10000);
    if (!WIFEXITED(status)) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        FAIL("studio-server did not stop on SIGTERM");
    }
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("studio-kiosk sync --once and status, against the real server") {
    TempDir dir;
    TestServer server(test_server_config(dir.file("server.db")));
    const std::string token = server.add_kiosk("Center", "front-desk");
    write_file(dir.file("token"), token + "\n");
    write_file(dir.file("kiosk.conf"), "server_url = " + server.url() + "\nca_file = " + pki().ca_cert +
                                           "\ntoken_file = " + dir.file("token") + "\n");
    FakeClock clock(at(2026, 11, 20, 17, 50));
    const std::vector<std::string> base = {"--db", dir.file("kiosk.db"), "--config", dir.file("kiosk.conf")};
    auto with = [&](std::vector<std::string> more) {
        auto v = base;
        v.insert(v.end(), more.begin(), more.end());
        return v;
    };
    write_file(dir.file("clients.csv"),
               "first_name,last_name,phone,email,member_code,prior_sessions\nAnna,Kowalski,,,GS-1,3\n");
    REQUIRE(kiosk_cli(with({"import-clients", dir.file("clients.csv")}), clock).code == 0);
    REQUIRE(kiosk_cli(with({"checkin", "--code", "GS-1"}), clock).code == 0);
    CHECK_THAT(kiosk_cli(with({"status"}), clock).out, Catch::Contains("pending sync:    1"));

    CHECK(kiosk_cli(with({"sync"}), clock).code == 2);   // a pass is asked for explicitly
    const Run ok = kiosk_cli(with({"sync", "--once"}), clock);
    INFO(ok.err);
    CHECK(ok.code == 0);
    CHECK_THAT(ok.out, Catch::Contains("delivered 1") && Catch::Contains("pending 0"));
    CHECK(server.store().count("checkins") == 1);
    const Run status = kiosk_cli(with({"status"}), clock);
    CHECK_THAT(status.out, Catch::Contains("pending sync:    0") && Catch::Contains("last error:      none") &&
                               Catch::Contains("sync:            synced"));
    CHECK(status.out.find(token) == std::string::npos);

    SECTION("the server gone: exit 1, the reason, the check-in kept, and status says so") {
        server.stop();
        REQUIRE(kiosk_cli(with({"checkin", "--code", "GS-1", "--class", "1"}), clock).code == 1);   // no such class
        clock.advance(86400);
        REQUIRE(kiosk_cli(with({"checkin", "--code", "GS-1"}), clock).code == 0);
        const Run down = kiosk_cli(with({"sync", "--once"}), clock);
        CHECK(down.code == 1);
        CHECK_THAT(down.err, Catch::Contains("offline"));
        const Run st = kiosk_cli(with({"status"}), clock);
        CHECK_THAT(st.out, Catch::Contains("pending sync:    1") && Catch::Contains("last error:      offline"));
    }
    SECTION("a revoked token: exit 1 with a clear reason") {
        server.store().revoke_device("Center", "front-desk", server::Role::Kiosk, 1);
        clock.advance(86400);
        REQUIRE(kiosk_cli(with({"checkin", "--code", "GS-1"}), clock).code == 0);
        const Run refused = kiosk_cli(with({"sync", "--once"}), clock);
        CHECK(refused.code == 1);
        CHECK_THAT(refused.err, Catch::Contains("token") && Catch::Contains("kept"));
        CHECK_THAT(kiosk_cli(with({"status"}), clock).out, Catch::Contains("sync:            attention"));
    }
    SECTION("no server configured: a standalone kiosk says so") {
        const Run alone = kiosk_cli({"--db", dir.file("kiosk.db"), "sync", "--once"}, clock);
        CHECK(alone.code == 1);
        CHECK_THAT(alone.err, Catch::Contains("no server_url"));
        CHECK_THAT(kiosk_cli({"--db", dir.file("kiosk.db"), "status"}, clock).out,
                   Catch::Contains("(none: standalone)"));
    }
}
