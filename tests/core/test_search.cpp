#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/search.h"
#include "core/text_fold.h"

using studio::MatchKind;
using studio::SearchEntry;
using studio::SearchHit;
using studio::SearchIndex;
using studio::SearchLimits;

namespace {

std::vector<SearchEntry> sample_entries() {
    return {
        {1, "Anna", "Karenina", "+7 (912) 555-01-02", "GS-00001"},
        {2, "Mary-Jane", "Watson", "+1 212 555 0199", "GS-00002"},
        {3, "Юлия", "Ёлкина", "8-903-123-45-67", "GS-00003"},
        {4, "José", "García", "+34 600 111 222", "GS-00004"},
        {5, "Zoë", "Ødegaard", "+47 912 34 567", "GS-00005"},
        {6, "Sean", "O'Brien", "+353 (0)1 234 5678", "GS-00006"},
        {7, "Zoe", "Smith", "020 7946 0958", "GS-00007"},
        {8, "Олег", "Їжаков", "+380 44 123 4567", "GS-00008"},
        {9, "Łucja", "Straße", "+48 22 555 66 77", "GS-00009"},
        {10, "Anna", "Kovalenko", "+7 912 000 11 22", "AB12"},
        {11, "Kirill", "Anna", "+7 999 888 77 66", "GS-00011"},
    };
}

SearchIndex sample_index() {
    SearchIndex idx;
    idx.build(sample_entries());
    return idx;
}

std::vector<std::int64_t> ids(const std::vector<SearchHit>& hits) {
    std::vector<std::int64_t> out;
    for (const auto& h : hits) out.push_back(h.client_id);
    return out;
}

bool has(const std::vector<SearchHit>& hits, std::int64_t id) {
    return std::any_of(hits.begin(), hits.end(), [&](const SearchHit& h) { return h.client_id == id; });
}

const SearchHit* find(const std::vector<SearchHit>& hits, std::int64_t id) {
    for (const auto& h : hits)
        if (h.client_id == id) return &h;
    return nullptr;
}

}  // namespace

TEST_CASE("size and rebuild", "[search]") {
    SearchIndex idx;
    CHECK(idx.size() == 0);
    CHECK(idx.search("anna").empty());
    idx.build(sample_entries());
    CHECK(idx.size() == 11);
    CHECK(has(idx.search("anna"), 1));
    idx.build({{42, "Bob", "Builder", "", ""}});
    CHECK(idx.size() == 1);
    CHECK(idx.search("anna").empty());  // build() replaces the content
    CHECK(ids(idx.search("bob")) == std::vector<std::int64_t>{42});
}

TEST_CASE("queries shorter than min_chars give nothing", "[search]") {
    const SearchIndex idx = sample_index();
    CHECK(idx.search("").empty());
    CHECK(idx.search("a").empty());
    CHECK(idx.search("  a  ").empty());
    CHECK(idx.search("ё").empty());       // one code point, two bytes
    CHECK(idx.search("Z").empty());
    CHECK_FALSE(idx.search("an").empty());
    CHECK_FALSE(idx.search(" an ").empty());
    SearchLimits three;
    three.min_chars = 3;
    CHECK(idx.search("an", three).empty());
    CHECK_FALSE(idx.search("ann", three).empty());
}

TEST_CASE("name prefix matching examples", "[search]") {
    const SearchIndex idx = sample_index();

    auto hits = idx.search("anna k");
    CHECK(ids(hits) == std::vector<std::int64_t>{1, 10, 11});  // Kirill Anna: "k" matches Kirill
    REQUIRE(find(hits, 1));
    CHECK(find(hits, 1)->display == "Anna K.");
    CHECK(find(hits, 1)->match == MatchKind::Name);

    CHECK(ids(idx.search("anna kar")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("kar anna")) == std::vector<std::int64_t>{1});  // token order is free
    CHECK(ids(idx.search("mary-jane")) == std::vector<std::int64_t>{2});
    CHECK(ids(idx.search("jane")) == std::vector<std::int64_t>{2});
    CHECK(ids(idx.search("Mary Jane Wat")) == std::vector<std::int64_t>{2});
    CHECK(ids(idx.search("елкина")) == std::vector<std::int64_t>{3});
    CHECK(ids(idx.search("ЁЛК")) == std::vector<std::int64_t>{3});
    CHECK(ids(idx.search("юлия ел")) == std::vector<std::int64_t>{3});
    CHECK(ids(idx.search("jose")) == std::vector<std::int64_t>{4});
    CHECK(ids(idx.search("JOSÉ garc")) == std::vector<std::int64_t>{4});
    CHECK(ids(idx.search("obrien")) == std::vector<std::int64_t>{6});
    CHECK(ids(idx.search("o'brien")) == std::vector<std::int64_t>{6});
    CHECK(ids(idx.search("O’BRI")) == std::vector<std::int64_t>{6});
    CHECK(ids(idx.search("їж")) == std::vector<std::int64_t>{8});
    CHECK(ids(idx.search("ЇЖАКОВ")) == std::vector<std::int64_t>{8});
    CHECK(ids(idx.search("lucja strasse")) == std::vector<std::int64_t>{9});
    CHECK(ids(idx.search("odeg")) == std::vector<std::int64_t>{5});
}

