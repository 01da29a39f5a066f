// Sync protocol codec
//  - a strict field reader with paths in its messages
//  - records: client, pass, class, focus, check-in, void
//  - push items: client, checkin, void, focus
//  - push request and response, changes page, errors
#include "sync/protocol.h"

#include <nlohmann/json.hpp>

#include "core/client_import.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/rules.h"
#include "core/uuid.h"

namespace studio::sync {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxText = kSyncMaxText;           // names, titles, coach (bytes)
constexpr std::size_t kMaxLongText = kSyncMaxLongText;   // focus body
constexpr std::size_t kMaxUid = 64;
constexpr std::size_t kMaxPhone = 64;
constexpr std::size_t kMaxEmail = 320;
// Every client the CSV import accepts (kiosk or server) must fit in a message.
static_assert(kImportMaxName <= kMaxText && kImportMaxPhone <= kMaxPhone && kImportMaxEmail <= kMaxEmail);
constexpr std::int64_t kMaxSeconds = std::int64_t{1} << 40;
constexpr int kMaxCount = 1000000;

// Brackets outside strings, counted before parsing: the DOM parser is not
// recursive, but nothing needs depth, and a cheap scan keeps it that way.
bool depth_ok(std::string_view s) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : s) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') in_string = true;
        else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth) return false;
        } else if (c == ']' || c == '}') --depth;
    }
    return true;
}

bool parse(std::string_view body, json& out, std::string& why) {
    if (!depth_ok(body)) {
        why = "JSON nested deeper than " + std::to_string(kMaxJsonDepth);
        return false;
    }
    out = json::parse(body.begin(), body.end(), nullptr, false);
    if (out.is_discarded()) {
        why = "not valid JSON";
        return false;
    }
    if (!out.is_object()) {
        why = "expected a JSON object";
        return false;
    }
    return true;
}

// Reads fields of one object; the first problem sticks (with its path) and later
// reads do nothing, so a decoder reads everything and checks ok() once.
class Reader {
public:
    Reader(const json& obj, std::string path, std::string& why) : obj_(obj), path_(std::move(path)), why_(why) {
        if (!obj_.is_object()) fail("", "expected an object");
    }
    bool ok() const { return ok_; }

    void fail(const std::string& field, const std::string& what) {
        if (!ok_) return;
        ok_ = false;
        std::string where = path_;
        if (!field.empty()) where += (where.empty() ? "" : ".") + field;
        why_ = (where.empty() ? "" : where + ": ") + what;
    }

    const json* get(const char* field, bool required) {
        if (!ok_) return nullptr;
        auto it = obj_.find(field);
        if (it == obj_.end() || it->is_null()) {
            if (required) fail(field, "missing");
            return nullptr;
        }
        return &*it;
    }

    std::string text(const char* field, bool required, std::size_t max_len, bool allow_empty = true) {
        const json* v = get(field, required);
        if (!v) return {};
        if (!v->is_string()) {
            fail(field, "expected a string");
            return {};
        }
        std::string s = v->get<std::string>();
        if (s.size() > max_len) fail(field, "longer than " + std::to_string(max_len) + " bytes");
        else if (!is_valid_utf8(s)) fail(field, "not valid UTF-8");
        else if (!allow_empty && s.empty()) fail(field, "empty");
        return s;
    }

