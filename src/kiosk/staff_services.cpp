#include "kiosk/staff_services.h"

#include "core/overloaded.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "core/attendance.h"
#include "core/milestones.h"
#include "core/texts.h"
#include "store/pins.h"
#include "store/self_care.h"
#include "store/staff_store.h"
#include "store/sync_store.h"

namespace studio {

namespace {

std::string month_start(const std::string& date) { return date.substr(0, 8) + "01"; }

Event done(std::string notice, bool error = false) { return ev::Staff{sev::Done{std::move(notice), error}}; }

}  // namespace

std::pair<std::string, std::string> preset_range(RangePreset preset, const std::string& today) {
    switch (preset) {
        case RangePreset::ThisMonth: return {month_start(today), today};
        case RangePreset::LastMonth: {
            const std::string last_day = add_days(month_start(today), -1);
            return {month_start(last_day), last_day};
        }
        case RangePreset::Last7Days: return {add_days(today, -6), today};
        case RangePreset::Today: return {today, today};
    }
    return {today, today};
}

// ---- export job -------------------------------------------------------------------

ExportJob::ExportJob(std::string dir, std::string file, std::string content, std::size_t rows,
                     std::function<void()> wake)
    : rows_(rows) {
    thread_ = std::thread([this, dir = std::move(dir), file = std::move(file), content = std::move(content),
                           wake = std::move(wake)] {
        result_ = write_export(dir, file, content, [&](std::size_t done, std::size_t total) {
            progress_ = total ? static_cast<float>(done) / static_cast<float>(total) : 1.0f;
            if (wake) wake();
        });
        finished_ = true;
        if (wake) wake();
    });
}

ExportJob::~ExportJob() {
    if (thread_.joinable()) thread_.join();
}

// ---- services -----------------------------------------------------------------------

StaffServices::StaffServices(KioskStore& store, const KioskConfig& cfg, const Clock& clock, const SearchIndex& index)
    : store_(store), cfg_(cfg), clock_(clock), index_(index) {}

StaffServices::~StaffServices() = default;

std::vector<Event> StaffServices::run(const StaffEffect& effect, const FlowState& s) {
    const std::string role = s.staff_role == StaffRole::Manager ? "manager" : "coach";
    const Texts& texts = builtin_texts();
    auto failed = [&](const std::exception& e) {
        return done(texts.format(s.lang, "coach.failed", {{"reason", e.what()}}), true);
    };
    return std::visit(
        overloaded{
            [&](const sfx::Refresh&) -> std::vector<Event> { return {}; },   // the app refreshes after effects
            [&](const sfx::Search&) -> std::vector<Event> { return {}; },    // results are part of refresh()
            [&](const sfx::CheckIn& c) -> std::vector<Event> {
                try {
                    const auto o = store_.check_in(c.client, Source::Coach, clock_, cfg_.rules,
                                                   c.cls > 0 ? ClassPick::of(c.cls) : ClassPick::none());
                    const std::string name = o.client.first_name + " " + o.client.last_name;
                    if (!o.recorded()) return {done(texts.format(s.lang, "coach.already", {{"name", name}}))};
                    return {done(texts.format(s.lang, "coach.checked_in",
                                              {{"name", name}, {"n", std::to_string(o.decision.session_number)}}))};
                } catch (const std::exception& e) {
                    return {failed(e)};
                }
            },
            [&](const sfx::Undo& u) -> std::vector<Event> {
                try {
                    void_checkin(store_, u.uuid, role, clock_);
                    return {done("coach.undone")};
                } catch (const std::exception& e) {
                    return {failed(e)};
                }
            },
            [&](const sfx::Move& mv) -> std::vector<Event> {
                try {
                    move_checkin(store_, mv.uuid, mv.to ? ClassPick::of(*mv.to) : ClassPick::none(), role, clock_);
                    return {done("coach.moved")};
                } catch (const std::exception& e) {
                    return {failed(e)};
                }
            },
            [&](const sfx::Export& x) -> std::vector<Event> {
                if (job_) return {};
                if (x.target < 0 || x.target >= static_cast<int>(targets_.size()))
                    return {ev::Staff{sev::ExportFinished{"export.no_folder", true}}};
                const auto [from, to] = preset_range(x.range, local_date(clock_.now()));
                std::string content, kind;
                std::size_t rows = 0;
                // The query runs here (milliseconds); only the slow part, the drive, is off-thread.
                switch (x.kind) {
                    case ExportKind::Rows: {
                        kind = "attendance";
                        const auto list = store_.attendance(from, to);
                        content = attendance_csv_header();
                        for (const auto& r : list) content += attendance_csv_row(r);
                        rows = list.size();
                        break;
                    }
                    case ExportKind::Clients: kind = "clients"; content = client_summary_csv(store_, from, to); break;
                    case ExportKind::Classes: kind = "classes"; content = class_summary_csv(store_, from, to); break;
                }
                if (x.kind != ExportKind::Rows)
                    for (char ch : content) rows += ch == '\n';
                if (rows > 0 && x.kind != ExportKind::Rows) --rows;   // the header
                // The kiosk's own folder is made on first use; a drive's folder never is
                // (if it is gone, the drive was pulled, and the manager should hear so).
                if (!targets_[x.target].removable) {
                    std::error_code ec;
                    std::filesystem::create_directories(targets_[x.target].path, ec);
                }
                job_ = std::make_unique<ExportJob>(targets_[x.target].path, export_file_name(kind, from, to),
                                                   std::move(content), rows, wake);
                return {};
            },
            [&](const sfx::SyncNow&) -> std::vector<Event> {
                if (!sync_now) return {done("manager.sync_off", true)};
                sync_now();
                return {};
            },
            [&](const sfx::AckHealth&) -> std::vector<Event> {
                if (role != "manager") return {};
                mark_health_events_seen(store_);
                return {};
            },
            [&](const sfx::SetFocus& f) -> std::vector<Event> {
                try {
                    // The day's focus and its outbox entry together: the override reaches the server.
                    const Seconds now = clock_.now();
                    set_focus_and_queue(store_, {local_date(now), f.title, f.body}, now);
                    return {done("manager.focus_saved")};
                } catch (const std::exception& e) {
                    return {failed(e)};
                }
            },
            [&](const sfx::SetPin& p) -> std::vector<Event> {
                try {
                    set_staff_pin(store_, p.role, p.pin);
                    return {done("manager.pin_saved")};
                } catch (const std::exception& e) {
                    return {failed(e)};
                }
            },
        },
        effect);
}

std::optional<Event> StaffServices::poll_export(StaffInfo& info, Lang lang) {
    if (!job_) return std::nullopt;
    info.export_progress = job_->progress();
    if (!job_->finished()) return std::nullopt;
    const ExportResult r = job_->result();
    const std::size_t rows = job_->rows();
    job_.reset();
    if (r.ok())
        return ev::Staff{sev::ExportFinished{
            builtin_texts().format(lang, "manager.export_done", {{"rows", std::to_string(rows)}, {"path", r.path}}),
            false}};
    static const char* const keys[] = {"", "export.no_folder", "export.read_only", "export.full", "export.io"};
    return ev::Staff{sev::ExportFinished{keys[static_cast<int>(r.error)], true}};
}

void StaffServices::refresh(FlowState& s, StaffInfo& info) {
    const Seconds now = clock_.now();
    const std::string today = local_date(now);
    info = StaffInfo{};
    info.date = today;

    // Coach: today's classes, the chosen one's group.
    for (const auto& c : classes_on(store_, today))
        info.classes.push_back({c.cls.id, c.cls.id ? local_hhmm(c.cls.starts_at) + "  " + c.cls.title : "", c.cls.coach,
                                c.arrived});
    if (s.staff.selected_class < 0) {
        // None chosen yet: the class open for check-in now, else the next, else the last.
        ClassId pick = -1;
        if (const auto c = choose_class(store_.classes_between(now - 3 * 3600, now + 3 * 3600), now, cfg_.rules)) pick = c->id;
        for (const auto& c : info.classes)
            if (pick < 0 && c.id > 0)
                if (auto cls = store_.class_by_id(c.id); cls && cls->starts_at >= now) pick = c.id;
        if (pick < 0 && !info.classes.empty()) pick = info.classes.back().id;
        s.staff.selected_class = pick < 0 ? 0 : pick;
    }
    info.shown_class = s.staff.selected_class;
    for (const auto& c : info.classes)
        if (c.id == info.shown_class) info.shown_label = c.label + (c.coach.empty() ? "" : "  ·  " + c.coach);
    for (const auto& m : group_of(store_, info.shown_class, today)) {
        StaffMemberRow r;
        r.uuid = m.checkin_uuid;
        r.name = m.client.first_name + " " + m.client.last_name;
        r.time = local_hhmm(m.arrived_at);
        r.session = m.session_number;
        r.milestone_key = std::string(milestone_key(m.milestone));
        r.pass_state = m.pass_state;
        r.pass_alert = m.pass_state == "empty" || m.pass_state == "expired" || m.pass_state == "none";
        info.group.push_back(r);
    }
    if (const auto f = store_.focus_on(today)) {
        info.focus_title = f->title;
        info.focus_body = f->body;
    }
    if (s.staff.view == StaffView::CoachSearch && !s.staff.query.empty()) {
        SearchLimits limits;
        limits.max_results = 6;
        for (const auto& h : index_.search(s.staff.query, limits))
            if (const auto c = store_.client_by_id(h.client_id))
                info.results.push_back({c->id, c->first_name + " " + c->last_name, c->member_code});
    }

    // Manager.
    if (s.staff.view == StaffView::Manager) {
        const SyncState st = sync_state(store_);
        info.pending = st.pending;
        info.last_success = st.last_success ? local_date(*st.last_success) + " " + local_hhmm(*st.last_success)
                                            : builtin_texts().get(s.lang, "manager.never");
        info.last_error = st.last_error;
        targets_ = export_targets(export_fallback_dir, media_root);
        for (const auto& t : targets_)
            info.targets.push_back({t.removable ? "USB: " + t.label : builtin_texts().get(s.lang, "manager.this_kiosk"), t.path});
        if (s.staff.export_target >= static_cast<int>(targets_.size())) s.staff.export_target = 0;
        const auto [from, to] = preset_range(s.staff.range, today);
        info.range_label = display_date(from, s.lang, false) + " – " + display_date(to, s.lang, false);
        for (const auto& w : attendance_by_week(store_, today)) info.weeks.push_back({display_date(w.week_start, s.lang, false), w.count});
        info.weekdays = attendance_by_weekday(store_, today);
    }
    refresh_health(s.lang, info);
    if (job_) info.export_progress = job_->progress();
}

namespace {

std::string human_bytes(long long b) {
    char buf[32];
    if (b >= (1ll << 30)) std::snprintf(buf, sizeof buf, "%.1f GB", double(b) / double(1ll << 30));
    else std::snprintf(buf, sizeof buf, "%lld MB", b >> 20);
    return buf;
}

}  // namespace

void StaffServices::refresh_health(Lang lang, StaffInfo& info) {
    const Texts& texts = builtin_texts();
    const auto when = [&](Seconds t) { return display_date(local_date(t), lang, false) + " " + local_hhmm(t); };
    if (health) {
        if (health->storage_full_since)
            info.alerts.push_back(texts.format(lang, "health.storage_full",
                                               {{"count", std::to_string(health->refused)},
                                                {"time", local_hhmm(*health->storage_full_since)}}));
        const long long free = free_bytes(health->data_dir);
        if (free >= 0) {
            info.storage_free = human_bytes(free);
            if (free < kStorageLowBytes && !health->storage_full_since)
                info.alerts.push_back(texts.format(lang, "health.storage_low", {{"free", info.storage_free}}));
        }
        const auto copies = list_backups(health->backup_dir);
        info.last_backup = texts.get(lang, "manager.never");
        std::error_code ec;
        if (!copies.empty()) {
            const auto t = std::filesystem::last_write_time(copies.front(), ec);
            if (!ec) {
                const auto sys = std::chrono::time_point_cast<std::chrono::seconds>(
                    t - std::filesystem::file_time_type::clock::now() + std::chrono::system_clock::now());
                info.last_backup = when(sys.time_since_epoch().count()) + "  (" + std::to_string(copies.size()) + ")";
            }
        }
    }
    for (const auto& e : unseen_health_events(store_)) {
        info.alerts_to_ack = true;
        if (e.kind == "repaired")
            info.alerts.push_back(texts.format(lang, "health.repaired",
                                               {{"when", when(e.at)}, {"saved", std::to_string(e.saved)},
                                                {"lost", std::to_string(e.lost)}, {"file", e.detail}}));
        else if (e.kind == "backup_failed")
            info.alerts.push_back(texts.format(lang, "health.backup_failed", {{"when", when(e.at)}}));
    }
}

}  // namespace studio
