// studio-server's database: studios, devices and their tokens, clients, passes,
// classes, focus and every check-in, plus the push and changes-feed logic the
// protocol needs. One SQLite connection behind a mutex: the HTTP worker threads
// share it, and SQLite serialises writers anyway. SQL stays portable.
#pragma once

#include <SQLiteCpp/Database.h>

#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/attendance.h"
#include "core/model.h"
#include "store/kiosk_store.h"
#include "store/sync_store.h"

namespace studio::server {

enum class Role { Kiosk, Manager };
const char* to_string(Role r);

struct Device {
    std::int64_t id = 0;
    std::int64_t studio_id = 0;   // 0 for a manager without a studio
    std::string studio;
    std::string label;
    Role role = Role::Kiosk;
    bool revoked = false;
    std::optional<Seconds> last_seen;
};

// A usage or data problem an admin can fix (unknown studio, duplicate label).
class AdminError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct ScheduleReport {
    int inserted = 0, updated = 0;
    std::vector<ImportProblem> problems;
    bool imported = false;
};

// "sha256 hex" of a token, as stored.
std::string token_hash(std::string_view token);
// 32 random bytes, base64url: what `device add` prints once.
std::string new_token();

class ServerStore {
public:
    explicit ServerStore(const std::string& path);
    ~ServerStore();
    ServerStore(const ServerStore&) = delete;
    ServerStore& operator=(const ServerStore&) = delete;

    // ---- admin ----------------------------------------------------------------
    std::int64_t ensure_studio(const std::string& name);
    // Adds a kiosk of `studio` (or a manager when role is Manager; studio optional)
    // and returns its token: the only time it exists in clear.
    std::string add_device(const std::string& studio, const std::string& label, Role role, Seconds now);
    // Revokes the active device with this label (in `studio`, or a manager); false: none.
    bool revoke_device(const std::string& studio, const std::string& label, Role role, Seconds now);
    std::vector<Device> devices();
    // Same CSV and rules as the kiosk's import (core/client_import.h).
    ImportReport import_clients(std::string_view csv_text, bool skip_invalid, Seconds now);
    // Columns: date, start (HH:MM), duration_min, title, coach, focus, uid (optional).
    ScheduleReport import_schedule(const std::string& studio, std::string_view csv_text, bool skip_invalid);
    void set_focus(const std::string& studio, const SyncFocus& focus);
    std::vector<AttendanceRow> attendance(const std::string& studio, const std::string& from, const std::string& to);

    // ---- protocol ---------------------------------------------------------------
    // The active device holding this token, or nothing (unknown or revoked).
    std::optional<Device> authenticate(std::string_view token, Seconds now);
    // One result per item, in order; everything in one transaction.
    std::vector<PushItemResult> push(const Device& device, const std::vector<OutboxItem>& items, Seconds now);
    ChangesPage changes(const Device& device, std::int64_t cursor, std::size_t limit);

    // For tests and the admin status: rows in a table.
    int count(const std::string& table_and_where);

private:
    std::mutex mu_;
    std::unique_ptr<SQLite::Database> db_;
};

}  // namespace studio::server