    std::string uid(const char* field, bool required) {
        std::string s = text(field, required, kMaxUid, !required);
        for (char c : s)
            if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
                fail(field, "a uid is printable ASCII without spaces");
                break;
            }
        return s;
    }

    std::string uuid(const char* field) {
        std::string s = text(field, true, 36);
        if (ok_ && !is_uuid(s)) fail(field, "not a lowercase UUID");
        return s;
    }

    std::string date(const char* field, bool required) {
        std::string s = text(field, required, 10);
        if (ok_ && (required || !s.empty()) && !valid_date(s)) fail(field, "not a date (YYYY-MM-DD)");
        return s;
    }

    std::int64_t integer(const char* field, bool required, std::int64_t lo, std::int64_t hi) {
        const json* v = get(field, required);
        if (!v) return 0;
        if (!v->is_number_integer()) {
            fail(field, "expected a whole number");
            return 0;
        }
        std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)
                             ? hi + 1
                             : v->get<std::int64_t>();
        if (n < lo || n > hi) fail(field, "out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
        return n;
    }

    bool boolean(const char* field, bool required) {
        const json* v = get(field, required);
        if (!v) return false;
        if (!v->is_boolean()) {
            fail(field, "expected true or false");
            return false;
        }
        return v->get<bool>();
    }

    const json* array(const char* field, bool required, std::size_t max_items) {
        const json* v = get(field, required);
        if (!v) return nullptr;
        if (!v->is_array()) {
            fail(field, "expected an array");
            return nullptr;
        }
        if (v->size() > max_items) {
            fail(field, "more than " + std::to_string(max_items) + " entries");
            return nullptr;
        }
        return v;
    }

    const json* object(const char* field, bool required) {
        const json* v = get(field, required);
        if (v && !v->is_object()) {
            fail(field, "expected an object");
            return nullptr;
        }
        return v;
    }

    const std::string& path() const { return path_; }

private:
    const json& obj_;
    std::string path_;
    std::string& why_;
    bool ok_ = true;
};

