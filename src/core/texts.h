// Client-facing texts by language, loaded from assets/texts/<lang>.txt.
// Format: `key = value` per line, `#` comments, `\n` for a line break, {placeholders}.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace studio {

enum class Lang { En, Ru };
std::string_view lang_code(Lang l);                 // "en", "ru"
bool lang_from_code(std::string_view code, Lang& out);

class TextsError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Texts {
public:
    // Parses one language's file; throws TextsError naming the line of a malformed entry.
    void load(Lang lang, std::string_view content);
    // The text for `key`; falls back to English, then to the key itself (visible, never empty).
    const std::string& get(Lang lang, std::string_view key) const;
    // get() with {name} placeholders replaced; unknown placeholders stay as written.
    std::string format(Lang lang, std::string_view key,
                       const std::vector<std::pair<std::string_view, std::string>>& args = {}) const;
    std::vector<std::string> keys(Lang lang) const;
    bool has(Lang lang, std::string_view key) const;

private:
    std::map<std::string, std::string, std::less<>> table_[2];
    mutable std::map<std::string, std::string, std::less<>> missing_;
};

// A date as people read it: "31 Dec 2026" / "31.12.2026", or without the year
// "31 Dec" / "31.12". Anything that is not YYYY-MM-DD comes back as it is.
std::string display_date(const std::string& iso, Lang lang, bool with_year = true);

// The texts built into the binary from assets/texts (see embedded.h).
const Texts& builtin_texts();

}  // namespace studio
