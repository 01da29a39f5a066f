#include "core/attendance.h"

#include "core/csv.h"

namespace studio {

const std::vector<std::string>& attendance_columns() {
    static const std::vector<std::string> cols = {
        "date", "time", "class", "class_start", "coach", "first_name", "last_name", "member_code",
        "session_number", "source", "pass_state", "clock_synced", "checkin_id"};
    return cols;
}

std::string attendance_csv_header() { return csv_line(attendance_columns()); }

std::string attendance_csv_row(const AttendanceRow& r) {
    // Free text gets the formula guard; dates, numbers and codes are written as they are.
    return csv_line({r.date, r.time, spreadsheet_safe(r.class_title), r.class_start, spreadsheet_safe(r.coach),
                     spreadsheet_safe(r.first_name), spreadsheet_safe(r.last_name), spreadsheet_safe(r.member_code),
                     std::to_string(r.session_number), r.source, r.pass_state, r.clock_synced ? "yes" : "no",
                     r.checkin_id});
}

}  // namespace studio
