#include "kiosk/kiosk_app.h"

#include "core/overloaded.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <pthread.h>
#include <signal.h>
#include <systemd/sd-daemon.h>

#include <cstdio>
#include <filesystem>
#include <ctime>
#include <thread>

#include "core/checkin_text.h"
#include "core/log.h"
#include "core/text_fold.h"
#include "core/texts.h"
#include "kiosk/staff_services.h"
#include "store/sync_store.h"
#include "sync/indicator.h"
#include "sync/kiosk_sync.h"
#include "sync/worker.h"
#include "store/pins.h"
#include "store/self_care.h"

namespace studio {

namespace {

constexpr Millis kIdlePollMs = 20;   // drivers that cannot block: poll at 50 Hz, sleep between
constexpr int kFramesAfterInput = 3; // ImGui needs a frame to see input and one to show its result

}  // namespace

FlowConfig flow_config(const KioskConfig& cfg) {
    FlowConfig f;
    f.done_ms = Millis{cfg.done_seconds} * 1000;
    f.idle_reset_ms = Millis{cfg.idle_reset_seconds} * 1000;
    f.staff_hold_ms = Millis{cfg.staff_hold_seconds} * 1000;
    lang_from_code(cfg.language, f.default_lang);
    return f;
}

// ---- services ----------------------------------------------------------------

KioskServices::KioskServices(KioskStore& store, const KioskConfig& cfg, const Clock& clock)
    : store_(store), cfg_(cfg), clock_(clock) {
    reindex();
}

void KioskServices::reindex() { index_.build(store_.search_entries()); }

std::vector<Event> KioskServices::check_in(ClientId client, ClassPick pick, Lang lang) {
    try {
        const auto outcome = store_.check_in(client, Source::Self, clock_, cfg_.rules, pick);
        if (health) health->storage_full_since.reset(), health->refused = 0;
        return {ev::CheckedIn{describe_checkin(outcome.client, outcome.cls, outcome.decision,
                                               store_.focus_on(local_date(outcome.wall_time)), builtin_texts(), lang)}};
    } catch (const std::exception& e) {
        // Never say "done" for a visit that is not on disk (the transaction rolled back).
        note_write_failure(e);
        return {ev::Failed{"error.checkin"}};
    }
}

void KioskServices::note_write_failure(const std::exception& e) {
    if (is_disk_full(e)) {
        if (health) {
            if (!health->storage_full_since) health->storage_full_since = clock_.now();
            ++health->refused;
        }
        log_error("check-in refused: the storage is full (" + std::string(e.what()) + ")");
    } else {
        log_error(std::string("check-in failed: ") + e.what());
    }
}

std::vector<Event> KioskServices::prepare(ClientId client, Lang lang) {
    const auto candidates = store_.classes_for_checkin(clock_.now(), cfg_.rules);
    if (candidates.size() <= 1)
        return check_in(client, candidates.empty() ? ClassPick::none() : ClassPick::of(candidates.front().id), lang);
    ev::ClassChoice choice{client, {}};
    for (const auto& c : candidates)
        choice.options.push_back({c.id, local_hhmm(c.starts_at) + "   " + c.title});
    return {choice};
}

std::vector<Event> KioskServices::run(const Effect& effect, Lang lang) {
    return std::visit(
        overloaded{
            [&](const fx::Search& s) -> std::vector<Event> {
                ev::SearchResults r{s.query, {}};
                for (const auto& h : index_.search(s.query)) r.items.push_back({h.client_id, h.display});
                return {r};
            },
            [&](const fx::PrepareCheckIn& p) { return prepare(p.client, lang); },
            [&](const fx::CheckIn& c) {
                return check_in(c.client, c.cls ? ClassPick::of(*c.cls) : ClassPick::none(), lang);
            },
            [&](const fx::LookUpCode& l) -> std::vector<Event> {
                if (const auto c = store_.client_by_code(l.code)) return prepare(c->id, lang);
                return {ev::CodeUnknown{l.code}};
            },
            [&](const fx::Register& r) -> std::vector<Event> {
                try {
                    const ClientId id = store_.create_walk_in(r.first, r.last, r.phone, clock_);
                    reindex();
                    return prepare(id, lang);
                } catch (const std::exception& e) {
                    note_write_failure(e);
                    return {ev::Failed{"error.checkin"}};
                }
            },
            [&](const fx::VerifyPin& v) -> std::vector<Event> {
                const auto role = check_staff_pin(store_, v.pin);
                if (!role) return {ev::PinChecked{std::nullopt}};
                return {ev::PinChecked{*role == "manager" ? StaffRole::Manager : StaffRole::Coach}};
            },
            [&](const fx::SavePinLock& s) -> std::vector<Event> {
                store_.set_meta("pin.lock", std::to_string(s.lock.failures) + " " + std::to_string(s.lock.lockouts) +
                                                (s.lock.locked_until > 0 ? " locked" : ""));
                return {};
            },
            [&](const fx::Quit&) -> std::vector<Event> { return {}; },
            [&](const fx::Staff&) -> std::vector<Event> { return {}; },   // StaffServices carries these out
        },
        effect);
}

PinLock KioskServices::saved_pin_lock() {
    PinLock lock;
    if (const auto v = store_.meta("pin.lock")) {
        char locked[8] = {};
        std::sscanf(v->c_str(), "%d %d %7s", &lock.failures, &lock.lockouts, locked);
        // A restart does not shorten a lock: it starts again from now (see KioskApp).
        if (std::string(locked) == "locked") lock.locked_until = 1;
    }
    return lock;
}

HomeInfo KioskServices::home_info(Lang lang) {
    HomeInfo info;
    const Seconds now = clock_.now();
    info.clock = local_hhmm(now);
    if (const auto f = store_.focus_on(local_date(now))) {
        info.focus_title = f->title;
        info.focus_body = f->body;
    }
    // A class still open for check-in counts as next; one that started long ago does not.
    if (const auto c = store_.next_class(now - Seconds{cfg_.rules.window_after_min} * 60);
        c && local_date(c->starts_at) == local_date(now))
        info.next_class = builtin_texts().format(
            lang, "home.next_class", {{"title", c->title}, {"time", local_hhmm(c->starts_at)}, {"coach", c->coach}});
    info.staff_pin_set = has_staff_pin(store_);
    return info;
}

// ---- the app -----------------------------------------------------------------

std::uint32_t KioskApp::wake_event() {
    static const std::uint32_t type = SDL_RegisterEvents(1);
    return type;
}

namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    return set;
}

}  // namespace

