// The studio's domain: clients, passes, classes, the day's focus and check-ins.
// Plain values, no I/O. Times are Unix seconds (UTC); dates are local "YYYY-MM-DD".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace studio {

using Seconds = std::int64_t;   // Unix time, UTC
using ClientId = std::int64_t;
using ClassId = std::int64_t;

struct Client {
    ClientId id = 0;
    std::string uid;             // global identity, shared with the server
    std::string first_name;
    std::string last_name;
    std::string phone;
    std::string email;
    std::string member_code;     // printed on the card / QR; may be empty for walk-ins
    int prior_sessions = 0;      // sessions attended before this system existed
};

// A pass covers the dates [valid_from, valid_until] (inclusive, local dates).
struct Pass {
    std::int64_t id = 0;
    ClientId client_id = 0;
    std::optional<int> sessions_total;   // nullopt: unlimited
    std::string valid_from;              // YYYY-MM-DD
    std::string valid_until;             // YYYY-MM-DD
};

struct ClassSession {
    ClassId id = 0;
    std::string uid;
    Seconds starts_at = 0;
    int duration_min = 60;
    std::string title;
    std::string coach;
    std::string focus;
};

struct DayFocus {
    std::string date;    // YYYY-MM-DD
    std::string title;
    std::string body;
};

enum class Source { Self, Coach, Cli };
std::string_view to_string(Source s);
std::optional<Source> source_from_string(std::string_view s);

struct CheckIn {
    std::string uuid;
    ClientId client_id = 0;
    std::optional<ClassId> class_id;
    Seconds wall_time = 0;
    std::string local_date;          // the studio's date at wall_time
    bool clock_synced = false;       // was the kiosk clock NTP-synchronised?
    std::int64_t monotonic_ms = 0;   // CLOCK_MONOTONIC reading, to detect clock jumps
    Source source = Source::Self;
    bool voided = false;
    int session_number = 0;          // as shown to the client
    std::string pass_state;          // as flagged at check-in (see PassStatus)
};

}  // namespace studio