std::string sub(const std::string& path, const std::string& field) { return path.empty() ? field : path + "." + field; }
std::string idx(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

json null_if_empty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// ---- records ----------------------------------------------------------------------

json to_json(const SyncClient& c) {
    return {{"uid", c.uid},           {"member_code", null_if_empty(c.member_code)},
            {"first_name", c.first_name}, {"last_name", c.last_name},
            {"phone", c.phone},       {"email", c.email},
            {"prior_sessions", c.prior_sessions}};
}

bool from_json(const json& j, const std::string& path, SyncClient& c, std::string& why) {
    Reader r(j, path, why);
    c.uid = r.uid("uid", true);
    c.member_code = r.text("member_code", false, 64);
    c.first_name = r.text("first_name", true, kMaxText);
    c.last_name = r.text("last_name", true, kMaxText);
    c.phone = r.text("phone", false, kMaxPhone);
    c.email = r.text("email", false, kMaxEmail);
    c.prior_sessions = static_cast<int>(r.integer("prior_sessions", false, 0, kMaxCount));
    return r.ok();
}

json to_json(const SyncPass& p) {
    return {{"client_uid", p.client_uid},
            {"sessions_total", p.sessions_total ? json(*p.sessions_total) : json(nullptr)},
            {"valid_from", p.valid_from},
            {"valid_until", p.valid_until}};
}

bool from_json(const json& j, const std::string& path, SyncPass& p, std::string& why) {
    Reader r(j, path, why);
    p.client_uid = r.uid("client_uid", true);
    if (r.get("sessions_total", false)) p.sessions_total = static_cast<int>(r.integer("sessions_total", true, 0, kMaxCount));
    p.valid_from = r.date("valid_from", true);
    p.valid_until = r.date("valid_until", true);
    if (r.ok() && p.valid_until < p.valid_from) r.fail("valid_until", "before valid_from");
    return r.ok();
}

json to_json(const SyncClass& c) {
    return {{"uid", c.uid},     {"starts_at", c.starts_at}, {"duration_min", c.duration_min},
            {"title", c.title}, {"coach", c.coach},         {"focus", c.focus}};
}

bool from_json(const json& j, const std::string& path, SyncClass& c, std::string& why) {
    Reader r(j, path, why);
    c.uid = r.uid("uid", true);
    c.starts_at = r.integer("starts_at", true, 0, kMaxSeconds);
    c.duration_min = static_cast<int>(r.integer("duration_min", true, 1, 24 * 60));
    c.title = r.text("title", false, kMaxText);
    c.coach = r.text("coach", false, kMaxText);
    c.focus = r.text("focus", false, kMaxLongText);
    return r.ok();
}

json to_json(const SyncFocus& f) { return {{"date", f.date}, {"title", f.title}, {"body", f.body}}; }

bool from_json(const json& j, const std::string& path, SyncFocus& f, std::string& why) {
    Reader r(j, path, why);
    f.date = r.date("date", true);
    f.title = r.text("title", true, kMaxText);
    f.body = r.text("body", false, kMaxLongText);
    return r.ok();
}

json to_json(const SyncCheckIn& k, bool from_server) {
    json j = {{"uuid", k.uuid},
              {"client_uid", k.client_uid},
              {"class_uid", null_if_empty(k.class_uid)},
              {"wall_time", k.wall_time},
              {"local_date", k.local_date},
              {"clock_synced", k.clock_synced},
              {"monotonic_ms", k.monotonic_ms},
              {"source", k.source},
              {"session_number", k.session_number},
              {"pass_state", k.pass_state},
              {"voided", k.voided}};
    if (k.voided) {
        j["voided_at"] = k.voided_at;
        j["voided_by"] = k.voided_by;
    }
    if (from_server) {
        j["device"] = k.device;
        j["received_at"] = k.received_at;
        j["time_flag"] = null_if_empty(k.time_flag);
    }
    return j;
}

bool from_json(const json& j, const std::string& path, SyncCheckIn& k, std::string& why) {
    Reader r(j, path, why);
    k.uuid = r.uuid("uuid");
    k.client_uid = r.uid("client_uid", true);
    k.class_uid = r.uid("class_uid", false);
    k.wall_time = r.integer("wall_time", true, 0, kMaxSeconds);
    k.local_date = r.date("local_date", true);
    k.clock_synced = r.boolean("clock_synced", true);
    k.monotonic_ms = r.integer("monotonic_ms", false, 0, std::int64_t{1} << 53);
    k.source = r.text("source", true, 16);
    if (r.ok() && !source_from_string(k.source)) r.fail("source", "expected self, coach or cli");
    k.session_number = static_cast<int>(r.integer("session_number", true, 0, kMaxCount));
    k.pass_state = r.text("pass_state", true, 16);
    if (r.ok() && !pass_kind_from_string(k.pass_state))
        r.fail("pass_state", "expected none, active, unlimited, empty or expired");
    k.voided = r.boolean("voided", false);
    if (k.voided) {
        k.voided_at = r.integer("voided_at", false, 0, kMaxSeconds);
        k.voided_by = r.text("voided_by", false, kMaxText);
    }
    k.device = r.text("device", false, kMaxText);
    k.received_at = r.integer("received_at", false, 0, kMaxSeconds);
    k.time_flag = r.text("time_flag", false, 64);
    return r.ok();
}

template <class T>
bool read_list(Reader& r, const char* field, std::size_t max_items, std::vector<T>& out, std::string& why) {
    const json* a = r.array(field, false, max_items);
    if (!r.ok()) return false;
    if (!a) return true;
    out.reserve(a->size());
    for (std::size_t i = 0; i < a->size(); ++i) {
        T item;
        if (!from_json((*a)[i], idx(sub(r.path(), field), i), item, why)) return false;
        out.push_back(std::move(item));
    }
    return true;
}

std::optional<OutboxKind> kind_from_string(std::string_view s) {
    if (s == "client") return OutboxKind::Client;
    if (s == "checkin") return OutboxKind::CheckIn;
    if (s == "void") return OutboxKind::Void;
    if (s == "focus") return OutboxKind::Focus;
    return std::nullopt;
}

std::optional<PushOutcome> outcome_from_string(std::string_view s) {
    if (s == "stored") return PushOutcome::Stored;
    if (s == "duplicate") return PushOutcome::Duplicate;
    if (s == "rejected") return PushOutcome::Rejected;
    return std::nullopt;
}

}  // namespace

// ---- push ---------------------------------------------------------------------------

std::string encode_push_request(const std::vector<OutboxItem>& items) {
    json arr = json::array();
    for (const auto& item : items) {
        json j = {{"kind", to_string(item.kind)}};
        switch (item.kind) {
            case OutboxKind::Client: j["client"] = to_json(item.client); break;
            case OutboxKind::CheckIn:
                j["checkin"] = to_json(item.checkin, false);
                j["client"] = to_json(item.client);
                if (item.cls) j["class"] = to_json(*item.cls);
                break;
            case OutboxKind::Void:
                j["void"] = {{"uuid", item.void_.uuid},
                             {"voided_at", item.void_.voided_at},
                             {"voided_by", item.void_.voided_by}};
                break;
            case OutboxKind::Focus:
                // Flat: the focus fields sit next to "kind" (the date is the entry's ref).
                j["date"] = item.focus.date;
                j["title"] = item.focus.title;
                j["body"] = item.focus.body;
                break;
        }
        arr.push_back(std::move(j));
    }
    return json{{"items", std::move(arr)}}.dump();
}