TEST_CASE("accent and case insensitive both ways", "[search]") {
    const SearchIndex idx = sample_index();
    // "zoe" finds Zoë, "ZOË" finds Zoe: both Zoes, ordered by last name.
    CHECK(ids(idx.search("zoe")) == std::vector<std::int64_t>{5, 7});
    CHECK(ids(idx.search("ZOË")) == std::vector<std::int64_t>{5, 7});
    CHECK(ids(idx.search("Zoë smi")) == std::vector<std::int64_t>{7});
    CHECK(ids(idx.search("zoe ø")) == std::vector<std::int64_t>{5});
}

TEST_CASE("every token needs a distinct word", "[search]") {
    SearchIndex idx;
    idx.build({
        {1, "Anna", "Annenkova", "", ""},
        {2, "Anna", "Petrova", "", ""},
        {3, "Anna", "Anna", "", ""},
    });
    CHECK(ids(idx.search("ann")) == std::vector<std::int64_t>{3, 1, 2});
    CHECK(ids(idx.search("ann ann")) == std::vector<std::int64_t>{3, 1});
    CHECK(ids(idx.search("anna anna")) == std::vector<std::int64_t>{3});
    CHECK(ids(idx.search("anna annen")) == std::vector<std::int64_t>{1});
    CHECK(idx.search("ann ann ann").empty());
    CHECK(idx.search("anna x").empty());
    CHECK(idx.search("nna").empty());  // prefix, not substring
}

TEST_CASE("matching needs augmenting paths, not greedy assignment", "[search]") {
    SearchIndex idx;
    idx.build({{1, "Abc", "Ab", "", ""}});
    // Greedy "a" -> first word "abc" would leave "abc" nothing; a real matching finds a->ab, abc->abc.
    CHECK(ids(idx.search("a abc")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("ab abc")) == std::vector<std::int64_t>{1});
    CHECK(idx.search("abc abc").empty());
}

TEST_CASE("8-result cap with many Annas, deterministic order", "[search]") {
    std::vector<SearchEntry> entries;
    // Inserted in scrambled order; expected order is by folded first, folded last, client_id.
    const char* lasts[] = {"Zhukova", "Abramova", "Ivanova", "Ёлкина", "Borisova", "Smirnova", "Álvarez",
                           "Petrova", "Orlova",   "Kuznetsova", "Egorova", "Morozova"};
    std::int64_t id = 100;
    for (const char* last : lasts) entries.push_back({id--, "Anna", last, "", ""});
    entries.push_back({5, "Anna", "Petrova", "", ""});  // same name, smaller id
    entries.push_back({6, "Annabel", "Aaron", "", ""});
    entries.push_back({7, "anna", "ivanova", "", ""});

    SearchIndex idx;
    idx.build(entries);
    const auto hits = idx.search("anna");
    REQUIRE(hits.size() == 8);
    std::vector<std::string> displays;
    for (const auto& h : hits) displays.push_back(h.display);
    CHECK(displays == std::vector<std::string>{"Anna A.", "Anna Á.", "Anna B.", "Anna E.", "anna I.",
                                               "Anna I.", "Anna K.", "Anna M."});
    // Abramova(99), Álvarez(94) [abramova < alvarez], Borisova(96), Egorova(90), Ivanova(98) vs ivanova(7): id 7 first.
    CHECK(ids(hits) == std::vector<std::int64_t>{99, 94, 96, 90, 7, 98, 91, 89});

    SearchLimits big;
    big.max_results = 100;
    const auto all = idx.search("anna", big);
    CHECK(all.size() == 15);
    // Petrova pair: id 5 before id 93; Annabel after every Anna; Cyrillic Ёлкина sorts after Latin.
    const auto all_ids = ids(all);
    const auto pos = [&](std::int64_t x) { return std::find(all_ids.begin(), all_ids.end(), x) - all_ids.begin(); };
    CHECK(pos(5) + 1 == pos(93));
    CHECK(all_ids[13] == 97);  // Anna Ёлкина
    CHECK(all_ids[14] == 6);   // Annabel Aaron

    SearchLimits three;
    three.max_results = 3;
    CHECK(ids(idx.search("anna", three)) == std::vector<std::int64_t>{99, 94, 96});
    SearchLimits none;
    none.max_results = 0;
    CHECK(idx.search("anna", none).empty());

    // Same result regardless of input order.
    std::reverse(entries.begin(), entries.end());
    SearchIndex idx2;
    idx2.build(entries);
    CHECK(ids(idx2.search("anna", big)) == all_ids);
}

