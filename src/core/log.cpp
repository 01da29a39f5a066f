#include "core/log.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace studio {

namespace {

struct LogState {
    std::mutex mu;
    LogLevel level = LogLevel::Info;
    std::string program = "studio-kiosk";
    std::function<void(LogLevel, const std::string&)> sink;
};

LogState& state() {
    static LogState s;
    return s;
}

const char* level_name(LogLevel l) {
    switch (l) {
        case LogLevel::Error: return "error";
        case LogLevel::Warning: return "warning";
        case LogLevel::Info: return "info";
        case LogLevel::Debug: return "debug";
    }
    return "info";
}

}  // namespace

bool log_level_from_name(std::string_view name, LogLevel& out) {
    for (LogLevel l : {LogLevel::Error, LogLevel::Warning, LogLevel::Info, LogLevel::Debug})
        if (name == level_name(l)) {
            out = l;
            return true;
        }
    return false;
}

void set_log_level(LogLevel level) {
    std::lock_guard lock(state().mu);
    state().level = level;
}

void set_log_program(std::string name) {
    std::lock_guard lock(state().mu);
    state().program = std::move(name);
}

void set_log_sink(std::function<void(LogLevel, const std::string&)> sink) {
    std::lock_guard lock(state().mu);
    state().sink = std::move(sink);
}

void log_message(LogLevel level, const std::string& message) {
    LogState& s = state();
    std::lock_guard lock(s.mu);
    if (static_cast<int>(level) > static_cast<int>(s.level)) return;
    if (s.sink) {
        s.sink(level, message);
        return;
    }
    // systemd sets JOURNAL_STREAM when stderr is the journal.
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    if (journal)
        std::fprintf(stderr, "<%d>%s\n", static_cast<int>(level), message.c_str());
    else
        std::fprintf(stderr, "%s: %s: %s\n", s.program.c_str(), level_name(level), message.c_str());
    std::fflush(stderr);
}

}  // namespace studio
