// studio-server's configuration: mistakes named by file, line and key, the
// certificate and key checked before serving, exit 78 (the unit does not restart).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "server/admin_cli.h"
#include "server/server_config.h"
#include "../sync/sync_fixture.h"

using namespace studio;
using namespace studio::server;
using studio::test::TempDir;
using studio::test::write_file;

namespace {

struct Run {
    int code = -1;
    std::string output;
};

Run run_server(const std::string& args) {
    Run r;
    FILE* p = ::popen((std::string(STUDIO_SERVER_BIN) + " " + args + " 2>&1").c_str(), "r");
    REQUIRE(p);
    std::array<char, 512> buf{};
    while (std::fgets(buf.data(), buf.size(), p)) r.output += buf.data();
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

}  // namespace

TEST_CASE("server config: certificate and key are checked with the line that names them") {
    const auto& pki = studio::test::pki();
    TempDir dir;
    ServerConfig cfg;
    apply_server_config(cfg, "port = 0\ncert_file = " + pki.server_cert + "\nkey_file = " + pki.server_key + "\n", "server.conf");
    CHECK_NOTHROW(check_server_files(cfg));

    ServerConfig wrong_key = cfg;
    apply_server_config(wrong_key, "key_file = " + pki.wrong_host_key + "\n", "server.conf");
    try {
        check_server_files(wrong_key);
        FAIL("a key of another certificate was accepted");
    } catch (const ServerConfigError& e) {
        CHECK(std::string(e.what()).find("server.conf:1: key_file: " + pki.wrong_host_key + " is not the key of") !=
              std::string::npos);
    }
    ServerConfig missing = cfg;
    apply_server_config(missing, "\n\ncert_file = " + dir.file("none.pem") + "\n", "server.conf");
    CHECK_THROWS_WITH(check_server_files(missing),
                      Catch::Contains("server.conf:3: cert_file: cannot load a PEM certificate chain from"));
}

TEST_CASE("studio-server: check-config and serve refuse a wrong config with exit 78") {
    const auto& pki = studio::test::pki();
    TempDir dir;
    const std::string conf = dir.file("server.conf");
    const std::string db = " --db " + dir.file("server.db");

    write_file(conf, "listen_address = 127.0.0.1\nport = 0\nthreds = 4\n");
    for (const char* cmd : {" check-config", " serve"}) {
        const Run r = run_server("--config " + conf + db + cmd);
        INFO(r.output);
        CHECK(r.code == kExitConfig);
        CHECK(r.output.find(conf + ":3: unknown setting \"threds\"") != std::string::npos);
    }
    write_file(conf, "listen_address = 127.0.0.1\nport = 0\ncert_file = " + pki.server_cert +
                         "\nkey_file = " + pki.wrong_host_key + "\n");
    for (const char* cmd : {" check-config", " serve"}) {
        const Run r = run_server("--config " + conf + db + cmd);
        INFO(r.output);
        CHECK(r.code == kExitConfig);
        CHECK(r.output.find(conf + ":4: key_file:") != std::string::npos);
    }
    write_file(conf, "listen_address = 127.0.0.1\nport = 0\ncert_file = " + pki.server_cert +
                         "\nkey_file = " + pki.server_key + "\n");
    const Run ok = run_server("--config " + conf + db + " check-config");
    INFO(ok.output);
    CHECK(ok.code == 0);
    CHECK(ok.output.find(": OK") != std::string::npos);
    // The shipped example names /etc paths that do not exist here: refused, with the line.
    const Run example = run_server("--config " STUDIO_SOURCE_DIR "/assets/server.conf.example" + db + " check-config");
    CHECK(example.code == kExitConfig);
    CHECK(example.output.find("server.conf.example:11: cert_file:") != std::string::npos);
}

TEST_CASE("server config: every key is documented in the example file") {
    const std::string text = studio::test::read_file(STUDIO_SOURCE_DIR "/assets/server.conf.example");
    for (const auto& k : server_config_keys()) {
        INFO(k.name);
        CHECK(text.find(std::string(k.name) + " =") != std::string::npos);
    }
    ServerConfig cfg;
    CHECK_NOTHROW(apply_server_config(cfg, text, "server.conf.example"));
}