TEST_CASE("displays are always masked: first name + initial", "[search]") {
    std::vector<SearchEntry> entries;
    const char* firsts[] = {"Anna", "José", "Zoë", "Юлия", "Олег", "Sean", "Mary-Jane", "Łucja", "Ștefan"};
    const char* lasts[] = {"Karenina", "Álvarez", "Ødegaard", "ёлкина", "Їжаков", "O'Brien", "Watson",
                           "Łęcka", "Țurcanu", "Straße", "Ångström", "Şahin"};
    const char* initials[] = {"K", "Á", "Ø", "Ё", "Ї", "O", "W", "Ł", "Ț", "S", "Å", "Ş"};
    std::int64_t id = 1;
    for (const char* f : firsts)
        for (std::size_t l = 0; l < std::size(lasts); ++l)
            entries.push_back({id++, f, lasts[l], "+7 900 000 00 " + std::to_string(id), ""});
    SearchIndex idx;
    idx.build(entries);

    SearchLimits big;
    big.max_results = 1000;
    std::size_t checked = 0;
    for (const char* f : firsts) {
        const auto hits = idx.search(f, big);
        CHECK(hits.size() >= std::size(lasts));
        for (const auto& h : hits) {
            const SearchEntry& e = entries[static_cast<std::size_t>(h.client_id - 1)];
            const std::size_t l = static_cast<std::size_t>(h.client_id - 1) % std::size(lasts);
            INFO(h.display);
            CHECK(h.display == e.first_name + " " + initials[l] + ".");
            CHECK(h.display.find(e.last_name) == std::string::npos);
            CHECK(h.display.find(e.phone) == std::string::npos);
            ++checked;
        }
    }
    CHECK(checked >= std::size(firsts) * std::size(lasts));
}

TEST_CASE("phone suffix matching", "[search]") {
    const SearchIndex idx = sample_index();

    auto hits = idx.search("0102");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 1);
    CHECK(hits[0].match == MatchKind::Phone);
    CHECK(hits[0].display == "Anna K.");

    CHECK(ids(idx.search("01-02")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("555-01-02")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("(912) 555-01-02")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("+7 (912) 555-01-02")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("79125550102")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("555.01.02")) == std::vector<std::int64_t>{1});
    // Three phones end in 4567; ordered by folded first name: zoe < олег < юлия.
    CHECK(ids(idx.search("4567")) == std::vector<std::int64_t>{5, 8, 3});
    CHECK(ids(idx.search("5678")) == std::vector<std::int64_t>{6});
    CHECK(idx.search("0101").empty());       // suffix, not substring
    CHECK(idx.search("79125550").empty());   // prefix of the number is not a suffix
    CHECK(idx.search("99 79125550102").empty());  // longer than the stored number
}

TEST_CASE("phone: fewer than min_phone_digits give no phone hits", "[search]") {
    const SearchIndex idx = sample_index();
    CHECK(idx.search("102").empty());
    CHECK(idx.search("02").empty());
    CHECK(idx.search("1-02").empty());
    SearchLimits six;
    six.min_phone_digits = 6;
    CHECK(idx.search("50102", six).empty());
    CHECK(ids(idx.search("550102", six)) == std::vector<std::int64_t>{1});
}

