// The coach and manager screens behind the staff door. Like the public screens,
// they draw a read-only FlowState plus the data the app prepared (StaffInfo)
// and append events.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "ui/screens.h"

namespace studio {

struct StaffClassRow {
    ClassId id = 0;             // 0: visits without a class
    std::string label;          // "18:00  Upper back opening"
    std::string coach;
    int arrived = 0;
};

struct StaffMemberRow {
    std::string uuid;
    std::string name;           // full name: staff may see it
    std::string time;           // "17:52"
    int session = 0;
    std::string milestone_key;  // "milestone.first", ... or empty
    std::string pass_state;     // active, unlimited, empty, expired, none
    bool pass_alert = false;
};

struct StaffResult {
    ClientId id = 0;
    std::string name;           // full name
    std::string detail;         // member code
};

// Everything the staff screens show that is not in FlowState, prepared by the app.
struct StaffInfo {
    std::string date;
    std::vector<StaffClassRow> classes;
    ClassId shown_class = -1;               // the class whose group is shown
    std::string shown_label;
    std::vector<StaffMemberRow> group;
    std::vector<StaffResult> results;       // staff search
    std::string focus_title, focus_body;
    // manager
    int pending = 0;
    std::string last_success;               // "today 18:04", "never"
    std::string last_error;                 // plain words, empty when none
    std::vector<std::pair<std::string, std::string>> targets;   // label, path
    std::string range_label;                // "1 Nov 2026 - 30 Nov 2026"
    std::vector<std::pair<std::string, int>> weeks;             // "16 Nov", count
    std::array<int, 7> weekdays{};          // Monday first
    float export_progress = 0;              // 0..1 while exporting
    // health: alerts for both roles (amber, plain words); the rest on the manager's Sync tab
    std::vector<std::string> alerts;        // storage full or low, database replaced, backup failing
    bool alerts_to_ack = false;             // some alerts stay until a manager taps "Got it"
    std::string last_backup;                // "2026-11-21 03:00", "never"
    std::string storage_free;               // "12.4 GB"
};

void draw_staff_screens(const FlowState& s, const DrawContext& ctx, std::vector<Event>& out);

}  // namespace studio
