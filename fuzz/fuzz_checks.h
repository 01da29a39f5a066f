// What the fuzz targets (fuzz/*.cpp) assert about one input, shared with the Catch2
// regression test (tests/server/test_fuzz_regressions.cpp) that replays the seed
// corpora and every input the fuzzers ever broke the code with.
//
// Each check feeds one input through the same decoding entry point the programs
// use and returns "" when the outcome is acceptable: a clear refusal (false with a
// reason), or a result whose invariants hold (encode -> decode round trips to the
// same bytes, text is valid UTF-8, limits hold). Otherwise it returns what broke.
// An exception escaping a decoder counts as broken: the server would answer 500
// and the kiosk would stop its sync pass instead of reporting a bad answer.
#pragma once

#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <exception>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/client_import.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/model.h"
#include "core/rules.h"
#include "core/settings_file.h"
#include "core/text_fold.h"
#include "core/uuid.h"
#include "server/server_config.h"
#include "sync/protocol.h"

namespace studio::fuzz {

namespace detail {

// Collects the first broken invariant.
class Verdict {
public:
    void expect(bool ok, const std::string& what) {
        if (!ok && first_.empty()) first_ = what;
    }
    bool broken() const { return !first_.empty(); }
    const std::string& str() const { return first_; }

private:
    std::string first_;
};

// A refusal must say why, briefly, in text that can go into a JSON error body.
inline void check_reason(Verdict& v, const std::string& why, const char* what) {
    v.expect(!why.empty(), std::string(what) + ": refused without a reason");
    v.expect(why.size() <= 300, std::string(what) + ": reason longer than 300 bytes: " + why.substr(0, 80));
    v.expect(is_valid_utf8(why), std::string(what) + ": reason is not valid UTF-8");
}

inline void check_client(Verdict& v, const SyncClient& c, const std::string& at) {
    v.expect(!c.uid.empty() && c.uid.size() <= 64, at + ".uid: empty or longer than 64 bytes");
    for (char ch : c.uid)
        v.expect(static_cast<unsigned char>(ch) > ' ' && static_cast<unsigned char>(ch) < 0x7f,
                 at + ".uid: not printable ASCII");
    for (const std::string* s : {&c.uid, &c.member_code, &c.first_name, &c.last_name, &c.phone, &c.email})
        v.expect(is_valid_utf8(*s), at + ": a text field is not valid UTF-8");
    v.expect(c.first_name.size() <= kSyncMaxText && c.last_name.size() <= kSyncMaxText, at + ": name too long");
    v.expect(c.prior_sessions >= 0, at + ".prior_sessions: negative");
}

inline void check_checkin(Verdict& v, const SyncCheckIn& k, const std::string& at) {
    v.expect(is_uuid(k.uuid), at + ".uuid: not a UUID");
    v.expect(valid_date(k.local_date), at + ".local_date: not a date");
    v.expect(source_from_string(k.source).has_value(), at + ".source: unknown");
    v.expect(pass_kind_from_string(k.pass_state).has_value(), at + ".pass_state: unknown");
    v.expect(k.wall_time >= 0 && k.session_number >= 0 && k.monotonic_ms >= 0, at + ": a negative number");
    for (const std::string* s : {&k.client_uid, &k.class_uid, &k.voided_by, &k.device, &k.time_flag})
        v.expect(is_valid_utf8(*s), at + ": a text field is not valid UTF-8");
    v.expect(!k.client_uid.empty(), at + ".client_uid: empty");
}

template <class F>
std::string guarded(const char* what, F&& f) {
    try {
        return f();
    } catch (const std::exception& e) {
        return std::string(what) + ": threw " + e.what();
    } catch (...) {
        return std::string(what) + ": threw a non-standard exception";
    }
}

}  // namespace detail

// ---- server: POST /api/v1/push body ------------------------------------------------------

inline std::string check_push_request(std::string_view body) {
    return detail::guarded("push request", [&]() -> std::string {
        detail::Verdict v;
        sync::PushRequest req;
        std::string why;
        if (!sync::decode_push_request(body, req, why)) {
            detail::check_reason(v, why, "push request");
            // The kiosk sets aside exactly the item a reason names ("items[N]..."): N must
            // be an item that was sent.
            if (why.rfind("items[", 0) == 0) {
                std::size_t n = 0;
                const auto [end, ec] = std::from_chars(why.data() + 6, why.data() + why.size(), n);
                const auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
                v.expect(ec == std::errc{} && *end == ']' && doc.is_object() && doc.contains("items") &&
                             doc["items"].is_array() && n < doc["items"].size(),
                         "push request: the reason names an item that was not sent: " + why);
            }
            return v.str();
        }
        v.expect(req.items.size() <= sync::kMaxPushItems, "more items than the protocol allows");
        for (std::size_t i = 0; i < req.items.size(); ++i) {
            const OutboxItem& it = req.items[i];
            const std::string at = "items[" + std::to_string(i) + "]";
            v.expect(!it.ref.empty(), at + ": empty ref");
            switch (it.kind) {
                case OutboxKind::Client:
                    detail::check_client(v, it.client, at + ".client");
                    v.expect(it.ref == it.client.uid, at + ": ref is not the client's uid");
                    break;
                case OutboxKind::CheckIn:
                    detail::check_checkin(v, it.checkin, at + ".checkin");
                    detail::check_client(v, it.client, at + ".client");
                    v.expect(it.ref == it.checkin.uuid, at + ": ref is not the check-in's uuid");
                    v.expect(it.client.uid == it.checkin.client_uid, at + ": client snapshot of another client");
                    v.expect(it.checkin.class_uid.empty() == !it.cls, at + ": class snapshot without class_uid or back");
                    if (it.cls) v.expect(it.cls->uid == it.checkin.class_uid, at + ": class snapshot of another class");
                    break;
                case OutboxKind::Void:
                    v.expect(is_uuid(it.void_.uuid) && it.ref == it.void_.uuid, at + ": void of a non-UUID");
                    v.expect(is_valid_utf8(it.void_.voided_by), at + ".voided_by: not valid UTF-8");
                    break;
                case OutboxKind::Focus:
                    v.expect(valid_date(it.focus.date) && it.ref == it.focus.date, at + ": focus without a date");
                    v.expect(!it.focus.title.empty() && it.focus.title.size() <= kSyncMaxText,
                             at + ": focus title empty or too long");
                    v.expect(it.focus.body.size() <= kSyncMaxLongText, at + ": focus body too long");
                    v.expect(is_valid_utf8(it.focus.title) && is_valid_utf8(it.focus.body), at + ": focus not UTF-8");
                    break;
            }
        }
        if (v.broken()) return v.str();
        // What the server accepted, the kiosk's encoder writes back to the same thing.
        const std::string once = sync::encode_push_request(req.items);
        sync::PushRequest again;
        if (!sync::decode_push_request(once, again, why)) return "push request: re-encoded request refused: " + why;
        v.expect(again.items.size() == req.items.size(), "push request: item count changed in a round trip");
        for (std::size_t i = 0; i < again.items.size() && i < req.items.size(); ++i)
            v.expect(again.items[i].kind == req.items[i].kind && again.items[i].ref == req.items[i].ref,
                     "push request: items[" + std::to_string(i) + "] changed kind or ref in a round trip");
        v.expect(sync::encode_push_request(again.items) == once, "push request: encode(decode(x)) is not stable");
        return v.str();
    });
}

// ---- server: GET /api/v1/changes query --------------------------------------------------------

// `query` is what follows '?' in the request target; cpp-httplib splits and
// percent-decodes it exactly as for a real request.
inline std::string check_changes_query(std::string_view query) {
    return detail::guarded("changes query", [&]() -> std::string {
        detail::Verdict v;
        httplib::Params params;
        httplib::detail::parse_query_text(std::string(query), params);
        for (const std::int64_t max_limit : {std::int64_t{1000}, std::int64_t{1}}) {
            sync::ChangesQuery q;
            std::string why;
            if (!sync::decode_changes_query(params, max_limit, q, why)) {
                detail::check_reason(v, why, "changes query");
                v.expect(why.rfind("cursor: ", 0) == 0 || why.rfind("limit: ", 0) == 0,
                         "changes query: reason does not name the parameter: " + why);
                continue;
            }
            v.expect(q.cursor >= 0 && q.cursor <= (std::int64_t{1} << 53), "changes query: cursor out of range");
            if (params.count("limit")) v.expect(q.limit >= 1 && q.limit <= max_limit, "changes query: limit out of range");
            else v.expect(q.limit == 500, "changes query: limit default is not 500");
            // The kiosk's own way of asking (src/sync/engine.cpp) reads back the same.
            httplib::Params p2;
            httplib::detail::parse_query_text(
                "cursor=" + std::to_string(q.cursor) + "&limit=" + std::to_string(q.limit), p2);
            sync::ChangesQuery q2;
            v.expect(sync::decode_changes_query(p2, std::max<std::int64_t>(max_limit, q.limit), q2, why) &&
                         q2.cursor == q.cursor && q2.limit == q.limit,
                     "changes query: the kiosk's form of this query reads back differently");
        }
        // The number reader alone, against std::from_chars.
        std::int64_t n = -1, oracle = -1;
        const bool ok = sync::parse_whole_number(query, std::int64_t{1} << 50, n);
        const bool digits = !query.empty() && query.size() <= 16 &&
                            query.find_first_not_of("0123456789") == std::string_view::npos;
        const bool fits = digits &&
                          std::from_chars(query.data(), query.data() + query.size(), oracle).ec == std::errc{} &&
                          oracle <= (std::int64_t{1} << 50);
        v.expect(ok == fits, "parse_whole_number: accepts what it should refuse or the other way round");
        if (ok && fits) v.expect(n == oracle, "parse_whole_number: wrong value");
        return v.str();
    });
}

// ---- kiosk: the server's answers ------------------------------------------------------------

inline std::string check_push_response(std::string_view body) {
    return detail::guarded("push response", [&]() -> std::string {
        detail::Verdict v;
        // How many items the kiosk sent: the answer's own count, so that decoding gets past it.
        std::size_t expected = 0;
        const auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
        if (doc.is_object() && doc.contains("results") && doc["results"].is_array()) expected = doc["results"].size();
        std::vector<PushItemResult> out;
        std::string why;
        if (!sync::decode_push_response(body, expected, out, why)) {
            detail::check_reason(v, why, "push response");
            return v.str();
        }
        v.expect(out.size() == expected, "push response: result count differs from the items sent");
        for (std::size_t i = 0; i < out.size(); ++i) {
            const std::string at = "results[" + std::to_string(i) + "]";
            v.expect(!out[i].ref.empty() && is_valid_utf8(out[i].ref), at + ".ref: empty or not UTF-8");
            v.expect(is_valid_utf8(out[i].canonical) && is_valid_utf8(out[i].reason), at + ": text not UTF-8");
            if (out[i].canonical_checkin) detail::check_checkin(v, *out[i].canonical_checkin, at + ".checkin");
        }
        std::vector<PushItemResult> wrong;
        std::string why2;
        v.expect(!sync::decode_push_response(body, expected + 1, wrong, why2),
                 "push response: accepted for a different number of items sent");
        if (v.broken()) return v.str();
        const std::string once = sync::encode_push_response(out, 1795190410);
        std::vector<PushItemResult> again;
        if (!sync::decode_push_response(once, out.size(), again, why))
            return "push response: re-encoded answer refused: " + why;
        v.expect(sync::encode_push_response(again, 1795190410) == once, "push response: encode(decode(x)) is not stable");
        return v.str();
    });
}

inline std::string check_changes_page(std::string_view body) {
    return detail::guarded("changes page", [&]() -> std::string {
        detail::Verdict v;
        ChangesPage page;
        std::string why;
        if (!sync::decode_changes(body, page, why)) {
            detail::check_reason(v, why, "changes page");
            return v.str();
        }
        v.expect(page.cursor >= 0 && page.cursor <= (std::int64_t{1} << 53), "changes page: cursor out of range");
        for (std::size_t i = 0; i < page.clients.size(); ++i)
            detail::check_client(v, page.clients[i], "clients[" + std::to_string(i) + "]");
        for (const auto& p : page.passes) {
            v.expect(valid_date(p.valid_from) && valid_date(p.valid_until) && p.valid_from <= p.valid_until,
                     "changes page: a pass with bad dates");
            v.expect(!p.sessions_total || *p.sessions_total >= 0, "changes page: a pass with negative sessions");
        }
        for (const auto& c : page.classes)
            v.expect(!c.uid.empty() && c.duration_min >= 1 && c.duration_min <= 24 * 60 && c.starts_at >= 0,
                     "changes page: a class out of range");
        for (const auto& f : page.focus) v.expect(valid_date(f.date), "changes page: a focus without a date");
        for (std::size_t i = 0; i < page.checkins.size(); ++i)
            detail::check_checkin(v, page.checkins[i], "checkins[" + std::to_string(i) + "]");
        if (v.broken()) return v.str();
        const std::string once = sync::encode_changes(page, 1795190410);
        ChangesPage again;
        if (!sync::decode_changes(once, again, why)) return "changes page: re-encoded page refused: " + why;
        v.expect(sync::encode_changes(again, 1795190410) == once, "changes page: encode(decode(x)) is not stable");
        v.expect(again.cursor == page.cursor && again.more == page.more &&
                     again.clients.size() == page.clients.size() && again.passes.size() == page.passes.size() &&
                     again.classes.size() == page.classes.size() && again.focus.size() == page.focus.size() &&
                     again.checkins.size() == page.checkins.size(),
                 "changes page: a round trip changed the page");
        return v.str();
    });
}

inline std::string check_error_body(std::string_view body) {
    return detail::guarded("error body", [&]() -> std::string {
        detail::Verdict v;
        const std::string reason = sync::error_reason(body);
        v.expect(is_valid_utf8(reason), "error body: reason is not valid UTF-8");
        // error_reason reads bodies up to 4 KiB; within that, what it found comes back.
        const std::string again = sync::encode_error("bad_request", reason);
        if (again.size() <= 4096)
            v.expect(sync::error_reason(again) == reason, "error body: encode_error/error_reason do not round-trip");
        return v.str();
    });
}

// Every kind of answer the kiosk decodes, from one body.
inline std::string check_server_reply(std::string_view body) {
    for (auto* f : {&check_push_response, &check_changes_page, &check_error_body})
        if (std::string r = f(body); !r.empty()) return r;
    return {};
}

// ---- CSV and the client import -----------------------------------------------------------------

inline std::string check_csv(std::string_view text) {
    return detail::guarded("csv", [&]() -> std::string {
        detail::Verdict v;
        const auto recs = parse_csv(text);
        std::size_t last_line = 0;
        std::string rewritten;
        std::vector<std::vector<std::string>> good;
        for (const auto& r : recs) {
            v.expect(r.line > last_line, "csv: record lines do not increase");
            last_line = r.line;
            v.expect(!r.fields.empty(), "csv: a record without fields");
            if (!r.error.empty()) continue;
            for (const auto& f : r.fields) v.expect(is_valid_utf8(f), "csv: a well-formed record with invalid UTF-8");
            good.push_back(r.fields);
            rewritten += csv_line(r.fields);
        }
        if (v.broken()) return v.str();
        // The well-formed records, written by our writer, read back the same.
        const auto back = parse_csv(rewritten);
        v.expect(back.size() == good.size(), "csv: written records read back as a different number");
        for (std::size_t i = 0; i < back.size() && i < good.size(); ++i) {
            v.expect(back[i].error.empty(), "csv: a written record reads back malformed: " + back[i].error);
            v.expect(back[i].fields == good[i], "csv: a written record reads back different");
        }
        return v.str();
    });
}

inline std::string check_client_import(std::string_view text) {
    return detail::guarded("client import", [&]() -> std::string {
        detail::Verdict v;
        const ParsedImport p = parse_client_csv(text);
        const auto recs = parse_csv(text);
        if (!p.header_ok) {
            v.expect(p.rows.empty() && p.problems.size() == 1, "client import: a bad header must be the one problem");
            return v.str();
        }
        // Every data record is either imported or reported, once.
        v.expect(p.rows.size() + p.problems.size() + 1 == recs.size(), "client import: a record was lost or doubled");
        std::size_t last = 1;
        for (const auto& pr : p.problems) {
            v.expect(pr.line > last && !pr.reason.empty(), "client import: problems out of order or without reason");
            last = pr.line;
        }
        std::set<std::string> codes;
        std::string csv = "first_name,last_name,phone,email,member_code,prior_sessions,pass_sessions,pass_valid_from,"
                          "pass_valid_until\n";
        for (const ImportRow& r : p.rows) {
            const Client& c = r.client;
            for (const std::string* s : {&c.first_name, &c.last_name, &c.phone, &c.email, &c.member_code})
                v.expect(is_valid_utf8(*s), "client import: an imported field is not valid UTF-8");
            v.expect(!c.first_name.empty() && !c.last_name.empty() && !c.member_code.empty(),
                     "client import: a required field is empty");
            v.expect(c.prior_sessions >= 0 && c.prior_sessions <= 100000, "client import: prior_sessions out of range");
            std::string key = c.member_code;
            for (char& ch : key)
                if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
            v.expect(codes.insert(key).second, "client import: a member code imported twice");
            if (r.pass) {
                v.expect(valid_date(r.pass->valid_from) && valid_date(r.pass->valid_until) &&
                             r.pass->valid_from <= r.pass->valid_until,
                         "client import: a pass with bad dates");
                v.expect(!r.pass->sessions_total || (*r.pass->sessions_total >= 1 && *r.pass->sessions_total <= 10000),
                         "client import: pass sessions out of range");
            }
            // An imported client must be able to travel: the server's import feeds the
            // changes feed, and every check-in push carries a snapshot of its client.
            // A row the protocol refuses would stall every kiosk's pull, or set the
            // client's check-ins aside as malformed.
            OutboxItem item;
            item.kind = OutboxKind::Client;
            item.client = SyncClient{"3c2d1e0f-aaaa-4bbb-8ccc-dddddddddddd", c.member_code, c.first_name,
                                     c.last_name,                            c.phone,       c.email,
                                     c.prior_sessions};
            item.ref = item.client.uid;
            sync::PushRequest decoded;
            std::string why;
            v.expect(sync::decode_push_request(sync::encode_push_request({item}), decoded, why),
                     "client import: an imported client the sync protocol refuses: " + why);
            if (r.pass) {
                ChangesPage page;
                page.passes.push_back({item.client.uid, r.pass->sessions_total, r.pass->valid_from, r.pass->valid_until});
                ChangesPage back;
                v.expect(sync::decode_changes(sync::encode_changes(page, 0), back, why),
                         "client import: an imported pass the sync protocol refuses: " + why);
            }
            csv += csv_line({c.first_name, c.last_name, c.phone, c.email, c.member_code,
                             std::to_string(c.prior_sessions),
                             !r.pass ? "" : r.pass->sessions_total ? std::to_string(*r.pass->sessions_total) : "unlimited",
                             r.pass ? r.pass->valid_from : "", r.pass ? r.pass->valid_until : ""});
        }
        if (v.broken()) return v.str();
        // The accepted rows, written out again, import as exactly the same rows.
        const ParsedImport again = parse_client_csv(csv);
        v.expect(again.header_ok && again.problems.empty(), "client import: the accepted rows, written out, are refused");
        v.expect(again.rows.size() == p.rows.size(), "client import: written rows read back as a different number");
        for (std::size_t i = 0; i < again.rows.size() && i < p.rows.size(); ++i) {
            const Client &a = again.rows[i].client, &b = p.rows[i].client;
            const auto &pa = again.rows[i].pass, &pb = p.rows[i].pass;
            v.expect(a.first_name == b.first_name && a.last_name == b.last_name && a.phone == b.phone &&
                         a.email == b.email && a.member_code == b.member_code && a.prior_sessions == b.prior_sessions &&
                         pa.has_value() == pb.has_value() &&
                         (!pa || (pa->sessions_total == pb->sessions_total && pa->valid_from == pb->valid_from &&
                                  pa->valid_until == pb->valid_until)),
                     "client import: a written row reads back different");
        }
        return v.str();
    });
}

inline std::string check_client_csv(std::string_view text) {
    if (std::string r = check_csv(text); !r.empty()) return r;
    return check_client_import(text);
}

// ---- key = value settings ----------------------------------------------------------------------

inline std::string check_settings(std::string_view text) {
    return detail::guarded("settings", [&]() -> std::string {
        detail::Verdict v;
        std::vector<Setting> out;
        std::string error;
        const bool read = read_settings(text, "fuzz.conf", out, error);
        // Both programs' configs: applied, or refused with their own error naming the line.
        try {
            KioskConfig kiosk;
            apply_config(kiosk, text, "fuzz.conf");
            v.expect(read, "settings: the kiosk config accepted what read_settings refused");
        } catch (const ConfigError& e) {
            v.expect(std::string_view(e.what()).rfind("fuzz.conf:", 0) == 0,
                     std::string("kiosk config: an error that does not name the line: ") + e.what());
        }
        try {
            server::ServerConfig server;
            server::apply_server_config(server, text, "fuzz.conf");
            v.expect(read, "settings: the server config accepted what read_settings refused");
        } catch (const server::ServerConfigError& e) {
            v.expect(std::string_view(e.what()).rfind("fuzz.conf:", 0) == 0,
                     std::string("server config: an error that does not name the line: ") + e.what());
        }
        if (!read) {
            v.expect(error.rfind("fuzz.conf:", 0) == 0, "settings: an error that does not name the line: " + error);
            return v.str();
        }
        v.expect(error.empty(), "settings: success with an error message");
        std::string written;
        for (const Setting& s : out) {
            v.expect(s.key.find('=') == std::string::npos, "settings: a key with '='");
            v.expect(trim(s.key) == s.key && trim(s.value) == s.value, "settings: a key or value not trimmed");
            v.expect(s.key.find('\n') == std::string::npos && s.value.find('\n') == std::string::npos,
                     "settings: a line break inside a setting");
            v.expect(s.where.rfind("fuzz.conf:", 0) == 0, "settings: where does not name the file");
            written += s.key + "=" + s.value + "\n";
        }
        if (v.broken()) return v.str();
        // Written back as key=value lines, the settings read the same.
        std::vector<Setting> back;
        v.expect(read_settings(written, "again", back, error), "settings: written settings refused: " + error);
        v.expect(back.size() == out.size(), "settings: written settings read back as a different number");
        for (std::size_t i = 0; i < back.size() && i < out.size(); ++i)
            v.expect(back[i].key == out[i].key && back[i].value == out[i].value,
                     "settings: a written setting reads back different");
        return v.str();
    });
}

}  // namespace studio::fuzz