KioskApp::KioskApp(const KioskConfig& cfg, const Clock& clock, const WindowSpec& spec)
    : cfg_(cfg), clock_(clock), flow_cfg_(flow_config(cfg)) {
    // Before any thread starts (SDL's, sync, backups): threads inherit the mask, so
    // SIGTERM waits for run()'s sigwait instead of killing the process on another thread.
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    // Before the window: a damaged file is replaced (and kept), a bad one fails fast.
    check_at_start(cfg_.db_path, clock_);
    store_ = std::make_unique<KioskStore>(cfg_.db_path);
    health_ = std::make_unique<KioskHealth>();
    const std::filesystem::path db_dir = std::filesystem::path(cfg_.db_path).parent_path();
    health_->data_dir = db_dir.empty() ? "." : db_dir.string();
    health_->backup_dir = backup_dir_for(cfg_);
    services_ = std::make_unique<KioskServices>(*store_, cfg_, clock_);
    services_->health = health_.get();
    staff_ = std::make_unique<StaffServices>(*store_, cfg_, clock_, services_->index());
    staff_->health = health_.get();
    staff_->export_fallback_dir = (std::filesystem::path(cfg_.db_path).parent_path() / "exports").string();
    staff_->wake = [] {
        SDL_Event e{};
        e.type = wake_event();
        SDL_PushEvent(&e);
    };
    platform_ = std::make_unique<Platform>(spec);

    // Sync runs on its own thread with its own connection; it wakes this loop when
    // something the screens show changed.
    sync_configured_ = sync::sync_configured(cfg_);
    sync::WorkerConfig wc;
    std::string why;
    if (sync::worker_from_config(cfg_, wc, why)) {
        worker_ = std::make_unique<sync::SyncWorker>(wc, clock_);
        worker_->start([] {
            SDL_Event e{};
            e.type = wake_event();
            SDL_PushEvent(&e);
        });
        staff_->sync_now = [this] { worker_->request_now(true); };
    } else if (sync_configured_) {
        log_error("sync is off: " + why);
    }
    backups_ = std::make_unique<DailyBackups>(cfg_.db_path, health_->backup_dir, cfg_.backups_kept, clock_);
    const Millis now = clock_.monotonic_ms();
    state_ = initial_state(flow_cfg_, now);
    state_.pin_lock = services_->saved_pin_lock();
    if (state_.pin_lock.locked_until) {
        state_.pin_lock.locked_until =
            now + (flow_cfg_.pin_lock_ms << std::max(0, std::min(state_.pin_lock.lockouts - 1, 10)));
    }
    refresh_info();
}

KioskApp::~KioskApp() {
    if (worker_) worker_->stop();   // before the store and SDL go away
    backups_.reset();
}

long KioskApp::sync_passes() const { return worker_ ? worker_->snapshot().passes : -1; }

void KioskApp::sync_soon() {
    if (worker_) worker_->request_now();
}

