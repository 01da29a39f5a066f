// Carries out the coach and manager screens' effects on the store, and prepares
// what those screens show (StaffInfo). Runs on the UI thread between frames, except
// the file writing of an export, which runs on a thread of its own (ExportJob).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/search.h"
#include "store/export_files.h"
#include "store/kiosk_store.h"
#include "ui/flow.h"
#include "ui/staff_screens.h"

namespace studio {

// What the kiosk knows about its own health, kept by the app and read by the staff screens.
struct KioskHealth {
    std::optional<Seconds> storage_full_since;   // a write failed for lack of space (cleared by the next success)
    int refused = 0;                             // check-ins refused since then
    std::string data_dir;                        // the database's folder: free space is measured there
    std::string backup_dir;
};

// The dates an export preset covers, relative to `today`.
std::pair<std::string, std::string> preset_range(RangePreset preset, const std::string& today);

// Writing an export file off the UI thread, with progress; `wake` is called (from
// the job's thread) whenever there is something new to draw.
class ExportJob {
public:
    ExportJob(std::string dir, std::string file, std::string content, std::size_t rows, std::function<void()> wake);
    ~ExportJob();
    float progress() const { return progress_.load(); }
    bool finished() const { return finished_.load(); }
    const ExportResult& result() const { return result_; }   // only once finished()
    std::size_t rows() const { return rows_; }

private:
    std::size_t rows_;
    std::atomic<float> progress_{0};
    std::atomic<bool> finished_{false};
    ExportResult result_;
    std::thread thread_;
};

class StaffServices {
public:
    StaffServices(KioskStore& store, const KioskConfig& cfg, const Clock& clock, const SearchIndex& index);
    ~StaffServices();
    // Returns the events that report the effect's result.
    std::vector<Event> run(const StaffEffect& e, const FlowState& s);
    // Rebuilds what the staff screens show. May settle `s.staff.selected_class` when none was chosen.
    void refresh(FlowState& s, StaffInfo& info);
    // Called on every loop turn: reports a finished export.
    std::optional<Event> poll_export(StaffInfo& info, Lang lang);

    std::function<void()> wake;       // set by the app: wakes the UI loop from another thread
    std::function<void()> sync_now;   // set by the app when sync is configured
    std::string export_fallback_dir;  // offered after any USB drive
    std::string media_root = "/media";
    const KioskHealth* health = nullptr;   // set by the app

    // Below this much free space the staff screens warn (a check-in needs a few kB;
    // the warning comes weeks before the disk is full).
    static constexpr long long kStorageLowBytes = 200ll << 20;

private:
    void refresh_health(Lang lang, StaffInfo& info);
    KioskStore& store_;
    const KioskConfig& cfg_;
    const Clock& clock_;
    const SearchIndex& index_;
    std::unique_ptr<ExportJob> job_;
    std::vector<ExportTarget> targets_;
};

}  // namespace studio