TEST_CASE("phone: letters in the query disable phone matching", "[search]") {
    const SearchIndex idx = sample_index();
    CHECK(idx.search("0102a").empty());
    CHECK(idx.search("tel 0102").empty());
}

TEST_CASE("phone: several numbers per entry and per client", "[search]") {
    SearchIndex idx;
    idx.build({
        {1, "Anna", "K", "+7 912 111-22-33, +7 913 444-55-66", ""},
        {2, "Boris", "L", "8 (900) 777 88 99", ""},
        {2, "Boris", "L", "8 (900) 777 00 99", ""},  // second phone row for the same client
    });
    CHECK(ids(idx.search("2233")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("5566")) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("8899")) == std::vector<std::int64_t>{2});
    CHECK(ids(idx.search("0099")) == std::vector<std::int64_t>{2});
    CHECK(ids(idx.search("99")) == std::vector<std::int64_t>{});
    CHECK(ids(idx.search("boris")) == std::vector<std::int64_t>{2});  // one hit per client
}

TEST_CASE("member code: exact, case-insensitive, trimmed", "[search]") {
    const SearchIndex idx = sample_index();

    auto hits = idx.search("GS-00003");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 3);
    CHECK(hits[0].match == MatchKind::Code);
    CHECK(hits[0].display == "Юлия Ё.");

    CHECK(ids(idx.search("gs-00003")) == std::vector<std::int64_t>{3});
    CHECK(ids(idx.search("  Gs-00003\r\n")) == std::vector<std::int64_t>{3});
    CHECK(idx.search("GS-0000").empty());  // prefix of a code is not a code match
    CHECK(idx.search("GS-000031").empty());
    CHECK(idx.search("GS 00003").empty());
    CHECK(idx.search("00003").empty());    // 5 digits, no phone ends with them

    // Short code: 2-3 "digits"/chars still match a code exactly.
    hits = idx.search("ab12");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 10);
    CHECK(hits[0].match == MatchKind::Code);
}

TEST_CASE("member code with 2-3 digits matches exactly while phone stays off", "[search]") {
    SearchIndex idx;
    idx.build({
        {1, "Anna", "K", "+7 900 000 0042", "042"},
        {2, "Boris", "L", "+7 900 000 1042", "1042"},
    });
    auto hits = idx.search("042");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 1);
    CHECK(hits[0].match == MatchKind::Code);
    // 4 digits: code for client 2 first, then the phone match of client 1 (2 not repeated).
    hits = idx.search("1042");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 2);
    CHECK(hits[0].match == MatchKind::Code);
    hits = idx.search("0042");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].client_id == 1);
    CHECK(hits[0].match == MatchKind::Phone);
}

TEST_CASE("group order Code, Phone, Name and dedupe across groups", "[search]") {
    SearchIndex idx;
    idx.build({
        {1, "Anna", "Alpha", "+7 900 000 0001", "ANNA"},       // code "anna"
        {2, "Anna", "Beta", "+7 900 000 0002", ""},
        {3, "Aaron", "Anna", "+7 900 000 0003", ""},
        {4, "Zed", "Zulu", "+7 900 000 2024", "2024"},
        {5, "Yan", "Young", "+7 900 111 2024", ""},
        {6, "Abe", "Able", "+7 900 222 2024", ""},
    });

    // Client 1 matches by code and by name: reported once, as Code, first.
    auto hits = idx.search("Anna");
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].client_id == 1);
    CHECK(hits[0].match == MatchKind::Code);
    CHECK(hits[1].client_id == 3);  // Aaron Anna before Anna Beta (folded first name)
    CHECK(hits[1].match == MatchKind::Name);
    CHECK(hits[2].client_id == 2);
    CHECK(hits[2].match == MatchKind::Name);

    // Code 2024 for client 4; phones ending in 2024 for 4, 5, 6: 4 once, then 6, 5 by name.
    hits = idx.search("2024");
    REQUIRE(hits.size() == 3);
    CHECK(hits[0].client_id == 4);
    CHECK(hits[0].match == MatchKind::Code);
    CHECK(hits[1].client_id == 6);
    CHECK(hits[1].match == MatchKind::Phone);
    CHECK(hits[2].client_id == 5);
    CHECK(hits[2].match == MatchKind::Phone);

    SearchLimits two;
    two.max_results = 2;
    CHECK(ids(idx.search("2024", two)) == std::vector<std::int64_t>{4, 6});
    CHECK(ids(idx.search("anna", two)) == std::vector<std::int64_t>{1, 3});
}

