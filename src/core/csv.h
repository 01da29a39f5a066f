// RFC 4180 CSV reading and writing for client import and attendance export.
// Pure C++: the kiosk, the server and the admin command lines share it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace studio {

// One record of a parsed file. When `error` is set the record is malformed:
// `fields` then holds only what was read before the problem, for diagnostics.
struct CsvRecord {
  std::size_t line = 0;              // 1-based physical line on which the record starts
  std::vector<std::string> fields;
  std::string error;                 // empty when the record is well-formed; else a short human reason
};

// Parses a whole file. Strips a UTF-8 BOM. Accepts CRLF and LF line ends (and a
// last line without one); a CR not followed by LF outside quotes is an error.
// Quoted fields may hold commas, doubled quotes and line breaks (kept verbatim;
// they advance the line counter). Blank lines (zero characters) are skipped.
// A malformed record is returned with `error` set and parsing resumes at the
// next physical line, so one bad row never hides the rows after it; an
// unterminated quote swallows the rest of the input and is reported at the
// line where its record starts. Invalid UTF-8 marks the record "invalid UTF-8".
std::vector<CsvRecord> parse_csv(std::string_view text);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points
// above U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Writing: RFC 4180. A field is quoted only when needed (comma, quote, CR, LF,
// leading or trailing space/tab, or a leading BOM); quotes inside are doubled.
std::string csv_field(std::string_view value);
// One record including its trailing "\r\n". A record with a single empty field
// is written as `""` so that it does not read back as a skipped blank line.
std::string csv_line(const std::vector<std::string>& fields);

// Spreadsheet formula-injection guard for text cells a manager opens in
// Excel/LibreOffice: a value starting with = + - @ TAB or CR gets a leading
// apostrophe. Use only on free-text cells (names), never on numbers or dates.
std::string spreadsheet_safe(std::string_view value);

}  // namespace studio
