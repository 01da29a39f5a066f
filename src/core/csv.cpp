#include "core/csv.h"

#include <algorithm>
#include <cstdint>

namespace studio {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Reading state over the whole text. Lines are counted by LF, so a CRLF file
// and an LF file report the same line numbers.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  std::vector<CsvRecord> run() {
    std::vector<CsvRecord> out;
    while (pos_ < text_.size()) {
      if (skip_line_end()) continue;  // a blank line: nothing to return
      out.push_back(read_record());
    }
    return out;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  // Consumes LF or CRLF at the current position.
  bool skip_line_end() {
    if (peek() == '\n') {
      pos_ += 1;
      ++line_;
      return true;
    }
    if (peek() == '\r' && peek(1) == '\n') {
      pos_ += 2;
      ++line_;
      return true;
    }
    return false;
  }

  // After an error the rest of the physical line is unreliable; restart after
  // the next LF so the following rows are still read.
  void skip_rest_of_line() {
    const std::size_t lf = text_.find('\n', pos_);
    if (lf == std::string_view::npos) {
      pos_ = text_.size();
    } else {
      pos_ = lf + 1;
      ++line_;
    }
  }

  CsvRecord read_record() {
    CsvRecord rec;
    rec.line = line_;
    for (;;) {
      std::string field;
      bool quoted = false;
      if (peek() == '"') {
        quoted = true;
        if (!read_quoted(field)) {
          rec.fields.push_back(std::move(field));
          rec.error = "unterminated quoted field";
          return rec;  // everything up to the end of input was swallowed
        }
      } else {
        read_unquoted(field);
      }
      rec.fields.push_back(std::move(field));

      if (at_end() || skip_line_end()) break;
      if (peek() == ',') {
        ++pos_;
        continue;  // a comma at the line end yields an empty last field
      }
      // Anything else is a syntax error at pos_.
      if (quoted) {
        rec.error = "character after closing quote";
      } else if (peek() == '"') {
        rec.error = "quote inside unquoted field";
      } else {
        rec.error = "carriage return without line feed";
      }
      skip_rest_of_line();
      return rec;
    }
    for (const std::string& f : rec.fields) {
      if (!is_valid_utf8(f)) {
        rec.error = "invalid UTF-8";
        break;
      }
    }
    return rec;
  }

  // pos_ is on the opening quote. Returns false when input ends first.
  bool read_quoted(std::string& field) {
    ++pos_;
    for (;;) {
      const std::size_t q = text_.find('"', pos_);
      const std::size_t stop = q == std::string_view::npos ? text_.size() : q;
      const std::string_view chunk = text_.substr(pos_, stop - pos_);
      line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
      field.append(chunk);
      pos_ = stop;
      if (q == std::string_view::npos) return false;
      if (peek(1) == '"') {  // doubled quote stands for one quote
        field.push_back('"');
        pos_ += 2;
        continue;
      }
      ++pos_;  // the closing quote
      return true;
    }
  }

  // Stops at a comma, CR, LF, quote or the end; the caller judges the stop.
  void read_unquoted(std::string& field) {
    std::size_t stop = text_.find_first_of(",\r\n\"", pos_);
    if (stop == std::string_view::npos) stop = text_.size();
    field.append(text_.substr(pos_, stop - pos_));
    pos_ = stop;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

bool needs_quotes(std::string_view v) {
  if (v.empty()) return false;
  if (v.find_first_of(",\"\r\n") != std::string_view::npos) return true;
  const auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
  if (is_blank(v.front()) || is_blank(v.back())) return true;
  // A leading BOM on the first cell of a file would be stripped when read back.
  return v.starts_with(kBom);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07u;
    } else {
      return false;  // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<std::uint8_t>(s[i + k]);
      if ((b & 0xC0u) != 0x80u) return false;
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    i += len;
  }
  return true;
}

std::vector<CsvRecord> parse_csv(std::string_view text) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  return Reader(text).run();
}

std::string csv_field(std::string_view value) {
  if (!needs_quotes(value)) return std::string(value);
  std::string out;
  out.reserve(value.size() + 2);
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string csv_line(const std::vector<std::string>& fields) {
  std::string out;
  if (fields.size() == 1 && fields.front().empty()) {
    out = "\"\"";
  } else {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i != 0) out.push_back(',');
      out += csv_field(fields[i]);
    }
  }
  out += "\r\n";
  return out;
}

std::string spreadsheet_safe(std::string_view value) {
  if (!value.empty()) {
    switch (value.front()) {
      case '=':
      case '+':
      case '-':
      case '@':
      case '\t':
      case '\r':
        return "'" + std::string(value);
      default:
        break;
    }
  }
  return std::string(value);
}

}  // namespace studio
