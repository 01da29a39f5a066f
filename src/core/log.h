// One place every message to the operator goes through. Under systemd, stderr is
// the journal: each line starts with its syslog priority ("<3>"), which journald
// turns into the entry's level. Elsewhere lines read "studio-kiosk: warning: ...".
//
// Messages name files, counts, ids and reasons. Never names, phone numbers,
// e-mail addresses, PINs or tokens: callers pass no personal data, and the tests
// check the kiosk's logs for it.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace studio {

enum class LogLevel { Error = 3, Warning = 4, Info = 6, Debug = 7 };   // syslog priorities

bool log_level_from_name(std::string_view name, LogLevel& out);   // error, warning, info, debug
void set_log_level(LogLevel level);                               // messages above it are dropped
void set_log_program(std::string name);                           // "studio-kiosk" by default

// Replaces stderr (tests). An empty function restores stderr.
void set_log_sink(std::function<void(LogLevel, const std::string&)> sink);

void log_message(LogLevel level, const std::string& message);
inline void log_error(const std::string& m) { log_message(LogLevel::Error, m); }
inline void log_warning(const std::string& m) { log_message(LogLevel::Warning, m); }
inline void log_info(const std::string& m) { log_message(LogLevel::Info, m); }
inline void log_debug(const std::string& m) { log_message(LogLevel::Debug, m); }

}  // namespace studio
