#include "core/search.h"

#include <algorithm>
#include <bit>

#include "core/text_fold.h"

namespace studio {
namespace {

// Name words indexed per record; query tokens considered. Bitmask matching
// below relies on both being <= 32.
constexpr std::size_t kMaxWordsPerRecord = 32;
constexpr std::size_t kMaxQueryTokens = 32;

// Member codes: trimmed, ASCII case-insensitive, otherwise exact.
void append_normalized_code(std::string_view code, std::string& out) {
    for (char c : trim(code)) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// First 8 bytes, big-endian, zero padded: orders like the string itself.
std::uint64_t head8(std::string_view s) {
    std::uint64_t h = 0;
    for (std::size_t k = 0; k < 8; ++k) h = (h << 8) | (k < s.size() ? static_cast<unsigned char>(s[k]) : 0u);
    return h;
}

bool is_phone_punct(char c) {
    return c == ' ' || c == '+' || c == '-' || c == '(' || c == ')' || c == '.';
}

std::size_t count_non_space(std::string_view s) {
    std::size_t n = 0, i = 0;
    while (i < s.size()) {
        char32_t cp = 0;
        if (!utf8_decode(s, i, cp) || !is_space(cp)) ++n;
    }
    return n;
}

// Best `limit` distinct clients by record index (= rank), excluding clients
// already reported. Small: limit is max_results (8 by default).
class TopK {
public:
    TopK(const std::vector<std::int64_t>& client_of_hit, std::size_t limit)
        : excluded_(client_of_hit), limit_(limit) {
        items_.reserve(limit + 1);
    }

    bool full() const { return items_.size() >= limit_; }
    std::uint32_t worst() const { return items_.back().record; }
    // True if `record` cannot enter the set whatever its client is.
    bool hopeless(std::uint32_t record) const { return limit_ == 0 || (full() && record >= worst()); }

    void offer(std::uint32_t record, std::int64_t client) {
        if (hopeless(record)) return;
        for (std::int64_t c : excluded_)
            if (c == client) return;
        for (std::size_t j = 0; j < items_.size(); ++j) {
            if (items_[j].client == client) {
                if (items_[j].record <= record) return;
                items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(j));
                break;
            }
        }
        const auto pos = std::lower_bound(items_.begin(), items_.end(), record,
                                          [](const Item& it, std::uint32_t r) { return it.record < r; });
        items_.insert(pos, Item{record, client});
        if (items_.size() > limit_) items_.pop_back();
    }

    template <class F>
    void for_each(F&& f) const {
        for (const Item& it : items_) f(it.record);
    }

private:
    struct Item {
        std::uint32_t record;
        std::int64_t client;
    };
    const std::vector<std::int64_t>& excluded_;
    std::size_t limit_;
    std::vector<Item> items_;
};

// Sorts items (anything with a 64-bit `head`) by head with an LSD radix sort,
// then orders each run of equal heads with `tie_less` (which must be a strict
// weak order consistent with the head order). Much cheaper than a comparison
// sort on strings: most keys differ in their first 8 bytes.
template <class Item, class TieLess>
void sort_by_head(std::vector<Item>& items, TieLess tie_less) {
    const std::size_t n = items.size();
    if (n < 2) return;
    std::vector<Item> tmp(n);
    for (unsigned shift = 0; shift < 64; shift += 8) {
        std::size_t count[256] = {};
        for (const Item& it : items) ++count[(it.head >> shift) & 0xFF];
        if (count[(items[0].head >> shift) & 0xFF] == n) continue;  // byte constant: skip pass
        std::size_t pos = 0;
        for (std::size_t& c : count) {
            const std::size_t k = c;
            c = pos;
            pos += k;
        }
        for (const Item& it : items) tmp[count[(it.head >> shift) & 0xFF]++] = it;
        items.swap(tmp);
    }
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && items[j].head == items[i].head) ++j;
        if (j - i > 1) std::sort(items.begin() + static_cast<std::ptrdiff_t>(i), items.begin() + static_cast<std::ptrdiff_t>(j), tie_less);
        i = j;
    }
}

// Kuhn's augmenting path for bipartite matching token -> distinct word.
bool augment(std::size_t token, const std::uint32_t* adj, int* word_owner, std::uint32_t& visited) {
    std::uint32_t candidates = adj[token] & ~visited;
    while (candidates) {
        const int w = std::countr_zero(candidates);
        candidates &= candidates - 1;
        visited |= (1u << w);
        if (word_owner[w] < 0 || augment(static_cast<std::size_t>(word_owner[w]), adj, word_owner, visited)) {
            word_owner[w] = static_cast<int>(token);
            return true;
        }
    }
    return false;
}

}  // namespace

std::size_t SearchIndex::size() const { return records_.size(); }

