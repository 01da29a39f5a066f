#include "sync/worker.h"

#include <random>

#include "core/log.h"
#include "store/kiosk_store.h"
#include "store/sync_store.h"

namespace studio::sync {

SyncWorker::SyncWorker(WorkerConfig cfg, const Clock& clock) : cfg_(std::move(cfg)), clock_(clock) {}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::start(std::function<void()> on_change) {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    on_change_ = std::move(on_change);
    stop_ = false;
    thread_ = std::thread([this] { run(); });
}

void SyncWorker::stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SyncWorker::request_now(bool force) {
    {
        std::lock_guard lock(mu_);
        if (backing_off_ && !force) return;
        wake_ = true;
    }
    cv_.notify_all();
}

WorkerSnapshot SyncWorker::snapshot() const {
    std::lock_guard lock(mu_);
    return snap_;
}

void SyncWorker::run() {
    const SyncTuning& tuning = cfg_.transport.tuning;
    std::mt19937_64 rng{std::random_device{}()};
    int failures = 0;
    int was_failing = 0;   // failures before this pass, for the recovery line
    std::optional<KioskStore> store;
    std::optional<HttpClient> http;

    for (;;) {
        SyncReport report;
        try {
            if (!store) store.emplace(cfg_.db_path);   // this thread's own connection
            if (!http) http.emplace(cfg_.transport);
            SyncEngine engine(*store, *http, tuning, clock_);
            report = engine.run_once();
        } catch (const std::exception& e) {
            // The database could not be opened (or curl could not start): try again later.
            report.status = SyncStatus::LocalError;
            report.detail = e.what();
            store.reset();
        }

        Millis delay;
        if (report.ok()) {
            failures = 0;
            // More left than one pass may send: go on at once.
            delay = report.pending_after > 0 ? Millis(0) : tuning.poll_interval;
        } else {
            ++failures;
            delay = backoff_delay(tuning, failures, rng, report.retry_after);
        }

        // The journal hears about changes of state, not every pass: the first
        // failure of a run (with its reason), the recovery, and what was delivered.
        if (!report.ok() && failures == 1)
            log_warning("sync failed (" + std::string(to_string(report.status)) + "): " + report.detail +
                        "; check-ins are kept and sent when the server is reachable");
        else if (report.ok() && was_failing)
            log_info("sync works again after " + std::to_string(was_failing) + " failed attempt(s)");
        if (report.delivered > 0 || report.rejected > 0)
            log_info("sync: " + std::to_string(report.delivered) + " delivered, " + std::to_string(report.rejected) +
                     " refused for good, " + std::to_string(report.pending_after) + " waiting");
        was_failing = report.ok() ? 0 : failures;

        bool notify = report.changed;
        {
            std::lock_guard lock(mu_);
            notify |= snap_.status != report.status || snap_.pending != report.pending_after;
            snap_.status = report.status;
            snap_.detail = report.ok() ? std::string() : report.detail;
            snap_.failures_in_a_row = failures;
            if (report.status != SyncStatus::LocalError) snap_.pending = report.pending_after;
            ++snap_.passes;
            snap_.requests += report.requests;
            if (report.ok()) snap_.last_success = clock_.now();
            snap_.next_pass_in = delay;
            backing_off_ = !report.ok();
        }
        if (notify && on_change_) on_change_();

        std::unique_lock lock(mu_);
        cv_.wait_for(lock, delay, [&] { return stop_ || wake_; });
        wake_ = false;
        if (stop_) return;
    }
}

}  // namespace studio::sync
