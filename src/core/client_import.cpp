#include "core/client_import.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/csv.h"

namespace studio {

namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

bool parse_count(const std::string& s, int max, int& out) {
    if (s.empty() || s.size() > 6) return false;
    out = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return out <= max;
}

bool plausible_phone(const std::string& s) {
    int digits = 0;
    for (char c : s) {
        if (c >= '0' && c <= '9') ++digits;
        else if (!(c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' || c == '.')) return false;
    }
    return s.empty() || (digits >= 4 && digits <= 15);
}

bool plausible_email(const std::string& s) {
    if (s.empty()) return true;
    const auto at = s.find('@');
    return at != std::string::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string::npos &&
           s.find(' ') == std::string::npos;
}

bool plausible_code(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    return std::none_of(s.begin(), s.end(), [](unsigned char c) { return c <= ' ' || c == 0x7F; });
}

}  // namespace

ParsedImport parse_client_csv(std::string_view text) {
    ParsedImport out;
    const auto records = parse_csv(text);
    if (records.empty()) {
        out.problems.push_back({1, "the file is empty: expected a header row"});
        return out;
    }
    const auto& header = records.front();
    if (!header.error.empty()) {
        out.problems.push_back({header.line, "header: " + header.error});
        return out;
    }
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.fields.size(); ++i) col.emplace(lower(trim(header.fields[i])), i);
    std::vector<std::string> missing;
    for (const char* name : {"first_name", "last_name", "phone", "email", "member_code", "prior_sessions"})
        if (!col.count(name)) missing.emplace_back(name);
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        out.problems.push_back({header.line, "header: missing column(s) " + list});
        return out;
    }
    out.header_ok = true;

    std::map<std::string, std::size_t> seen_codes;   // folded code -> line
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& rec = records[r];
        auto problem = [&](std::string reason) { out.problems.push_back({rec.line, std::move(reason)}); };
        if (!rec.error.empty()) { problem(rec.error); continue; }
        if (rec.fields.size() != header.fields.size()) {
            problem("expected " + std::to_string(header.fields.size()) + " fields, found " +
                    std::to_string(rec.fields.size()));
            continue;
        }
        auto get = [&](const char* name) -> std::string {
            auto it = col.find(name);
            return it == col.end() ? std::string() : trim(rec.fields[it->second]);
        };
        ImportRow row;
        row.line = rec.line;
        Client& c = row.client;
        c.first_name = get("first_name");
        c.last_name = get("last_name");
        c.phone = get("phone");
        c.email = get("email");
        c.member_code = get("member_code");
        const std::string prior = get("prior_sessions");
        const std::string pass_sessions = lower(get("pass_sessions"));
        const std::string from = get("pass_valid_from");
        const std::string until = get("pass_valid_until");

        std::vector<std::string> reasons;
        if (c.first_name.empty()) reasons.emplace_back("first_name is empty");
        if (c.last_name.empty()) reasons.emplace_back("last_name is empty");
        const auto too_long = [&](const char* name, const std::string& v, std::size_t max) {
            if (v.size() > max) reasons.push_back(std::string(name) + " is longer than " + std::to_string(max) + " bytes");
        };
        too_long("first_name", c.first_name, kImportMaxName);
        too_long("last_name", c.last_name, kImportMaxName);
        too_long("phone", c.phone, kImportMaxPhone);
        too_long("email", c.email, kImportMaxEmail);
        if (!plausible_code(c.member_code))
            reasons.emplace_back(c.member_code.empty() ? "member_code is empty"
                                                       : "member_code \"" + c.member_code + "\" has spaces or is too long");
        if (!plausible_phone(c.phone)) reasons.emplace_back("phone \"" + c.phone + "\" is not a phone number");
        if (!plausible_email(c.email)) reasons.emplace_back("email \"" + c.email + "\" is not an address");
        if (prior.empty()) c.prior_sessions = 0;
        else if (!parse_count(prior, 100000, c.prior_sessions))
            reasons.emplace_back("prior_sessions \"" + prior + "\" is not a whole number from 0");
        if (!pass_sessions.empty() || !from.empty() || !until.empty()) {
            Pass p;
            p.valid_from = from;
            p.valid_until = until;
            int n = 0;
            if (pass_sessions == "unlimited") p.sessions_total = std::nullopt;
            else if (parse_count(pass_sessions, 10000, n) && n > 0) p.sessions_total = n;
            else reasons.emplace_back("pass_sessions \"" + pass_sessions + "\" is not a number of sessions or \"unlimited\"");
            if (!valid_date(from)) reasons.emplace_back("pass_valid_from \"" + from + "\" is not a date (YYYY-MM-DD)");
            if (!valid_date(until)) reasons.emplace_back("pass_valid_until \"" + until + "\" is not a date (YYYY-MM-DD)");
            else if (valid_date(from) && until < from) reasons.emplace_back("pass ends before it starts");
            row.pass = p;
        }
        if (plausible_code(c.member_code)) {
            auto [it, fresh] = seen_codes.emplace(lower(c.member_code), rec.line);
            if (!fresh) reasons.push_back("member_code " + c.member_code + " repeats line " + std::to_string(it->second));
        }
        if (!reasons.empty()) {
            std::string all;
            for (const auto& s : reasons) all += (all.empty() ? "" : "; ") + s;
            problem(all);
            continue;
        }
        out.rows.push_back(std::move(row));
    }
    return out;
}

}  // namespace studio
