// The running kiosk: SDL events in, flow events through the reducer, effects
// carried out against the store, frames drawn only when something changed.
//
//  KioskServices  carries out effects (search, check in, register, PIN) on the store
//  KioskApp       the loop: platform + flow state + services, and the test seams
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/search.h"
#include "store/kiosk_store.h"
#include "ui/flow.h"
#include "ui/platform.h"
#include "ui/screens.h"
#include "ui/staff_screens.h"

union SDL_Event;

namespace studio {

FlowConfig flow_config(const KioskConfig& cfg);

struct KioskHealth;   // kiosk/staff_services.h

class KioskServices {
public:
    KioskServices(KioskStore& store, const KioskConfig& cfg, const Clock& clock);
    // Carries out one effect; returns the events that report its result.
    std::vector<Event> run(const Effect& e, Lang lang);
    HomeInfo home_info(Lang lang);
    PinLock saved_pin_lock();
    void reindex();   // after clients changed (import, sync)
    const SearchIndex& index() const { return index_; }
    KioskHealth* health = nullptr;   // set by the app: a full disk is noted here

private:
    std::vector<Event> prepare(ClientId client, Lang lang);
    std::vector<Event> check_in(ClientId client, ClassPick pick, Lang lang);
    void note_write_failure(const std::exception& e);

    KioskStore& store_;
    const KioskConfig& cfg_;
    const Clock& clock_;
    SearchIndex index_;
};

class StaffServices;
class DailyBackups;
namespace sync {
class SyncWorker;
}

class KioskApp {
public:
    KioskApp(const KioskConfig& cfg, const Clock& clock, const WindowSpec& spec);
    ~KioskApp();

    int run();                          // until the staff door's "leave" or SIGTERM
    // Benchmarks: print the monotonic time of the first presented frame and leave.
    void exit_after_first_frame() { exit_after_first_frame_ = true; }
    void handle(const SDL_Event& e);    // one SDL event
    void dispatch(const Event& e);      // one flow event, with its effects
    void tick();                        // time passed: timeouts, the logo hold
    void frame(const std::string& png_path = {});
    bool quitting() const { return state_.quit || quit_; }

    // Test seams: drive the real screens headless.
    const FlowState& state() const { return state_; }
    const Probe& probe() const { return probe_; }
    const HomeInfo& info() const { return info_; }
    const StaffInfo& staff_info() const { return staff_info_; }
    StaffServices& staff_services() { return *staff_; }
    // Sync passes the worker has run (-1 without a server): lets tests wait for one.
    long sync_passes() const;
    // A coach's tablet (`--role coach`): starts on the coach screen and stays there.
    void start_as_coach_device();
    KioskStore& store() { return *store_; }
    const Metrics& metrics() const { return platform_->metrics(); }
    bool tap(const std::string& id);    // press and release on a named widget (3 frames)
    void tap_at(float x, float y);
    bool press(const std::string& id);  // finger down on a widget and held (advance the clock, then release)
    void release();
    void type(const std::string& text); // as a physical keyboard or a scanner types
    void press_enter();
    void refresh_info();
    void refresh_staff();
    void sync_soon();      // a local change was recorded: ask the worker for a pass
    Millis coach_pull_in() const;   // ms until the coach screen's next pull, -1 when none

    // An SDL event type other threads push to wake the loop (SDL_PushEvent is thread-safe).
    static std::uint32_t wake_event();

private:
    std::string fingerprint() const;

    KioskConfig cfg_;
    const Clock& clock_;
    FlowConfig flow_cfg_;
    std::unique_ptr<Platform> platform_;
    std::unique_ptr<KioskStore> store_;
    std::unique_ptr<KioskServices> services_;
    std::unique_ptr<StaffServices> staff_;
    std::unique_ptr<sync::SyncWorker> worker_;   // null when no server is configured
    std::unique_ptr<KioskHealth> health_;
    std::unique_ptr<DailyBackups> backups_;
    bool sync_configured_ = false;
    Millis last_coach_pull_ = 0;
    StaffInfo staff_info_;
    FlowState state_;
    HomeInfo info_;
    Probe probe_;
    std::string info_minute_;
    Rect pressed_;
    bool exit_after_first_frame_ = false;
    int frames_left_ = 3;
    bool quit_ = false;
};

}  // namespace studio
