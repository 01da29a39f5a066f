#include "core/texts.h"

#include <cstdio>

#include "core/clock.h"
#include "core/embedded.h"
#include "core/text_fold.h"

namespace studio {

std::string_view lang_code(Lang l) { return l == Lang::Ru ? "ru" : "en"; }

bool lang_from_code(std::string_view code, Lang& out) {
    if (code == "en") { out = Lang::En; return true; }
    if (code == "ru") { out = Lang::Ru; return true; }
    return false;
}

void Texts::load(Lang lang, std::string_view content) {
    auto& table = table_[static_cast<int>(lang)];
    if (content.substr(0, 3) == "\xEF\xBB\xBF") content.remove_prefix(3);
    std::size_t line_no = 0;
    while (!content.empty()) {
        ++line_no;
        const auto nl = content.find('\n');
        std::string_view line = trim(content.substr(0, nl));
        content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos || trim(line.substr(0, eq)).empty())
            throw TextsError("texts (" + std::string(lang_code(lang)) + ") line " +
                             std::to_string(line_no) + ": expected `key = value`");
        std::string value;
        for (std::string_view v = trim(line.substr(eq + 1)); !v.empty(); v.remove_prefix(1)) {
            if (v.front() == '\\' && v.size() > 1 && v[1] == 'n') {
                value += '\n';
                v.remove_prefix(1);
            } else {
                value += v.front();
            }
        }
        table[std::string(trim(line.substr(0, eq)))] = std::move(value);
    }
}

const std::string& Texts::get(Lang lang, std::string_view key) const {
    for (Lang l : {lang, Lang::En}) {
        const auto& t = table_[static_cast<int>(l)];
        if (auto it = t.find(key); it != t.end()) return it->second;
    }
    auto it = missing_.find(key);
    if (it == missing_.end()) it = missing_.emplace(std::string(key), std::string(key)).first;
    return it->second;
}

std::string Texts::format(Lang lang, std::string_view key,
                          const std::vector<std::pair<std::string_view, std::string>>& args) const {
    const std::string& t = get(lang, key);
    std::string out;
    out.reserve(t.size() + 16);
    for (std::size_t i = 0; i < t.size();) {
        if (t[i] == '{') {
            const auto close = t.find('}', i);
            if (close != std::string::npos) {
                const std::string_view name(t.data() + i + 1, close - i - 1);
                bool done = false;
                for (const auto& [k, v] : args)
                    if (k == name) { out += v; done = true; break; }
                if (done) { i = close + 1; continue; }
            }
        }
        out += t[i++];
    }
    return out;
}

std::vector<std::string> Texts::keys(Lang lang) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : table_[static_cast<int>(lang)]) out.push_back(k);
    return out;
}

bool Texts::has(Lang lang, std::string_view key) const {
    return table_[static_cast<int>(lang)].count(key) > 0;
}

std::string display_date(const std::string& iso, Lang lang, bool with_year) {
    int y, m, d;
    if (!parse_date(iso, y, m, d)) return iso;
    static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[32];
    if (lang == Lang::Ru) std::snprintf(buf, sizeof buf, with_year ? "%02d.%02d.%04d" : "%02d.%02d", d, m, y);
    else std::snprintf(buf, sizeof buf, with_year ? "%d %s %04d" : "%d %s", d, months[m - 1], y);
    return buf;
}

const Texts& builtin_texts() {
    static const Texts texts = [] {
        Texts t;
        t.load(Lang::En, embedded_file("texts/en.txt"));
        t.load(Lang::Ru, embedded_file("texts/ru.txt"));
        return t;
    }();
    return texts;
}

}  // namespace studio