bool decode_push_request(std::string_view body, PushRequest& out, std::string& why) {
    json doc;
    if (!parse(body, doc, why)) return false;
    Reader top(doc, "", why);
    const json* items = top.array("items", true, kMaxPushItems);
    if (!top.ok()) return false;
    out.items.clear();
    out.items.reserve(items->size());
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = idx("items", i);
        Reader r((*items)[i], path, why);
        OutboxItem item;
        const std::string kind = r.text("kind", true, 16);
        if (!r.ok()) return false;
        const auto k = kind_from_string(kind);
        if (!k) {
            r.fail("kind", "expected client, checkin, void or focus");
            return false;
        }
        item.kind = *k;
        switch (item.kind) {
            case OutboxKind::Client: {
                const json* c = r.object("client", true);
                if (!r.ok() || !from_json(*c, sub(path, "client"), item.client, why)) return false;
                item.ref = item.client.uid;
                break;
            }
            case OutboxKind::CheckIn: {
                const json* k2 = r.object("checkin", true);
                const json* c = r.object("client", true);
                const json* cls = r.object("class", false);
                if (!r.ok() || !from_json(*k2, sub(path, "checkin"), item.checkin, why) ||
                    !from_json(*c, sub(path, "client"), item.client, why))
                    return false;
                if (cls) {
                    SyncClass sc;
                    if (!from_json(*cls, sub(path, "class"), sc, why)) return false;
                    item.cls = sc;
                }
                if (item.client.uid != item.checkin.client_uid) {
                    why = path + ".client.uid: differs from checkin.client_uid";
                    return false;
                }
                if (item.checkin.class_uid.empty() != !item.cls ||
                    (item.cls && item.cls->uid != item.checkin.class_uid)) {
                    why = path + ".class: must be present exactly when checkin.class_uid is, with the same uid";
                    return false;
                }
                item.ref = item.checkin.uuid;
                break;
            }
            case OutboxKind::Void: {
                const json* v = r.object("void", true);
                if (!r.ok()) return false;
                Reader vr(*v, sub(path, "void"), why);
                item.void_.uuid = vr.uuid("uuid");
                item.void_.voided_at = vr.integer("voided_at", true, 0, kMaxSeconds);
                item.void_.voided_by = vr.text("voided_by", false, kMaxText);
                if (!vr.ok()) return false;
                item.ref = item.void_.uuid;
                break;
            }
            case OutboxKind::Focus: {
                // The same rules as the admin's `focus set`: a real date, a title.
                item.focus.date = r.date("date", true);
                item.focus.title = r.text("title", true, kMaxText, false);
                item.focus.body = r.text("body", false, kMaxLongText);
                if (!r.ok()) return false;
                item.ref = item.focus.date;
                break;
            }
        }
        out.items.push_back(std::move(item));
    }
    return true;
}

std::string encode_push_response(const std::vector<PushItemResult>& results, std::int64_t server_time) {
    json arr = json::array();
    for (const auto& r : results) {
        json j = {{"ref", r.ref}, {"result", to_string(r.result)}};
        if (r.result == PushOutcome::Duplicate) j["canonical"] = r.canonical;
        if (r.canonical_checkin) j["checkin"] = to_json(*r.canonical_checkin, true);
        if (r.result == PushOutcome::Rejected) j["reason"] = r.reason;
        arr.push_back(std::move(j));
    }
    return json{{"results", std::move(arr)}, {"server_time", server_time}}.dump();
}