TEST_CASE("dedupe does not eat into max_results", "[search]") {
    SearchIndex idx;
    idx.build({
        {1, "Anna", "Alpha", "+7 900 000 1111", "ANNA"},
        {1, "Anna", "Alpha", "+7 900 000 2222", "ANNA"},  // duplicate rows of one client
        {1, "Anna", "Alpha", "+7 900 000 3333", ""},
        {2, "Anna", "Beta", "+7 900 001 1111", ""},
        {3, "Anna", "Gamma", "+7 900 002 1111", ""},
    });
    SearchLimits two;
    two.max_results = 2;
    // Client 1 is the code hit and also the best name match; the name slot must go to client 2.
    auto hits = idx.search("anna", two);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].client_id == 1);
    CHECK(hits[0].match == MatchKind::Code);
    CHECK(hits[1].client_id == 2);
    CHECK(hits[1].match == MatchKind::Name);
    // Three name records of client 1 must not fill the two slots.
    CHECK(ids(idx.search("anna al", two)) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("ann a", two)) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("alpha", two)) == std::vector<std::int64_t>{1});
    CHECK(ids(idx.search("anna b", two)) == std::vector<std::int64_t>{2});
    SearchLimits big;
    big.max_results = 10;
    hits = idx.search("anna", big);
    CHECK(ids(hits) == std::vector<std::int64_t>{1, 2, 3});
    // Phone: client 1 and 2 and 3 all end in 1111; client 1 once, then 2 (cap 2).
    CHECK(ids(idx.search("1111", two)) == std::vector<std::int64_t>{1, 2});
    std::vector<std::int64_t> with_gamma{1, 2, 3};
    CHECK(ids(idx.search("1111", big)) == with_gamma);
    // Sorted name pool with equal keys: still one hit per client.
    CHECK(ids(idx.search("an", two)) == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("junk queries and invalid UTF-8 never crash", "[search]") {
    const SearchIndex idx = sample_index();
    CHECK(idx.search("--").empty());
    CHECK(idx.search("''''").empty());
    CHECK(idx.search("\xFF\xFE").empty());
    CHECK(idx.search("()+-").empty());
    CHECK(idx.search("\xC3").empty());
    CHECK(ids(idx.search("an\xFFna")) == std::vector<std::int64_t>{});  // "an" + "na": no word starts with na
    CHECK(has(idx.search("\xFF" "anna"), 1));
    std::string many;
    for (int i = 0; i < 100; ++i) many += "a ";
    CHECK(idx.search(many).empty());  // more tokens than any name has words

    std::string junk;
    unsigned x = 7;
    for (int i = 0; i < 4000; ++i) {
        x = x * 1103515245u + 12345u;
        junk += static_cast<char>(x >> 16);
    }
    for (std::size_t len = 0; len < 40; ++len) {
        const auto hits = idx.search(std::string_view(junk).substr(len * 90, len));
        CHECK(hits.size() <= 8);
    }

    SearchIndex bad;
    bad.build({{1, "\xFF\xFE", "\xC3", "\xFF", "\xFF"}, {2, "Anna", "\xE2\x82" "K", "", ""}});
    CHECK(bad.size() == 2);
    const auto hits = bad.search("anna");
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].display == "Anna K.");
}