std::pair<std::size_t, std::size_t> SearchIndex::prefix_range(const std::vector<Key>& keys,
                                                              std::string_view prefix) const {
    const auto lo = std::partition_point(keys.begin(), keys.end(), [&](const Key& k) {
        return view(k.offset, k.length) < prefix;
    });
    const auto hi = std::partition_point(lo, keys.end(), [&](const Key& k) {
        return view(k.offset, k.length).starts_with(prefix);
    });
    return {static_cast<std::size_t>(lo - keys.begin()), static_cast<std::size_t>(hi - keys.begin())};
}

void SearchIndex::build(std::vector<SearchEntry> entries) {
    records_.clear();
    word_spans_.clear();
    name_keys_.clear();
    phone_keys_.clear();
    code_keys_.clear();
    pool_.clear();

    const std::size_t n = entries.size();

    // 1. Fold names once. Per entry the pool holds "first\0last": the whole
    //    string is the sort key (\0 sorts below every folded character, so this
    //    orders by first name, then last name), the parts give the words.
    pool_.reserve(n * 40);
    std::vector<Span> first(n), last(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto off = static_cast<std::uint32_t>(pool_.size());
        fold_append(entries[i].first_name, pool_);
        first[i] = {off, static_cast<std::uint32_t>(pool_.size() - off)};
        pool_ += '\0';
        off = static_cast<std::uint32_t>(pool_.size());
        fold_append(entries[i].last_name, pool_);
        last[i] = {off, static_cast<std::uint32_t>(pool_.size() - off)};
    }

    // 2. Result order: folded first, folded last, client_id (input position
    //    as the final tie-break keeps build() deterministic).
    std::vector<SortItem> order(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const Key k{first[i].offset, first[i].length + 1 + last[i].length, i};
        order[i] = {head8(view(k.offset, k.length)), k};
    }
    sort_by_head(order, [&](const SortItem& a, const SortItem& b) {
        if (const int c = view(a.key.offset, a.key.length).compare(view(b.key.offset, b.key.length)); c != 0)
            return c < 0;
        const std::int64_t ca = entries[a.key.record].client_id, cb = entries[b.key.record].client_id;
        if (ca != cb) return ca < cb;
        return a.key.record < b.key.record;
    });

    // 3. Records in that order, with their words, phones and codes. Entries are
    //    read sequentially (cache friendly); records are written at their rank.
    std::vector<std::uint32_t> rank(n);
    for (std::uint32_t r = 0; r < n; ++r) rank[order[r].key.record] = r;
    records_.resize(n);
    word_spans_.reserve(n * 3);
    name_keys_.reserve(n * 3);
    phone_keys_.reserve(n);
    code_keys_.reserve(n);
    std::string digits;
    for (std::uint32_t src = 0; src < n; ++src) {
        const std::uint32_t r = rank[src];
        SearchEntry& e = entries[src];
        Record rec{e.client_id, masked_name(e.first_name, e.last_name),
                   static_cast<std::uint32_t>(word_spans_.size()), 0};
        for (const Span& part : {first[src], last[src]}) {
            const std::string_view text = view(part.offset, part.length);
            std::size_t pos = 0;
            while (pos < text.size() && word_spans_.size() - rec.words_begin < kMaxWordsPerRecord) {
                std::size_t sp = text.find(' ', pos);
                if (sp == std::string_view::npos) sp = text.size();
                const Span w{part.offset + static_cast<std::uint32_t>(pos), static_cast<std::uint32_t>(sp - pos)};
                word_spans_.push_back(w);
                name_keys_.push_back({w.offset, w.length, r});
                pos = sp + 1;
            }
        }
        rec.words_end = static_cast<std::uint32_t>(word_spans_.size());

        // Phones: possibly several numbers separated by , ; /
        const std::string_view phone = e.phone;
        const std::size_t first_phone_key = phone_keys_.size();
        std::size_t pos = 0;
        while (pos < phone.size()) {
            std::size_t cut = phone.find_first_of(",;/", pos);
            if (cut == std::string_view::npos) cut = phone.size();
            digits.clear();
            for (std::size_t k = cut; k > pos; --k)
                if (phone[k - 1] >= '0' && phone[k - 1] <= '9') digits += phone[k - 1];
            pos = cut + 1;
            if (digits.empty()) continue;
            bool dup = false;
            for (std::size_t k = first_phone_key; k < phone_keys_.size() && !dup; ++k)
                dup = view(phone_keys_[k].offset, phone_keys_[k].length) == digits;
            if (dup) continue;
            phone_keys_.push_back({static_cast<std::uint32_t>(pool_.size()),
                                   static_cast<std::uint32_t>(digits.size()), r});
            pool_ += digits;
        }

        const std::uint32_t code_off = static_cast<std::uint32_t>(pool_.size());
        append_normalized_code(e.member_code, pool_);
        if (pool_.size() > code_off)
            code_keys_.push_back({code_off, static_cast<std::uint32_t>(pool_.size() - code_off), r});

        records_[r] = std::move(rec);
    }

    sort_keys(name_keys_);
    sort_keys(phone_keys_);
    sort_keys(code_keys_);
}

