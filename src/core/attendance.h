// The attendance CSV a manager opens in a spreadsheet; the kiosk and the server
// write the same columns (documented in schema/attendance-csv.md).
#pragma once

#include <string>
#include <vector>

namespace studio {

struct AttendanceRow {
    std::string date;          // YYYY-MM-DD, studio local
    std::string time;          // HH:MM, studio local
    std::string class_title;   // empty when the visit had no class
    std::string class_start;   // HH:MM of the class, empty without one
    std::string coach;
    std::string first_name;
    std::string last_name;
    std::string member_code;
    int session_number = 0;
    std::string source;        // self, coach, cli
    std::string pass_state;    // active, unlimited, empty, expired, none
    bool clock_synced = true;
    std::string checkin_id;    // the check-in's UUID
};

const std::vector<std::string>& attendance_columns();
std::string attendance_csv_header();
std::string attendance_csv_row(const AttendanceRow& r);

}  // namespace studio
