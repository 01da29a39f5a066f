// In-memory client search for the check-in kiosk: member code, phone suffix
// and accent/case-insensitive name-prefix lookup. Results carry only a masked
// display name ("Anna K."), never phone, e-mail or the full surname.
//
// Thread safety: build() must not run concurrently with anything else;
// search()/size() are const and safe to call from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace studio {

struct SearchEntry {
    std::int64_t client_id;
    std::string first_name, last_name, phone, member_code;
};

enum class MatchKind { Code, Phone, Name };

struct SearchHit {
    std::int64_t client_id;
    std::string display;  // masked_name(first, last), e.g. "Anna K."
    MatchKind match;
};

struct SearchLimits {
    std::size_t min_chars = 2;         // non-space code points required in the query
    std::size_t max_results = 8;
    std::size_t min_phone_digits = 4;  // fewer digits -> no phone matching
};

class SearchIndex {
public:
    // Replaces the content. Several entries may share a client_id (e.g. one
    // row per phone number); they are all searchable but a client is returned
    // at most once. A phone field may hold several numbers separated by
    // ',', ';' or '/'. Up to 32 name words per entry are indexed.
    void build(std::vector<SearchEntry> entries);

    // Fewer than min_chars non-space code points in the trimmed query ->
    // nothing. Order: exact member code (case-insensitive, trimmed),
    // then phone-number suffix (query of digits and " +-().", at least
    // min_phone_digits digits), then names (every folded query token is a
    // prefix of a distinct folded word of first+last name), each group
    // ordered by folded first name, folded last name, client_id. One hit per
    // client, at most max_results.
    std::vector<SearchHit> search(std::string_view query, const SearchLimits& limits = {}) const;

    // Number of entries given to the last build().
    std::size_t size() const;

private:
    // Records are stored in result order (folded first, folded last,
    // client_id), so a record's index is its rank: lower index = shown first.
    struct Record {
        std::int64_t client_id;
        std::string display;
        std::uint32_t words_begin;  // into word_spans_
        std::uint32_t words_end;
    };
    struct Span {
        std::uint32_t offset;  // into pool_
        std::uint32_t length;
    };
    struct Key {  // one indexed string (folded name word / reversed phone digits / code)
        std::uint32_t offset;  // into pool_
        std::uint32_t length;
        std::uint32_t record;
    };

    struct SortItem {
        std::uint64_t head;  // first 8 bytes of the key string, for fast comparisons
        Key key;
    };

    // Sorts by (string, record).
    void sort_keys(std::vector<Key>& keys) const;
    std::string_view view(std::uint32_t offset, std::uint32_t length) const {
        return std::string_view(pool_).substr(offset, length);
    }
    // [first, last) of keys whose string starts with `prefix`.
    std::pair<std::size_t, std::size_t> prefix_range(const std::vector<Key>& keys,
                                                     std::string_view prefix) const;

    std::vector<Record> records_;
    std::vector<Span> word_spans_;   // folded words of each record, in name order
    std::vector<Key> name_keys_;     // folded name words, sorted by (word, record)
    std::vector<Key> phone_keys_;    // reversed phone digits, sorted by (digits, record)
    std::vector<Key> code_keys_;     // normalised member codes, sorted by (code, record)
    std::string pool_;               // backing text of all spans and keys
};

}  // namespace studio
