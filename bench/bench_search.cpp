// Benchmark for studio::SearchIndex: 20,000 synthetic clients (Latin,
// accented Latin, Cyrillic), build time and per-query latency percentiles.
//
//   g++ -std=c++20 -O2 -Isrc src/core/text_fold.cpp src/core/search.cpp
//       bench/bench_search.cpp -o /tmp/bench_search && /tmp/bench_search
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "core/search.h"
#include "core/text_fold.h"

namespace {

using Clock = std::chrono::steady_clock;

// splitmix64: deterministic, portable.
struct Rng {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    bool chance(unsigned percent) { return below(100) < percent; }
    template <class T, std::size_t N>
    const T& pick(const T (&arr)[N]) { return arr[below(N)]; }
};

const char* const kLatin[] = {"an", "na", "ma", "ri", "el", "ka", "jo", "se", "zo", "lu", "ca", "mi", "ra",
                              "ta", "ni", "ko", "do", "be", "li", "sa", "vi", "to", "er", "pe", "ol", "ga",
                              "ha", "ne", "mo", "ru", "da", "fi", "ve", "lo", "ti", "ber", "son", "ton"};
const char* const kAccented[] = {"zé", "jö", "ël", "ań", "łu", "šo", "ća", "ør", "æl", "ți", "șa", "ăn",
                                 "ưo", "ến", "ñi", "ço", "ðe", "þo", "ße", "ŕa", "ğu", "ıs", "ů", "ő"};
const char* const kCyrillic[] = {"ан", "на", "ма", "ри", "ел", "ка", "ёл", "жу", "ки", "ва", "ол", "їж",
                                 "єв", "ів", "ша", "ще", "ю", "я", "ой", "ий", "ми", "ло", "сє", "ґа",
                                 "ре", "то", "ду", "бо", "ль", "ни"};
const char* const kLatinLastSuffix[] = {"", "", "", "ova", "ski", "son", "ez", "ić", "escu", "ová"};
const char* const kCyrLastSuffix[] = {"", "", "ова", "ов", "енко", "ина", "ський", "ук"};

std::string capitalize(const std::string& s) {
    if (s.empty()) return s;
    std::size_t i = 0;
    char32_t cp = 0;
    if (!studio::utf8_decode(s, i, cp)) return s;
    std::string out;
    studio::utf8_append(out, studio::to_upper(cp));
    out.append(s, i, std::string::npos);
    return out;
}

enum class Script { Latin, Accented, Cyrillic };

std::string make_word(Rng& rng, Script script, std::size_t syllables) {
    std::string w;
    for (std::size_t k = 0; k < syllables; ++k) {
        switch (script) {
            case Script::Latin: w += rng.pick(kLatin); break;
            case Script::Accented: w += rng.chance(40) ? rng.pick(kAccented) : rng.pick(kLatin); break;
            case Script::Cyrillic: w += rng.pick(kCyrillic); break;
        }
    }
    return capitalize(w);
}

studio::SearchEntry make_client(Rng& rng, std::int64_t id) {
    const std::size_t r = rng.below(100);
    const Script script = r < 50 ? Script::Latin : r < 70 ? Script::Accented : Script::Cyrillic;
    studio::SearchEntry e;
    e.client_id = id;
    e.first_name = make_word(rng, script, 2 + rng.below(2));
    if (rng.chance(5)) e.first_name += "-" + make_word(rng, script, 2);  // Mary-Jane
    e.last_name = make_word(rng, script, 2 + rng.below(2));
    e.last_name += script == Script::Cyrillic ? rng.pick(kCyrLastSuffix) : rng.pick(kLatinLastSuffix);
    if (script != Script::Cyrillic && rng.chance(3)) e.last_name = "O'" + e.last_name;
    if (rng.chance(4)) e.last_name += "-" + make_word(rng, script, 2);
    char phone[32];
    std::snprintf(phone, sizeof phone, "+7 (9%02u) %03u-%02u-%02u", static_cast<unsigned>(rng.below(100)),
                  static_cast<unsigned>(rng.below(1000)), static_cast<unsigned>(rng.below(100)),
                  static_cast<unsigned>(rng.below(100)));
    e.phone = phone;
    char code[16];
    std::snprintf(code, sizeof code, "GS-%05lld", static_cast<long long>(id));
    e.member_code = code;
    return e;
}

// First n code points of s.
std::string prefix_cp(std::string_view s, std::size_t n) {
    std::size_t i = 0;
    char32_t cp = 0;
    for (std::size_t k = 0; k < n && i < s.size(); ++k) studio::utf8_decode(s, i, cp);
    return std::string(s.substr(0, i));
}

std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

enum class QueryKind { Name, Cyrillic, TwoToken, Phone, Code, CodePrefix };

struct Query {
    std::string text;
    QueryKind kind;
    std::int64_t target;  // client the query was drawn from
};

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const std::size_t idx = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
    return sorted[idx];
}

}  // namespace