Millis KioskApp::coach_pull_in() const {
    if (!worker_ || state_.screen != Screen::Staff || state_.staff.view != StaffView::Coach) return -1;
    const Millis every = sync::SyncTuning{}.coach_poll_interval.count();
    return std::max<Millis>(0, last_coach_pull_ + every - clock_.monotonic_ms());
}

void KioskApp::start_as_coach_device() {
    state_ = coach_device_state(flow_cfg_, clock_.monotonic_ms());
    refresh_staff();
}

void KioskApp::refresh_staff() {
    if (state_.screen == Screen::Staff) staff_->refresh(state_, staff_info_);
}

void KioskApp::refresh_info() {
    info_ = services_->home_info(state_.lang);
    info_minute_ = info_.clock;
    const auto ind = sync::sync_indicator(sync_state(*store_), sync_configured_, clock_.now());
    // Small and calm: nothing at all while everything is sent.
    if (ind.level != sync::SyncIndicator::Level::Synced && ind.level != sync::SyncIndicator::Level::Idle)
        info_.sync_label = ind.line;
    info_.sync_problem = ind.level == sync::SyncIndicator::Level::Attention;
}

std::string KioskApp::fingerprint() const {
    const Millis now = clock_.monotonic_ms();
    return std::to_string(static_cast<int>(state_.screen)) + "|" + state_.query + "|" +
           std::to_string(state_.results.size()) + "|" + state_.notice + "|" +
           std::to_string(static_cast<int>(state_.lang)) + "|" + std::to_string(state_.pin.size()) + "|" +
           state_.pin_message + "|" + (state_.pin_lock.locked(now) ? "L" : "") +
           std::to_string(state_.pin_lock.locked(now) ? (state_.pin_lock.locked_until - now) / 1000 : 0);
}

void KioskApp::dispatch(const Event& e) {
    const Lang before = state_.lang;
    const Screen screen_before = state_.screen;
    const StaffView view_before = state_.staff.view;
    const auto effects = reduce(state_, e, clock_.monotonic_ms(), flow_cfg_);
    bool staff_changed = false;
    for (const auto& fx : effects) {
        if (const auto* st = std::get_if<fx::Staff>(&fx)) {
            for (const auto& result : staff_->run(st->e, state_)) dispatch(result);
            staff_changed = true;
            if (!std::holds_alternative<sfx::Refresh>(st->e) && !std::holds_alternative<sfx::Search>(st->e)) sync_soon();
            continue;
        }
        for (const auto& result : services_->run(fx, state_.lang)) dispatch(result);
        if (!std::holds_alternative<fx::Search>(fx)) refresh_info();
    }
    // Staff data holds words too (alerts, "never", date ranges): rebuilt in the new language.
    if (state_.lang != before) refresh_info(), refresh_staff();
    if (std::holds_alternative<ev::CheckedIn>(e)) sync_soon();
    // Staff screens show data from the store: rebuild it when something happened there.
    if (state_.screen == Screen::Staff &&
        (staff_changed || screen_before != Screen::Staff || view_before != state_.staff.view ||
         std::holds_alternative<ev::Staff>(e)))
        refresh_staff();
}

void KioskApp::tick() {
    const std::string before = fingerprint();
    if (auto finished = staff_->poll_export(staff_info_, state_.lang)) dispatch(*finished);
    if (coach_pull_in() == 0) {
        last_coach_pull_ = clock_.monotonic_ms();
        worker_->request_now();   // its wake event redraws only if something changed
    }
    dispatch(ev::Tick{});
    if (local_hhmm(clock_.now()) != info_minute_) refresh_info(), frames_left_ = std::max(frames_left_, 1);
    if (fingerprint() != before) frames_left_ = std::max(frames_left_, 2);
}

void KioskApp::handle(const SDL_Event& e) {
    switch (e.type) {
        case SDL_TEXTINPUT: dispatch(ev::Type{e.text.text}); break;
        case SDL_KEYDOWN:
            switch (e.key.keysym.sym) {
                case SDLK_BACKSPACE: dispatch(ev::Backspace{}); break;
                case SDLK_RETURN:
                case SDLK_KP_ENTER: dispatch(ev::Enter{}); break;
                case SDLK_ESCAPE: dispatch(state_.screen == Screen::Home ? Event{ev::Clear{}} : Event{ev::Back{}}); break;
                default: break;
            }
            break;
        case SDL_QUIT:
            // A window manager's close: only for a desktop window. In fullscreen the
            // staff door is the one way out (and SIGTERM, from systemd).
            if (!cfg_.fullscreen) quit_ = true;
            break;
        default:
            if (e.type == wake_event()) {
                if (e.user.code == 1) quit_ = true;   // SIGTERM
                else refresh_info(), refresh_staff();
            } else {
                ImGui_ImplSDL2_ProcessEvent(&e);
            }
            break;
    }
    frames_left_ = kFramesAfterInput;
}

