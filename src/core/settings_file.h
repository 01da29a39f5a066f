// The `key = value` files both programs are configured with: `#` starts a comment
// line, " # ..." after a value is a comment (a '#' inside a value, as in a URL
// fragment, is not), blank lines are ignored. Each program maps keys onto its own
// documented config struct.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace studio {

struct Setting {
    std::string key;
    std::string value;
    std::string where;   // "origin:LINE: ", to prefix messages about this setting
};

// Reads every setting in `text`; on a line that is not `key = value`, returns false
// with `error` naming the line.
bool read_settings(std::string_view text, const std::string& origin, std::vector<Setting>& out, std::string& error);

// "file:LINE: key: " for messages about `key` of a loaded config (just "key: " when
// the key was not in the file and its default is in use).
template <class Cfg>
std::string where_of(const Cfg& cfg, const std::string& key) {
    const auto w = cfg.where.find(key);
    return (w == cfg.where.end() ? std::string() : w->second) + key + ": ";
}

// Applies `text` onto `cfg` through a table of fields, each `{key{name, help}, set}`
// with `bool set(Cfg&, std::string_view)`; records where each key was set in
// `cfg.where`. Throws `Error` naming the line of an unknown key or a bad value.
template <class Error, class Cfg, class Fields>
void apply_settings(Cfg& cfg, std::string_view text, const std::string& origin, const Fields& fields) {
    std::vector<Setting> settings;
    std::string error;
    if (!read_settings(text, origin, settings, error)) throw Error(error);
    for (const auto& st : settings) {
        const auto f = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return st.key == f.key.name; });
        if (f == fields.end()) throw Error(st.where + "unknown setting \"" + st.key + "\"");
        if (!f->set(cfg, st.value)) throw Error(st.where + "bad value for " + st.key + " (" + f->key.help + ")");
        cfg.where[st.key] = st.where;
    }
}

}  // namespace studio