int main() {
    constexpr std::size_t kClients = 20000;
    constexpr std::size_t kQueries = 40000;

    Rng rng{20240601};
    std::vector<studio::SearchEntry> entries;
    entries.reserve(kClients);
    for (std::size_t i = 0; i < kClients; ++i) entries.push_back(make_client(rng, static_cast<std::int64_t>(i + 1)));
    std::vector<std::size_t> cyrillic_clients, latin_clients;
    for (std::size_t i = 0; i < kClients; ++i) {
        const auto c = static_cast<unsigned char>(entries[i].first_name[0]);
        (c == 0xD0 || c == 0xD1 ? cyrillic_clients : latin_clients).push_back(i);
    }

    // Build: first run, then best/median of several.
    studio::SearchIndex index;
    std::vector<double> build_ms;
    for (int run = 0; run < 7; ++run) {
        std::vector<studio::SearchEntry> copy = entries;
        const auto t0 = Clock::now();
        index.build(std::move(copy));
        const auto t1 = Clock::now();
        build_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    const double first_build = build_ms.front();
    std::sort(build_ms.begin(), build_ms.end());

    // Queries.
    std::vector<Query> queries;
    queries.reserve(kQueries);
    for (std::size_t q = 0; q < kQueries; ++q) {
        const std::size_t r = rng.below(100);
        if (r < 35) {  // Latin / accented name prefix, 2..6 chars, as typed
            const auto& e = entries[latin_clients[rng.below(latin_clients.size())]];
            const std::string& src = rng.chance(60) ? e.first_name : e.last_name;
            std::string t = prefix_cp(src, 2 + rng.below(5));
            const std::size_t style = rng.below(4);
            if (style == 1) t = ascii_lower(t);
            if (style == 2) t = studio::fold(t);  // typed without accents
            queries.push_back({t, QueryKind::Name, e.client_id});
        } else if (r < 55) {  // Cyrillic prefix
            const auto& e = entries[cyrillic_clients[rng.below(cyrillic_clients.size())]];
            const std::string& src = rng.chance(60) ? e.first_name : e.last_name;
            std::string t = prefix_cp(src, 2 + rng.below(5));
            if (rng.chance(50)) t = studio::fold(t);
            queries.push_back({t, QueryKind::Cyrillic, e.client_id});
        } else if (r < 65) {  // "ann k" style: first-name prefix + last initial(s), <= 6 chars
            const auto& e = entries[rng.below(kClients)];
            const std::size_t a = 2 + rng.below(3);
            std::string t = studio::fold(prefix_cp(e.first_name, a)) + " " +
                            studio::fold(prefix_cp(e.last_name, 5 - a));
            queries.push_back({t, QueryKind::TwoToken, e.client_id});
        } else if (r < 85) {  // phone suffix, 4..7 digits, sometimes with punctuation
            const auto& e = entries[rng.below(kClients)];
            const std::string d = studio::digits_only(e.phone);
            std::string t = d.substr(d.size() - (4 + rng.below(4)));
            if (rng.chance(30) && t.size() > 4) t.insert(t.size() - 2, "-");
            queries.push_back({t, QueryKind::Phone, e.client_id});
        } else if (r < 95) {  // exact member code
            const auto& e = entries[rng.below(kClients)];
            std::string t = rng.chance(50) ? ascii_lower(e.member_code) : e.member_code;
            queries.push_back({t, QueryKind::Code, e.client_id});
        } else {  // code prefix (must not match as Code)
            const auto& e = entries[rng.below(kClients)];
            queries.push_back({e.member_code.substr(0, 2 + rng.below(5)), QueryKind::CodePrefix, e.client_id});
        }
    }

    // Warm-up (not timed), then timed run.
    std::size_t sink = 0;
    for (std::size_t q = 0; q < 2000; ++q) sink += index.search(queries[q].text).size();

    std::vector<double> us;
    us.reserve(queries.size());
    std::size_t total_results = 0, failures = 0, empty = 0;
    std::size_t per_kind_results[6] = {}, per_kind_count[6] = {};
    for (const Query& q : queries) {
        const auto t0 = Clock::now();
        const std::vector<studio::SearchHit> hits = index.search(q.text);
        const auto t1 = Clock::now();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        total_results += hits.size();
        if (hits.empty()) ++empty;
        const auto k = static_cast<std::size_t>(q.kind);
        per_kind_results[k] += hits.size();
        ++per_kind_count[k];
        // Sanity: codes resolve to their client first; code prefixes never match as Code;
        // a phone suffix finds its client unless the suffix is shared by more than 8.
        if (q.kind == QueryKind::Code &&
            (hits.empty() || hits[0].client_id != q.target || hits[0].match != studio::MatchKind::Code))
            ++failures;
        if (q.kind == QueryKind::CodePrefix)
            for (const auto& h : hits) failures += h.match == studio::MatchKind::Code;
        if (q.kind == QueryKind::Phone && hits.size() < 8 &&
            std::none_of(hits.begin(), hits.end(), [&](const auto& h) { return h.client_id == q.target; }))
            ++failures;
        if (hits.size() > 8) ++failures;
        for (const auto& h : hits) {  // privacy: display is exactly "First L."
            const auto& e = entries[static_cast<std::size_t>(h.client_id - 1)];
            if (h.display != e.first_name + " " + prefix_cp(e.last_name, 1) + ".") ++failures;
        }
    }
    std::sort(us.begin(), us.end());
    double sum = 0;
    for (double v : us) sum += v;

    std::printf("clients: %zu   index size: %zu\n", kClients, index.size());
    std::printf("build: first %.2f ms, min %.2f ms, median %.2f ms (7 runs)\n", first_build, build_ms.front(),
                build_ms[build_ms.size() / 2]);
    std::printf("queries: %zu (names %zu, cyrillic %zu, two-token %zu, phone %zu, code %zu, code-prefix %zu)\n",
                us.size(), per_kind_count[0], per_kind_count[1], per_kind_count[2], per_kind_count[3],
                per_kind_count[4], per_kind_count[5]);
    std::printf("latency us: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f\n", percentile(us, 0.50),
                percentile(us, 0.90), percentile(us, 0.99), us.back(), sum / static_cast<double>(us.size()));
    std::printf("mean results/query: %.2f (empty: %zu)\n", static_cast<double>(total_results) / static_cast<double>(us.size()),
                empty);
    const char* names[] = {"names", "cyrillic", "two-token", "phone", "code", "code-prefix"};
    for (std::size_t k = 0; k < 6; ++k)
        std::printf("  mean results %-11s %.2f\n", names[k],
                    per_kind_count[k] ? static_cast<double>(per_kind_results[k]) / static_cast<double>(per_kind_count[k]) : 0.0);
    std::printf("sanity failures: %zu\n", failures);
    std::printf("p99 target < 1000 us: %s\n", percentile(us, 0.99) < 1000.0 ? "OK" : "MISSED");
    return (failures == 0 && sink < static_cast<std::size_t>(-1)) ? 0 : 1;
}