void KioskApp::frame(const std::string& png_path) {
    platform_->begin_frame();
    std::vector<Event> events;
    probe_.clear();
    DrawContext ctx{builtin_texts(), platform_->fonts(), platform_->metrics(), info_, flow_cfg_,
                    clock_.monotonic_ms(), &probe_};
    ctx.staff = &staff_info_;
    draw_kiosk(state_, ctx, events);
    platform_->end_frame(png_path);
    for (const auto& e : events) dispatch(e);
    if (!events.empty()) frames_left_ = std::max(frames_left_, 2);
}

bool KioskApp::tap(const std::string& id) {
    frame();   // the widget must have been drawn to be found
    const auto it = probe_.find(id);
    if (it == probe_.end()) return false;
    tap_at(it->second.cx(), it->second.cy());
    return true;
}

void KioskApp::tap_at(float x, float y) {
    platform_->inject_pointer(x, y, true);
    frame();
    platform_->inject_pointer(x, y, false);
    frame();
    platform_->release_injected_pointer();
    frame();
}

bool KioskApp::press(const std::string& id) {
    frame();
    const auto it = probe_.find(id);
    if (it == probe_.end()) return false;
    pressed_ = it->second;
    platform_->inject_pointer(pressed_.cx(), pressed_.cy(), true);
    frame();
    return true;
}

void KioskApp::release() {
    tick();
    platform_->inject_pointer(pressed_.cx(), pressed_.cy(), false);
    frame();
    platform_->release_injected_pointer();
    frame();
}

void KioskApp::type(const std::string& text) {
    // One event per character, as a keyboard or a scanner sends them.
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = 1;
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
        dispatch(ev::Type{text.substr(i, n)});
        i += n;
    }
}

void KioskApp::press_enter() { dispatch(ev::Enter{}); }

int KioskApp::run() {
    // SIGTERM/SIGINT arrive on a thread of their own, which wakes the loop through
    // SDL's (thread-safe) event queue: nothing unsafe runs in a signal handler.
    // Blocked since the constructor, so no other thread takes them either.
    const sigset_t set = stop_signals();
    std::thread signals([set] {
        int sig = 0;
        sigwait(&set, &sig);
        if (sig == SIGUSR1) return;   // the loop ended by itself
        SDL_Event e{};
        e.type = wake_event();
        e.user.code = 1;
        SDL_PushEvent(&e);
    });

    // systemd: READY after the first frame; with WatchdogSec= set, a ping at half the
    // interval from this loop, so a hung loop gets the kiosk restarted.
    std::uint64_t watchdog_usec = 0;
    const bool watchdog = sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0;
    const Millis ping_every = static_cast<Millis>(watchdog_usec / 2000);
    Millis last_ping = clock_.monotonic_ms();
    bool ready_sent = false;

    frames_left_ = kFramesAfterInput;
    while (!quitting()) {
        if (frames_left_ == 0) {
            // Sleep until input, a wake from another thread, the next timeout or the
            // next minute on the clock.
            const Millis now = clock_.monotonic_ms();
            Millis wait = next_deadline(state_, now, flow_cfg_);
            const Millis to_minute = (60 - clock_.now() % 60) * 1000;
            if (wait < 0 || wait > to_minute) wait = to_minute;
            if (const Millis pull = coach_pull_in(); pull >= 0) wait = std::min(wait, pull);
            if (watchdog) wait = std::min(wait, std::max<Millis>(0, last_ping + ping_every - now));
            SDL_Event e;
            if (platform_->can_block()) {
                if (SDL_WaitEventTimeout(&e, static_cast<int>(std::max<Millis>(wait, 1)))) handle(e);
            } else if (SDL_PollEvent(&e)) {
                handle(e);
            } else {
                SDL_Delay(static_cast<Uint32>(std::min(std::max<Millis>(wait, 1), kIdlePollMs)));
            }
        }
        SDL_Event e;
        while (SDL_PollEvent(&e)) handle(e);
        tick();
        if (watchdog && clock_.monotonic_ms() - last_ping >= ping_every) {
            sd_notify(0, "WATCHDOG=1");
            last_ping = clock_.monotonic_ms();
        }
        if (frames_left_ > 0) {
            frame();
            --frames_left_;
            if (!ready_sent) {
                sd_notify(0, "READY=1");
                ready_sent = true;
            }
            if (exit_after_first_frame_) {
                timespec ts{};
                clock_gettime(CLOCK_MONOTONIC, &ts);
                std::printf("first-frame-ns %lld\n", static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec);
                std::fflush(stdout);
                break;
            }
        }
    }
    sd_notify(0, "STOPPING=1");
    pthread_kill(signals.native_handle(), SIGUSR1);
    signals.join();
    return 0;
}

}  // namespace studio
