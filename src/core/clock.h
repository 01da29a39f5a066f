// Time as the rules see it: injected, so tests run on a fake clock.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"

namespace studio {

struct LocalTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    int weekday = 4;   // 0 = Sunday
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual Seconds now() const = 0;                // wall clock, UTC seconds
    virtual std::int64_t monotonic_ms() const = 0;
    virtual bool synchronised() const = 0;          // wall clock known good (NTP)
};

// The machine's clocks; synchronisation as the kernel reports it (adjtimex).
class SystemClock final : public Clock {
public:
    Seconds now() const override;
    std::int64_t monotonic_ms() const override;
    bool synchronised() const override;
};

class FakeClock final : public Clock {
public:
    explicit FakeClock(Seconds t = 0, bool synced = true) : t_(t), synced_(synced) {}
    Seconds now() const override { return t_; }
    std::int64_t monotonic_ms() const override { return mono_; }
    bool synchronised() const override { return synced_; }
    void set(Seconds t) { t_ = t; }
    void advance(Seconds s) { t_ += s; mono_ += s * 1000; }
    void set_synchronised(bool s) { synced_ = s; }
private:
    Seconds t_;
    std::int64_t mono_ = 0;
    bool synced_;
};

// Local (studio) time via the process time zone (TZ), as the Pi is configured.
LocalTime to_local(Seconds t);
Seconds from_local(const LocalTime& lt);            // fields year..second; DST resolved by mktime
std::string local_date(Seconds t);                  // YYYY-MM-DD
std::string local_hhmm(Seconds t);                  // HH:MM
bool parse_date(std::string_view s, int& y, int& m, int& d);   // strict YYYY-MM-DD, real calendar date
bool valid_date(std::string_view s);
int days_between(std::string_view from_date, std::string_view to_date);   // to - from, in days
std::string add_days(std::string_view date, int days);

}  // namespace studio
