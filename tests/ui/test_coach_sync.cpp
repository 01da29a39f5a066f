// End to end: a check-in at the entrance kiosk reaches the real server (HTTPS on
// 127.0.0.1) and shows on a coach's tablet, the real kiosk app running headless
// with its sync worker, within seconds and without anyone touching the tablet.
#include <catch2/catch.hpp>

#include <SDL.h>

#include <chrono>
#include <thread>

#include "kiosk/kiosk_app.h"
#include "../sync/sync_fixture.h"

using namespace studio;
using namespace studio::test;

TEST_CASE("a check-in at the entrance shows on the coach's tablet within seconds") {
    TempDir dir;
    TestServer server(test_server_config(dir.file("server.db")));
    const std::string entrance_token = server.add_kiosk("central", "entrance");
    const std::string tablet_token = server.add_kiosk("central", "coach tablet");

    // The coach's tablet: the real app, on the coach screen, syncing in the background.
    SystemClock clock;
    KioskConfig cfg;
    cfg.db_path = dir.file("tablet.db");
    cfg.fullscreen = false;
    cfg.server_url = server.url();
    cfg.ca_file = pki().ca_cert;
    cfg.token_file = dir.file("tablet.token");
    write_file(cfg.token_file, tablet_token + "\n");
    WindowSpec spec;
    spec.width = 1280;
    spec.height = 800;
    spec.fullscreen = false;
    spec.software = true;
    KioskApp tablet(cfg, clock, spec);
    tablet.start_as_coach_device();
    // Its first pass (at start) is done before anything happens at the entrance, so
    // only the coach screen's frequent pulls can bring the check-in in.
    for (int i = 0; i < 500 && tablet.sync_passes() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    REQUIRE(tablet.sync_passes() >= 1);
    auto run_loop = [&] {   // the tablet's loop, as in run(): worker events, ticks
        SDL_Event e;
        while (SDL_PollEvent(&e)) tablet.handle(e);
        tablet.tick();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    // The tablet has been open a while (its first coach-screen pull is done).
    for (int i = 0; i < 50; ++i) run_loop();
    const long passes_before = tablet.sync_passes();
    REQUIRE(tablet.staff_info().group.empty());

    // The entrance kiosk: a first-time visitor registers and checks in, and it syncs.
    Kiosk entrance;
    entrance.clock.set(clock.now());
    const ClientId vera = entrance.store.create_walk_in("Vera", "Nowak", "", entrance.clock);
    REQUIRE(entrance.store.check_in(vera, Source::Self, entrance.clock, RulesConfig{}).recorded());
    const auto pushed = entrance.sync(server.url(), entrance_token);
    REQUIRE(pushed.ok());
    REQUIRE(pushed.pending_after == 0);
    const auto reached_server = std::chrono::steady_clock::now();

    bool shown = false;
    while (!shown && std::chrono::steady_clock::now() - reached_server < std::chrono::seconds(20)) {
        run_loop();
        for (const auto& row : tablet.staff_info().group) shown |= row.name == "Vera Nowak";
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - reached_server).count();
    INFO("took " << seconds << " s");
    CHECK(shown);
    CHECK(seconds < 8.0);   // the coach screen pulls every 5 s, plus one pass
    CHECK(tablet.sync_passes() > passes_before);
    REQUIRE_FALSE(tablet.staff_info().group.empty());
    CHECK(tablet.staff_info().group[0].milestone_key == "milestone.first");
}
