// The kiosk's sync worker: a thread with its own KioskStore connection (SQLite WAL,
// never shared with the UI thread) and its own HTTP handle, running SyncEngine
// passes: at once after start, after each new check-in (request_now), every
// poll_interval when all is well, with full-jitter backoff and Retry-After when
// not. It never touches ImGui: when something the screens show changed it calls
// `on_change` (the UI passes a function that pushes an SDL user event).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "sync/engine.h"
#include "sync/transport.h"

namespace studio::sync {

struct WorkerConfig {
    std::string db_path;          // the kiosk's database file (opened again on the worker thread)
    TransportConfig transport;    // server, CA, pin, token, tuning
};

// What the worker last saw; cheap to copy, safe from any thread.
struct WorkerSnapshot {
    SyncStatus status = SyncStatus::Ok;
    std::string detail;               // last problem, for staff ("" when fine)
    int failures_in_a_row = 0;
    int pending = 0;                  // outbox entries after the last pass
    long passes = 0;                  // passes run since start
    long requests = 0;                // HTTP requests since start
    std::optional<Seconds> last_success;
    Millis next_pass_in{0};           // wait chosen after the last pass
};

class SyncWorker {
public:
    explicit SyncWorker(WorkerConfig cfg, const Clock& clock);
    ~SyncWorker();   // stop()
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    // Starts the thread. `on_change` runs on the worker thread: keep it short and
    // thread-safe (push an event, nothing more).
    void start(std::function<void()> on_change);
    // Wakes and joins the thread; returns within a pass's network timeouts at worst
    // (the wait between passes is interrupted at once).
    void stop();
    // Ask for a pass now (a check-in was just recorded). Ignored while backing off
    // after a failure, so a busy door cannot hammer a server that is down; `force`
    // (staff pressed "Sync now") wakes it anyway.
    void request_now(bool force = false);

    WorkerSnapshot snapshot() const;

private:
    void run();

    WorkerConfig cfg_;
    const Clock& clock_;
    std::function<void()> on_change_;
    std::thread thread_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    bool stop_ = false;
    bool wake_ = false;
    bool backing_off_ = false;
    WorkerSnapshot snap_;
};

}  // namespace studio::sync