TEST_CASE("larger index: results match a brute-force reference", "[search]") {
    const char* firsts[] = {"Anna", "Анна", "Ánna", "Boris", "Борис", "Zoë", "Zoe", "Jürgen", "Ёлка", "Mary-Jane"};
    const char* lasts[] = {"Ivanova", "Иванова", "Øster", "O'Neil", "Straße", "Їжак", "Kovač", "Łukasz"};
    std::vector<SearchEntry> entries;
    std::int64_t id = 1;
    for (int rep = 0; rep < 5; ++rep)
        for (const char* f : firsts)
            for (const char* l : lasts) entries.push_back({id++, f, l, "", ""});
    SearchIndex idx;
    idx.build(entries);

    const char* queries[] = {"an", "анна", "anna iv", "iv", "ост", "ost", "o'n", "stras", "їж", "ел", "mary j",
                             "jane mary", "ko", "kovac", "луk", "zo", "zoe o", "jurg", "борис иван"};
    SearchLimits big;
    big.max_results = 10000;
    for (const char* q : queries) {
        INFO(q);
        const auto qt = studio::fold_words(q);
        // Reference: brute force over all entries. In these queries no two tokens can prefix
        // the same word, so "each token prefixes some word" equals the distinct-word rule.
        std::vector<std::tuple<std::string, std::string, std::int64_t>> expected;
        for (const auto& e : entries) {
            const auto words = studio::fold_words(e.first_name + " " + e.last_name);
            bool ok = true;
            for (const auto& t : qt)
                ok = ok && std::any_of(words.begin(), words.end(), [&](const std::string& w) { return w.rfind(t, 0) == 0; });
            if (ok) expected.emplace_back(studio::fold(e.first_name), studio::fold(e.last_name), e.client_id);
        }
        std::sort(expected.begin(), expected.end());
        std::vector<std::int64_t> expected_ids;
        for (const auto& t : expected) expected_ids.push_back(std::get<2>(t));
        CHECK(ids(idx.search(q, big)) == expected_ids);
        const auto capped = idx.search(q);
        const std::size_t n = std::min<std::size_t>(8, expected_ids.size());
        CHECK(ids(capped) == std::vector<std::int64_t>(expected_ids.begin(), expected_ids.begin() + static_cast<std::ptrdiff_t>(n)));
    }
}

namespace {

// Straightforward reference implementation of the search rules, for
// differential testing: linear scan, brute-force word assignment.
bool ref_assign(const std::vector<std::string>& tokens, std::size_t t, const std::vector<std::string>& words,
                std::vector<bool>& used) {
    if (t == tokens.size()) return true;
    for (std::size_t w = 0; w < words.size(); ++w) {
        if (used[w] || words[w].rfind(tokens[t], 0) != 0) continue;
        used[w] = true;
        if (ref_assign(tokens, t + 1, words, used)) return true;
        used[w] = false;
    }
    return false;
}

std::string ref_code(std::string_view s) {
    std::string out(studio::trim(s));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<SearchHit> ref_search(const std::vector<SearchEntry>& entries, std::string_view query,
                                  const SearchLimits& limits) {
    std::vector<SearchHit> out;
    const std::string_view q = studio::trim(query);
    std::size_t non_space = 0;
    for (std::size_t i = 0; i < q.size();) {
        char32_t cp = 0;
        if (!studio::utf8_decode(q, i, cp) || !studio::is_space(cp)) ++non_space;
    }
    if (non_space < limits.min_chars) return out;

    using Key = std::tuple<std::string, std::string, std::int64_t, std::size_t>;
    auto key = [&](std::size_t i) {
        return Key{studio::fold(entries[i].first_name), studio::fold(entries[i].last_name), entries[i].client_id, i};
    };
    auto emit = [&](std::vector<Key> group, MatchKind kind) {
        std::sort(group.begin(), group.end());
        for (const auto& k : group) {
            if (out.size() >= limits.max_results) return;
            const auto& e = entries[std::get<3>(k)];
            if (has(out, e.client_id)) continue;
            out.push_back({e.client_id, studio::masked_name(e.first_name, e.last_name), kind});
        }
    };

    std::vector<Key> codes, phones, names;
    const std::string code = ref_code(q);
    const bool phone_like = std::all_of(q.begin(), q.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.';
    });
    const std::string qd = studio::digits_only(q);
    const auto tokens = studio::fold_words(q);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        if (!code.empty() && ref_code(e.member_code) == code) codes.push_back(key(i));
        if (phone_like && !qd.empty() && qd.size() >= limits.min_phone_digits) {
            std::string_view p = e.phone;
            bool hit = false;
            while (!p.empty() && !hit) {
                const auto cut = p.find_first_of(",;/");
                const std::string d = studio::digits_only(p.substr(0, cut));
                hit = d.size() >= qd.size() && d.compare(d.size() - qd.size(), qd.size(), qd) == 0;
                p = cut == std::string_view::npos ? std::string_view{} : p.substr(cut + 1);
            }
            if (hit) phones.push_back(key(i));
        }
        if (!tokens.empty()) {
            const auto words = studio::fold_words(e.first_name + " " + e.last_name);
            std::vector<bool> used(words.size(), false);
            if (ref_assign(tokens, 0, words, used)) names.push_back(key(i));
        }
    }
    emit(codes, MatchKind::Code);
    emit(phones, MatchKind::Phone);
    emit(names, MatchKind::Name);
    return out;
}

}  // namespace

