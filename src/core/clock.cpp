#include "core/clock.h"

#include <sys/timex.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace studio {

Seconds SystemClock::now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t SystemClock::monotonic_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool SystemClock::synchronised() const {
    // adjtimex reports TIME_ERROR while the kernel clock is not disciplined by NTP
    // (a Pi has no battery clock: after a cold boot without network it is wrong).
    struct timex tx = {};
    return adjtimex(&tx) != TIME_ERROR;
}

LocalTime to_local(Seconds t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    localtime_r(&tt, &tm);
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_wday};
}

Seconds from_local(const LocalTime& lt) {
    std::tm tm{};
    tm.tm_year = lt.year - 1900;
    tm.tm_mon = lt.month - 1;
    tm.tm_mday = lt.day;
    tm.tm_hour = lt.hour;
    tm.tm_min = lt.minute;
    tm.tm_sec = lt.second;
    tm.tm_isdst = -1;
    return static_cast<Seconds>(std::mktime(&tm));
}

std::string local_date(Seconds t) {
    LocalTime lt = to_local(t);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", lt.year, lt.month, lt.day);
    return buf;
}

std::string local_hhmm(Seconds t) {
    LocalTime lt = to_local(t);
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", lt.hour, lt.minute);
    return buf;
}

namespace {
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in_month(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}
// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): no time zone involved.
long days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
void civil_from_days(long z, int& y, int& m, int& d) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const long doe = z - era * 146097;
    const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
}  // namespace

bool parse_date(std::string_view s, int& y, int& m, int& d) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    auto num = [&](std::size_t at, std::size_t n, int& out) {
        out = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return false;
            out = out * 10 + (s[i] - '0');
        }
        return true;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return false;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool valid_date(std::string_view s) {
    int y, m, d;
    return parse_date(s, y, m, d);
}

int days_between(std::string_view from_date, std::string_view to_date) {
    int y1, m1, d1, y2, m2, d2;
    if (!parse_date(from_date, y1, m1, d1) || !parse_date(to_date, y2, m2, d2)) return 0;
    return static_cast<int>(days_from_civil(y2, m2, d2) - days_from_civil(y1, m1, d1));
}

std::string add_days(std::string_view date, int days) {
    int y, m, d;
    if (!parse_date(date, y, m, d)) return std::string(date);
    civil_from_days(days_from_civil(y, m, d) + days, y, m, d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

}  // namespace studio