void SearchIndex::sort_keys(std::vector<Key>& keys) const {
    std::vector<SortItem> items(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) items[i] = {head8(view(keys[i].offset, keys[i].length)), keys[i]};
    sort_by_head(items, [this](const SortItem& a, const SortItem& b) {
        if (const int c = view(a.key.offset, a.key.length).compare(view(b.key.offset, b.key.length)); c != 0)
            return c < 0;
        return a.key.record < b.key.record;
    });
    for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = items[i].key;
}

std::vector<SearchHit> SearchIndex::search(std::string_view query, const SearchLimits& limits) const {
    std::vector<SearchHit> hits;
    const std::string_view q = trim(query);
    if (limits.max_results == 0 || count_non_space(q) < limits.min_chars || records_.empty()) return hits;

    std::vector<std::int64_t> hit_clients;  // client ids already reported
    auto add = [&](std::uint32_t r, MatchKind kind) {
        const Record& rec = records_[r];
        for (std::int64_t c : hit_clients)
            if (c == rec.client_id) return;
        hit_clients.push_back(rec.client_id);
        hits.push_back(SearchHit{rec.client_id, rec.display, kind});
    };
    auto room = [&] { return limits.max_results - hits.size(); };

    // 1. Member code: exact, case-insensitive.
    {
        std::string code;
        append_normalized_code(q, code);
        if (!code.empty()) {
            const auto [lo, hi] = prefix_range(code_keys_, code);
            for (std::size_t k = lo; k < hi && room() > 0; ++k)  // ascending record = result order
                if (code_keys_[k].length == code.size()) add(code_keys_[k].record, MatchKind::Code);
        }
    }

    // 2. Phone suffix.
    if (room() > 0) {
        const bool phone_like = std::all_of(q.begin(), q.end(), [](char c) {
            return (c >= '0' && c <= '9') || is_phone_punct(c);
        });
        if (phone_like) {
            std::string digits = digits_only(q);
            if (!digits.empty() && digits.size() >= limits.min_phone_digits) {
                std::reverse(digits.begin(), digits.end());
                const auto [lo, hi] = prefix_range(phone_keys_, digits);
                TopK best(hit_clients, room());
                for (std::size_t k = lo; k < hi; ++k)
                    best.offer(phone_keys_[k].record, records_[phone_keys_[k].record].client_id);
                best.for_each([&](std::uint32_t r) { add(r, MatchKind::Phone); });
            }
        }
    }

    // 3. Names.
    if (room() > 0) {
        const std::vector<std::string> tokens = fold_words(q);
        if (tokens.empty() || tokens.size() > kMaxQueryTokens) return hits;

        // Drive from the token with the narrowest prefix range.
        std::size_t lo = 0, hi = name_keys_.size() + 1;
        for (const std::string& t : tokens) {
            const auto [a, b] = prefix_range(name_keys_, t);
            if (a == b) return hits;  // some token matches no word at all
            if (b - a < hi - lo) lo = a, hi = b;
        }

        const std::size_t nt = tokens.size();
        std::uint32_t adj[kMaxQueryTokens];
        int word_owner[kMaxWordsPerRecord];
        auto all_tokens_match = [&](const Record& rec) {
            const std::size_t nw = rec.words_end - rec.words_begin;
            if (nt > nw) return false;
            for (std::size_t i = 0; i < nt; ++i) {
                adj[i] = 0;
                for (std::size_t j = 0; j < nw; ++j) {
                    const Span& w = word_spans_[rec.words_begin + j];
                    if (view(w.offset, w.length).starts_with(tokens[i])) adj[i] |= (1u << j);
                }
                if (adj[i] == 0) return false;
            }
            if (nt == 1) return true;
            std::fill(word_owner, word_owner + nw, -1);
            for (std::size_t i = 0; i < nt; ++i) {
                std::uint32_t visited = 0;
                if (!augment(i, adj, word_owner, visited)) return false;
            }
            return true;
        };

        TopK best(hit_clients, room());
        for (std::size_t k = lo; k < hi; ++k) {
            const std::uint32_t r = name_keys_[k].record;
            if (best.hopeless(r)) continue;
            const Record& rec = records_[r];
            if (nt > 1 && !all_tokens_match(rec)) continue;
            best.offer(r, rec.client_id);
        }
        best.for_each([&](std::uint32_t r) { add(r, MatchKind::Name); });
    }
    return hits;
}

}  // namespace studio
