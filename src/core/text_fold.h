// Text folding for the check-in search: accent/case-insensitive matching of
// client names (Latin, accented Latin, Cyrillic) and display masking.
//
// Pure standard C++; no locale, no ICU. All functions are total: any byte
// sequence (including invalid UTF-8) is accepted and processed in linear time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace studio {

// Folds UTF-8 text for matching:
//  * lowercase (ASCII, Latin-1, Latin Extended-A/B/Additional, Cyrillic
//    U+0400..U+052F including Ukrainian/Belarusian letters, fullwidth ASCII);
//  * diacritics stripped from Latin letters (é->e, ș->s, ơ->o, ế->e, ...),
//    ß->ss, æ->ae, œ->oe, ø->o, ł->l, đ->d, ð->d, þ->th, ...;
//    combining marks (U+0300..U+036F, decomposed input) are dropped;
//  * Cyrillic ё->е (also ѐ->е, ѝ->и); й, ї, є, ў, і are kept as letters;
//  * apostrophes (' ’ ‘ ʼ ʻ ` ´ ′ and fullwidth ') and invisible format
//    characters (soft hyphen, zero-width joiners, BOM) are DROPPED, so
//    "O'Brien" -> "obrien";
//  * hyphens, spaces, dots and all other punctuation/symbols/controls are
//    word breaks; invalid UTF-8 bytes are word breaks too.
// Letters and digits form words. Other scripts pass through unchanged.
// Returns the words joined by single spaces, no leading/trailing space.
std::string fold(std::string_view utf8);

// Same as fold(), split into words (no empty words).
std::vector<std::string> fold_words(std::string_view utf8);

// Appends fold(utf8) to `out` (words separated by single spaces; a separator
// is NOT inserted between existing content of `out` and the new text).
// Allocation-friendly variant for hot paths.
void fold_append(std::string_view utf8, std::string& out);

// ASCII digits only: "+7 (912) 555-01-02" -> "79125550102".
std::string digits_only(std::string_view text);

// Number of code points. Each invalid UTF-8 byte counts as one.
std::size_t utf8_length(std::string_view utf8);

// Privacy-safe display name: "Anna K.".
// The first name is shown as stored, trimmed of surrounding whitespace
// (invalid UTF-8 in it is replaced by U+FFFD so the UI never gets broken text).
// The initial is the first letter (or digit) of the last name, skipping leading
// punctuation/apostrophes, uppercased where a case pair exists
// ("ёлкина" -> "Ё.", "o'brien" -> "O."). Diacritics of the initial are kept.
// Empty (or letterless) last name -> just the trimmed first name.
// Empty first name -> just the initial ("K.").
std::string masked_name(std::string_view first, std::string_view last);

// --- lower-level helpers (exposed for the search index and tests) ---

// Decodes one code point starting at s[i] and advances i. Returns false (and
// advances i by exactly one byte) on an invalid/overlong/surrogate/truncated
// sequence.
bool utf8_decode(std::string_view s, std::size_t& i, char32_t& cp);

// Appends the UTF-8 encoding of cp (U+FFFD for surrogates / out of range).
void utf8_append(std::string& out, char32_t cp);
// Removes the last code point (a backspace on typed text); nothing when empty.
void utf8_pop_back(std::string& s);

// Simple (1:1) case mapping for the scripts listed above; other code points
// are returned unchanged.
char32_t to_upper(char32_t cp);

// Removes leading/trailing whitespace (is_space) code points.
std::string_view trim(std::string_view utf8);

// True for whitespace code points (ASCII whitespace, NBSP, U+2000..U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000, U+1680, U+0085).
bool is_space(char32_t cp);

}  // namespace studio