TEST_CASE("randomised differential test against a brute-force reference", "[search]") {
    const char* syl[] = {"an", "na", "a", "ann", "ma", "ri", "jo", "sé", "zo", "ë", "ł", "ø", "ß",
                         "ан", "на", "ё", "е", "ї", "жа", "O'", "ка", "ko"};
    const char* codes[] = {"", "", "GS-1", "gs-1", "GS-12", "AB", "ab ", "X1", "1234", "12"};
    std::uint64_t state = 0x12345678;
    auto rnd = [&](std::size_t n) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<std::size_t>((state >> 33) % n);
    };
    auto word = [&] {
        std::string w;
        const std::size_t k = 1 + rnd(3);
        for (std::size_t i = 0; i < k; ++i) w += syl[rnd(std::size(syl))];
        return w;
    };
    auto name = [&] {
        std::string n = word();
        if (rnd(6) == 0) n += (rnd(2) ? "-" : " ") + word();
        if (rnd(10) == 0) n = studio::fold(n);
        return n;
    };

    std::vector<SearchEntry> entries;
    for (std::int64_t i = 0; i < 400; ++i) {
        SearchEntry e;
        e.client_id = (rnd(10) == 0 && i > 0) ? static_cast<std::int64_t>(rnd(static_cast<std::size_t>(i))) : i;
        e.first_name = name();
        e.last_name = rnd(20) == 0 ? "" : name();
        for (int p = 0; p < 1 + static_cast<int>(rnd(2)); ++p) {
            if (p) e.phone += ", ";
            e.phone += "+7 (" + std::to_string(rnd(3)) + ") " + std::to_string(100 + rnd(40)) + "-" + std::to_string(rnd(10));
        }
        e.member_code = codes[rnd(std::size(codes))];
        entries.push_back(e);
    }
    SearchIndex idx;
    idx.build(entries);
    REQUIRE(idx.size() == entries.size());

    std::vector<std::string> queries = {"GS-1", " gs-1 ", "AB", "ab", "x1", "1234", "12", "1-2-3-4"};
    for (int i = 0; i < 1500; ++i) {
        std::string q;
        switch (rnd(5)) {
            case 0:
            case 1: {  // prefixes of words of a random entry, 1..3 tokens, random order
                const auto& e = entries[rnd(entries.size())];
                auto words = studio::fold_words(e.first_name + " " + e.last_name);
                if (words.empty()) break;
                const std::size_t nt = 1 + rnd(3);
                for (std::size_t t = 0; t < nt; ++t) {
                    const std::string& w = words[rnd(words.size())];
                    if (t) q += rnd(2) ? " " : "-";
                    q += w.substr(0, 1 + rnd(w.size()));
                }
                break;
            }
            case 2:  // raw random words (accents, case, apostrophes)
                q = word() + (rnd(2) ? " " + word() : "");
                break;
            case 3: {  // phone fragments
                const std::size_t len = 2 + rnd(7);
                for (std::size_t k = 0; k < len; ++k) q += static_cast<char>('0' + rnd(10));
                if (rnd(3) == 0) q.insert(q.size() / 2, rnd(2) ? "-" : " ");
                break;
            }
            default:
                q = queries[rnd(queries.size())];
        }
        queries.push_back(q);
    }

    std::size_t non_empty = 0, multi = 0;
    for (const auto& q : queries) {
        for (const std::size_t cap : {std::size_t{8}, std::size_t{3}, std::size_t{1000}}) {
            SearchLimits lim;
            lim.max_results = cap;
            const auto got = idx.search(q, lim);
            const auto want = ref_search(entries, q, lim);
            INFO("query [" << q << "] cap " << cap);
            REQUIRE(got.size() == want.size());
            for (std::size_t k = 0; k < got.size(); ++k) {
                CHECK(got[k].client_id == want[k].client_id);
                CHECK(got[k].display == want[k].display);
                CHECK(got[k].match == want[k].match);
            }
            if (cap == 1000) {
                non_empty += !got.empty();
                multi += got.size() > 8;
            }
        }
    }
    // The generator must actually exercise the interesting paths.
    CHECK(non_empty > queries.size() / 3);
    CHECK(multi > 20);
}