bool decode_push_response(std::string_view body, std::size_t expected, std::vector<PushItemResult>& out,
                          std::string& why) {
    json doc;
    if (!parse(body, doc, why)) return false;
    Reader top(doc, "", why);
    const json* results = top.array("results", true, kMaxPushItems);
    if (!top.ok()) return false;
    if (results->size() != expected) {
        why = "results: " + std::to_string(results->size()) + " answers for " + std::to_string(expected) + " items";
        return false;
    }
    out.clear();
    for (std::size_t i = 0; i < results->size(); ++i) {
        Reader r((*results)[i], idx("results", i), why);
        PushItemResult res;
        res.ref = r.text("ref", true, kMaxUid);
        const std::string result = r.text("result", true, 16);
        res.canonical = r.text("canonical", false, kMaxUid);
        res.reason = r.text("reason", false, kMaxText);
        const json* k = r.object("checkin", false);
        if (!r.ok()) return false;
        const auto o = outcome_from_string(result);
        if (!o) {
            r.fail("result", "expected stored, duplicate or rejected");
            return false;
        }
        res.result = *o;
        if (k) {
            SyncCheckIn c;
            if (!from_json(*k, sub(idx("results", i), "checkin"), c, why)) return false;
            res.canonical_checkin = c;
        }
        out.push_back(std::move(res));
    }
    return true;
}

// ---- changes ------------------------------------------------------------------------

std::string encode_changes(const ChangesPage& page, std::int64_t server_time) {
    json clients = json::array(), passes = json::array(), classes = json::array(), focus = json::array(),
         checkins = json::array();
    for (const auto& c : page.clients) clients.push_back(to_json(c));
    for (const auto& p : page.passes) passes.push_back(to_json(p));
    for (const auto& c : page.classes) classes.push_back(to_json(c));
    for (const auto& f : page.focus) focus.push_back(to_json(f));
    for (const auto& k : page.checkins) checkins.push_back(to_json(k, true));
    return json{{"cursor", page.cursor},   {"more", page.more},     {"clients", clients},
                {"passes", passes},        {"classes", classes},    {"focus", focus},
                {"checkins", checkins},    {"server_time", server_time}}
        .dump();
}

bool decode_changes(std::string_view body, ChangesPage& out, std::string& why) {
    json doc;
    if (!parse(body, doc, why)) return false;
    Reader r(doc, "", why);
    out = ChangesPage{};
    out.cursor = r.integer("cursor", true, 0, std::int64_t{1} << 53);
    out.more = r.boolean("more", true);
    if (!r.ok()) return false;
    constexpr std::size_t kMax = 100000;
    return read_list(r, "clients", kMax, out.clients, why) && read_list(r, "passes", kMax, out.passes, why) &&
           read_list(r, "classes", kMax, out.classes, why) && read_list(r, "focus", kMax, out.focus, why) &&
           read_list(r, "checkins", kMax, out.checkins, why);
}

// ---- changes query ----------------------------------------------------------------------

bool parse_whole_number(std::string_view s, std::int64_t max, std::int64_t& out) {
    if (s.empty() || s.size() > 16) return false;
    std::int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        n = n * 10 + (c - '0');
    }
    if (n > max) return false;
    out = n;
    return true;
}

bool decode_changes_query(const std::multimap<std::string, std::string>& params, std::int64_t max_limit,
                          ChangesQuery& out, std::string& why) {
    out = ChangesQuery{};
    const auto first = [&](const char* name) -> const std::string* {
        const auto it = params.lower_bound(name);
        return it != params.end() && it->first == name ? &it->second : nullptr;
    };
    if (const std::string* c = first("cursor"); c && !parse_whole_number(*c, std::int64_t{1} << 53, out.cursor)) {
        why = "cursor: expected a whole number from 0";
        return false;
    }
    if (const std::string* l = first("limit"); l && (!parse_whole_number(*l, max_limit, out.limit) || out.limit < 1)) {
        why = "limit: expected a number from 1 to " + std::to_string(max_limit);
        return false;
    }
    return true;
}

// ---- errors ---------------------------------------------------------------------------

std::string encode_error(std::string_view code, std::string_view reason) {
    return json{{"error", std::string(code)}, {"reason", std::string(reason)}}.dump(-1, ' ', false,
                                                                                  json::error_handler_t::replace);
}

std::string error_reason(std::string_view body) {
    if (body.size() > 4096 || !depth_ok(body)) return {};
    json doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return {};
    auto it = doc.find("reason");
    if (it == doc.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

}  // namespace studio::sync
