#include "core/text_fold.h"

#include <cstdint>

namespace studio {
namespace {

inline bool decode(std::string_view s, std::size_t& i, char32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    }
    std::size_t n = 0;
    char32_t c = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 1;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 2;
        c = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 3;
        c = b0 & 0x07;
    } else {
        ++i;  // continuation byte, C0/C1 overlong lead, F5..FF
        return false;
    }
    if (s.size() - i <= n) {  // truncated
        ++i;
        return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return false;
        }
        c = (c << 6) | (b & 0x3F);
    }
    if ((n == 2 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
        (n == 3 && (c < 0x10000 || c > 0x10FFFF))) {
        ++i;  // overlong, surrogate or out of range
        return false;
    }
    cp = c;
    i += n + 1;
    return true;
}


// ---------------------------------------------------------------------------
// Latin tables: for every code point of U+00C0..U+024F (Latin-1 letters,
// Latin Extended-A, Latin Extended-B) and U+1E00..U+1EFF (Latin Extended
// Additional): its match folding (lowercase, diacritics stripped, ligatures
// expanded) and its simple uppercase mapping.
//
// Generated from Python 3.11 unicodedata (Unicode 14): fold = NFKD(lower(c))
// with combining marks removed when the result is plain a-z, otherwise the
// lowercase letter itself; plus hand overrides for letters that have no
// decomposition (ß ss, æ ae, œ oe, ø o, ł l, đ d, ð d, þ th, ħ h, ı i, ŧ t,
// ŋ n, ƀ b, ƒ f, ...). nullptr = not a letter (word break).
// ---------------------------------------------------------------------------
struct LatinFold {
    const char* fold;
    char32_t upper;
};

// U+00C0..U+024F
constexpr LatinFold kLatinA[] = {
    {"a", 0x00C0},  // U+00C0 À
    {"a", 0x00C1},  // U+00C1 Á
    {"a", 0x00C2},  // U+00C2 Â
    {"a", 0x00C3},  // U+00C3 Ã
    {"a", 0x00C4},  // U+00C4 Ä
    {"a", 0x00C5},  // U+00C5 Å
    {"ae", 0x00C6},  // U+00C6 Æ
    {"c", 0x00C7},  // U+00C7 Ç
    {"e", 0x00C8},  // U+00C8 È
    {"e", 0x00C9},  // U+00C9 É
    {"e", 0x00CA},  // U+00CA Ê
    {"e", 0x00CB},  // U+00CB Ë
    {"i", 0x00CC},  // U+00CC Ì
    {"i", 0x00CD},  // U+00CD Í
    {"i", 0x00CE},  // U+00CE Î
    {"i", 0x00CF},  // U+00CF Ï
    {"d", 0x00D0},  // U+00D0 Ð
    {"n", 0x00D1},  // U+00D1 Ñ
    {"o", 0x00D2},  // U+00D2 Ò
    {"o", 0x00D3},  // U+00D3 Ó
    {"o", 0x00D4},  // U+00D4 Ô
    {"o", 0x00D5},  // U+00D5 Õ
    {"o", 0x00D6},  // U+00D6 Ö
    {nullptr, 0x00D7},  // U+00D7 × (symbol: word break)
    {"o", 0x00D8},  // U+00D8 Ø
    {"u", 0x00D9},  // U+00D9 Ù
    {"u", 0x00DA},  // U+00DA Ú
    {"u", 0x00DB},  // U+00DB Û
    {"u", 0x00DC},  // U+00DC Ü
    {"y", 0x00DD},  // U+00DD Ý
    {"th", 0x00DE},  // U+00DE Þ
    {"ss", 0x00DF},  // U+00DF ß
    {"a", 0x00C0},  // U+00E0 à
    {"a", 0x00C1},  // U+00E1 á
    {"a", 0x00C2},  // U+00E2 â
    {"a", 0x00C3},  // U+00E3 ã
    {"a", 0x00C4},  // U+00E4 ä
    {"a", 0x00C5},  // U+00E5 å
    {"ae", 0x00C6},  // U+00E6 æ
    {"c", 0x00C7},  // U+00E7 ç
    {"e", 0x00C8},  // U+00E8 è
    {"e", 0x00C9},  // U+00E9 é
    {"e", 0x00CA},  // U+00EA ê
    {"e", 0x00CB},  // U+00EB ë
    {"i", 0x00CC},  // U+00EC ì
    {"i", 0x00CD},  // U+00ED í
    {"i", 0x00CE},  // U+00EE î
    {"i", 0x00CF},  // U+00EF ï
    {"d", 0x00D0},  // U+00F0 ð
    {"n", 0x00D1},  // U+00F1 ñ
    {"o", 0x00D2},  // U+00F2 ò
    {"o", 0x00D3},  // U+00F3 ó
    {"o", 0x00D4},  // U+00F4 ô
    {"o", 0x00D5},  // U+00F5 õ
    {"o", 0x00D6},  // U+00F6 ö
    {nullptr, 0x00F7},  // U+00F7 ÷ (symbol: word break)
    {"o", 0x00D8},  // U+00F8 ø
    {"u", 0x00D9},  // U+00F9 ù
    {"u", 0x00DA},  // U+00FA ú
    {"u", 0x00DB},  // U+00FB û
    {"u", 0x00DC},  // U+00FC ü
    {"y", 0x00DD},  // U+00FD ý
    {"th", 0x00DE},  // U+00FE þ
    {"y", 0x0178},  // U+00FF ÿ
    {"a", 0x0100},  // U+0100 Ā
    {"a", 0x0100},  // U+0101 ā
    {"a", 0x0102},  // U+0102 Ă
    {"a", 0x0102},  // U+0103 ă
    {"a", 0x0104},  // U+0104 Ą
    {"a", 0x0104},  // U+0105 ą
    {"c", 0x0106},  // U+0106 Ć
    {"c", 0x0106},  // U+0107 ć
    {"c", 0x0108},  // U+0108 Ĉ
    {"c", 0x0108},  // U+0109 ĉ
    {"c", 0x010A},  // U+010A Ċ
    {"c", 0x010A},  // U+010B ċ
    {"c", 0x010C},  // U+010C Č
    {"c", 0x010C},  // U+010D č
    {"d", 0x010E},  // U+010E Ď
    {"d", 0x010E},  // U+010F ď
    {"d", 0x0110},  // U+0110 Đ
    {"d", 0x0110},  // U+0111 đ
    {"e", 0x0112},  // U+0112 Ē
    {"e", 0x0112},  // U+0113 ē
    {"e", 0x0114},  // U+0114 Ĕ
    {"e", 0x0114},  // U+0115 ĕ
    {"e", 0x0116},  // U+0116 Ė
    {"e", 0x0116},  // U+0117 ė
    {"e", 0x0118},  // U+0118 Ę
    {"e", 0x0118},  // U+0119 ę
    {"e", 0x011A},  // U+011A Ě
    {"e", 0x011A},  // U+011B ě
    {"g", 0x011C},  // U+011C Ĝ
    {"g", 0x011C},  // U+011D ĝ
    {"g", 0x011E},  // U+011E Ğ
    {"g", 0x011E},  // U+011F ğ
    {"g", 0x0120},  // U+0120 Ġ
    {"g", 0x0120},  // U+0121 ġ
    {"g", 0x0122},  // U+0122 Ģ
    {"g", 0x0122},  // U+0123 ģ
    {"h", 0x0124},  // U+0124 Ĥ
    {"h", 0x0124},  // U+0125 ĥ
    {"h", 0x0126},  // U+0126 Ħ
    {"h", 0x0126},  // U+0127 ħ
    {"i", 0x0128},  // U+0128 Ĩ
    {"i", 0x0128},  // U+0129 ĩ
    {"i", 0x012A},  // U+012A Ī
    {"i", 0x012A},  // U+012B ī
    {"i", 0x012C},  // U+012C Ĭ
    {"i", 0x012C},  // U+012D ĭ
    {"i", 0x012E},  // U+012E Į
    {"i", 0x012E},  // U+012F į
    {"i", 0x0130},  // U+0130 İ
    {"i", 0x0049},  // U+0131 ı
    {"ij", 0x0132},  // U+0132 Ĳ
    {"ij", 0x0132},  // U+0133 ĳ
    {"j", 0x0134},  // U+0134 Ĵ
    {"j", 0x0134},  // U+0135 ĵ
    {"k", 0x0136},  // U+0136 Ķ
    {"k", 0x0136},  // U+0137 ķ
    {"k", 0x0138},  // U+0138 ĸ
    {"l", 0x0139},  // U+0139 Ĺ
    {"l", 0x0139},  // U+013A ĺ
    {"l", 0x013B},  // U+013B Ļ
    {"l", 0x013B},  // U+013C ļ
    {"l", 0x013D},  // U+013D Ľ
    {"l", 0x013D},  // U+013E ľ
    {"l", 0x013F},  // U+013F Ŀ
    {"l", 0x013F},  // U+0140 ŀ
    {"l", 0x0141},  // U+0141 Ł
    {"l", 0x0141},  // U+0142 ł
    {"n", 0x0143},  // U+0143 Ń
    {"n", 0x0143},  // U+0144 ń
    {"n", 0x0145},  // U+0145 Ņ
    {"n", 0x0145},  // U+0146 ņ
    {"n", 0x0147},  // U+0147 Ň
    {"n", 0x0147},  // U+0148 ň
    {"n", 0x0149},  // U+0149 ŉ
    {"n", 0x014A},  // U+014A Ŋ
    {"n", 0x014A},  // U+014B ŋ
    {"o", 0x014C},  // U+014C Ō
    {"o", 0x014C},  // U+014D ō
    {"o", 0x014E},  // U+014E Ŏ
    {"o", 0x014E},  // U+014F ŏ
    {"o", 0x0150},  // U+0150 Ő
    {"o", 0x0150},  // U+0151 ő
    {"oe", 0x0152},  // U+0152 Œ
    {"oe", 0x0152},  // U+0153 œ
    {"r", 0x0154},  // U+0154 Ŕ
    {"r", 0x0154},  // U+0155 ŕ
    {"r", 0x0156},  // U+0156 Ŗ
    {"r", 0x0156},  // U+0157 ŗ
    {"r", 0x0158},  // U+0158 Ř
    {"r", 0x0158},  // U+0159 ř
    {"s", 0x015A},  // U+015A Ś
    {"s", 0x015A},  // U+015B ś
    {"s", 0x015C},  // U+015C Ŝ
    {"s", 0x015C},  // U+015D ŝ
    {"s", 0x015E},  // U+015E Ş
    {"s", 0x015E},  // U+015F ş
    {"s", 0x0160},  // U+0160 Š
    {"s", 0x0160},  // U+0161 š
    {"t", 0x0162},  // U+0162 Ţ
    {"t", 0x0162},  // U+0163 ţ
    {"t", 0x0164},  // U+0164 Ť
    {"t", 0x0164},  // U+0165 ť
    {"t", 0x0166},  // U+0166 Ŧ
    {"t", 0x0166},  // U+0167 ŧ
    {"u", 0x0168},  // U+0168 Ũ
    {"u", 0x0168},  // U+0169 ũ
    {"u", 0x016A},  // U+016A Ū
    {"u", 0x016A},  // U+016B ū
    {"u", 0x016C},  // U+016C Ŭ
    {"u", 0x016C},  // U+016D ŭ
    {"u", 0x016E},  // U+016E Ů
    {"u", 0x016E},  // U+016F ů
    {"u", 0x0170},  // U+0170 Ű
    {"u", 0x0170},  // U+0171 ű
    {"u", 0x0172},  // U+0172 Ų
    {"u", 0x0172},  // U+0173 ų
    {"w", 0x0174},  // U+0174 Ŵ
    {"w", 0x0174},  // U+0175 ŵ
    {"y", 0x0176},  // U+0176 Ŷ
    {"y", 0x0176},  // U+0177 ŷ
    {"y", 0x0178},  // U+0178 Ÿ
    {"z", 0x0179},  // U+0179 Ź
    {"z", 0x0179},  // U+017A ź
    {"z", 0x017B},  // U+017B Ż
    {"z", 0x017B},  // U+017C ż
    {"z", 0x017D},  // U+017D Ž
    {"z", 0x017D},  // U+017E ž
    {"s", 0x0053},  // U+017F ſ
    {"b", 0x0243},  // U+0180 ƀ
    {"b", 0x0181},  // U+0181 Ɓ
    {"b", 0x0182},  // U+0182 Ƃ
    {"b", 0x0182},  // U+0183 ƃ
    {"ƅ", 0x0184},  // U+0184 Ƅ
    {"ƅ", 0x0184},  // U+0185 ƅ
    {"ɔ", 0x0186},  // U+0186 Ɔ
    {"c", 0x0187},  // U+0187 Ƈ
    {"c", 0x0187},  // U+0188 ƈ
    {"d", 0x0189},  // U+0189 Ɖ
    {"d", 0x018A},  // U+018A Ɗ
    {"d", 0x018B},  // U+018B Ƌ
    {"d", 0x018B},  // U+018C ƌ
    {"ƍ", 0x018D},  // U+018D ƍ
    {"ǝ", 0x018E},  // U+018E Ǝ
    {"ə", 0x018F},  // U+018F Ə
    {"ɛ", 0x0190},  // U+0190 Ɛ
    {"f", 0x0191},  // U+0191 Ƒ
    {"f", 0x0191},  // U+0192 ƒ
    {"g", 0x0193},  // U+0193 Ɠ
    {"ɣ", 0x0194},  // U+0194 Ɣ
    {"hv", 0x01F6},  // U+0195 ƕ
    {"ɩ", 0x0196},  // U+0196 Ɩ
    {"i", 0x0197},  // U+0197 Ɨ
    {"k", 0x0198},  // U+0198 Ƙ
    {"k", 0x0198},  // U+0199 ƙ
    {"l", 0x023D},  // U+019A ƚ
    {"ƛ", 0x019B},  // U+019B ƛ
    {"ɯ", 0x019C},  // U+019C Ɯ
    {"n", 0x019D},  // U+019D Ɲ
    {"n", 0x0220},  // U+019E ƞ
    {"o", 0x019F},  // U+019F Ɵ
    {"o", 0x01A0},  // U+01A0 Ơ
    {"o", 0x01A0},  // U+01A1 ơ
    {"oi", 0x01A2},  // U+01A2 Ƣ
    {"oi", 0x01A2},  // U+01A3 ƣ
    {"p", 0x01A4},  // U+01A4 Ƥ
    {"p", 0x01A4},  // U+01A5 ƥ
    {"ʀ", 0x01A6},  // U+01A6 Ʀ
    {"ƨ", 0x01A7},  // U+01A7 Ƨ
    {"ƨ", 0x01A7},  // U+01A8 ƨ
    {"ʃ", 0x01A9},  // U+01A9 Ʃ
    {"ƪ", 0x01AA},  // U+01AA ƪ
    {"t", 0x01AB},  // U+01AB ƫ
    {"t", 0x01AC},  // U+01AC Ƭ
    {"t", 0x01AC},  // U+01AD ƭ
    {"t", 0x01AE},  // U+01AE Ʈ
    {"u", 0x01AF},  // U+01AF Ư
    {"u", 0x01AF},  // U+01B0 ư
    {"ʊ", 0x01B1},  // U+01B1 Ʊ
    {"v", 0x01B2},  // U+01B2 Ʋ
    {"y", 0x01B3},  // U+01B3 Ƴ
    {"y", 0x01B3},  // U+01B4 ƴ
    {"z", 0x01B5},  // U+01B5 Ƶ
    {"z", 0x01B5},  // U+01B6 ƶ
    {"ʒ", 0x01B7},  // U+01B7 Ʒ
    {"ƹ", 0x01B8},  // U+01B8 Ƹ
    {"ƹ", 0x01B8},  // U+01B9 ƹ
    {"ƺ", 0x01BA},  // U+01BA ƺ
    {"ƻ", 0x01BB},  // U+01BB ƻ
    {"ƽ", 0x01BC},  // U+01BC Ƽ
    {"ƽ", 0x01BC},  // U+01BD ƽ
    {"ƾ", 0x01BE},  // U+01BE ƾ
    {"ƿ", 0x01F7},  // U+01BF ƿ
    {"ǀ", 0x01C0},  // U+01C0 ǀ
    {"ǁ", 0x01C1},  // U+01C1 ǁ
    {"ǂ", 0x01C2},  // U+01C2 ǂ
    {"ǃ", 0x01C3},  // U+01C3 ǃ
    {"dz", 0x01C4},  // U+01C4 Ǆ
    {"dz", 0x01C4},  // U+01C5 ǅ
    {"dz", 0x01C4},  // U+01C6 ǆ
    {"lj", 0x01C7},  // U+01C7 Ǉ
    {"lj", 0x01C7},  // U+01C8 ǈ
    {"lj", 0x01C7},  // U+01C9 ǉ
    {"nj", 0x01CA},  // U+01CA Ǌ
    {"nj", 0x01CA},  // U+01CB ǋ
    {"nj", 0x01CA},  // U+01CC ǌ
    {"a", 0x01CD},  // U+01CD Ǎ
    {"a", 0x01CD},  // U+01CE ǎ
    {"i", 0x01CF},  // U+01CF Ǐ
    {"i", 0x01CF},  // U+01D0 ǐ
    {"o", 0x01D1},  // U+01D1 Ǒ
    {"o", 0x01D1},  // U+01D2 ǒ
    {"u", 0x01D3},  // U+01D3 Ǔ
    {"u", 0x01D3},  // U+01D4 ǔ
    {"u", 0x01D5},  // U+01D5 Ǖ
    {"u", 0x01D5},  // U+01D6 ǖ
    {"u", 0x01D7},  // U+01D7 Ǘ
    {"u", 0x01D7},  // U+01D8 ǘ
    {"u", 0x01D9},  // U+01D9 Ǚ
    {"u", 0x01D9},  // U+01DA ǚ
    {"u", 0x01DB},  // U+01DB Ǜ
    {"u", 0x01DB},  // U+01DC ǜ
    {"ǝ", 0x018E},  // U+01DD ǝ
    {"a", 0x01DE},  // U+01DE Ǟ
    {"a", 0x01DE},  // U+01DF ǟ
    {"a", 0x01E0},  // U+01E0 Ǡ
    {"a", 0x01E0},  // U+01E1 ǡ
    {"ae", 0x01E2},  // U+01E2 Ǣ
    {"ae", 0x01E2},  // U+01E3 ǣ
    {"g", 0x01E4},  // U+01E4 Ǥ
    {"g", 0x01E4},  // U+01E5 ǥ
    {"g", 0x01E6},  // U+01E6 Ǧ
    {"g", 0x01E6},  // U+01E7 ǧ
    {"k", 0x01E8},  // U+01E8 Ǩ
    {"k", 0x01E8},  // U+01E9 ǩ
    {"o", 0x01EA},  // U+01EA Ǫ
    {"o", 0x01EA},  // U+01EB ǫ
    {"o", 0x01EC},  // U+01EC Ǭ
    {"o", 0x01EC},  // U+01ED ǭ
    {"ǯ", 0x01EE},  // U+01EE Ǯ
    {"ǯ", 0x01EE},  // U+01EF ǯ
    {"j", 0x01F0},  // U+01F0 ǰ
    {"dz", 0x01F1},  // U+01F1 Ǳ
    {"dz", 0x01F1},  // U+01F2 ǲ
    {"dz", 0x01F1},  // U+01F3 ǳ
    {"g", 0x01F4},  // U+01F4 Ǵ
    {"g", 0x01F4},  // U+01F5 ǵ
    {"hv", 0x01F6},  // U+01F6 Ƕ
    {"ƿ", 0x01F7},  // U+01F7 Ƿ
    {"n", 0x01F8},  // U+01F8 Ǹ
    {"n", 0x01F8},  // U+01F9 ǹ
    {"a", 0x01FA},  // U+01FA Ǻ
    {"a", 0x01FA},  // U+01FB ǻ
    {"ae", 0x01FC},  // U+01FC Ǽ
    {"ae", 0x01FC},  // U+01FD ǽ
    {"o", 0x01FE},  // U+01FE Ǿ
    {"o", 0x01FE},  // U+01FF ǿ
    {"a", 0x0200},  // U+0200 Ȁ
    {"a", 0x0200},  // U+0201 ȁ
    {"a", 0x0202},  // U+0202 Ȃ
    {"a", 0x0202},  // U+0203 ȃ
    {"e", 0x0204},  // U+0204 Ȅ
    {"e", 0x0204},  // U+0205 ȅ
    {"e", 0x0206},  // U+0206 Ȇ
    {"e", 0x0206},  // U+0207 ȇ
    {"i", 0x0208},  // U+0208 Ȉ
    {"i", 0x0208},  // U+0209 ȉ
    {"i", 0x020A},  // U+020A Ȋ
    {"i", 0x020A},  // U+020B ȋ
    {"o", 0x020C},  // U+020C Ȍ
    {"o", 0x020C},  // U+020D ȍ
    {"o", 0x020E},  // U+020E Ȏ
    {"o", 0x020E},  // U+020F ȏ
    {"r", 0x0210},  // U+0210 Ȑ
    {"r", 0x0210},  // U+0211 ȑ
    {"r", 0x0212},  // U+0212 Ȓ
    {"r", 0x0212},  // U+0213 ȓ
    {"u", 0x0214},  // U+0214 Ȕ
    {"u", 0x0214},  // U+0215 ȕ
    {"u", 0x0216},  // U+0216 Ȗ
    {"u", 0x0216},  // U+0217 ȗ
    {"s", 0x0218},  // U+0218 Ș
    {"s", 0x0218},  // U+0219 ș
    {"t", 0x021A},  // U+021A Ț
    {"t", 0x021A},  // U+021B ț
    {"ȝ", 0x021C},  // U+021C Ȝ
    {"ȝ", 0x021C},  // U+021D ȝ
    {"h", 0x021E},  // U+021E Ȟ
    {"h", 0x021E},  // U+021F ȟ
    {"n", 0x0220},  // U+0220 Ƞ
    {"d", 0x0221},  // U+0221 ȡ
    {"ou", 0x0222},  // U+0222 Ȣ
    {"ou", 0x0222},  // U+0223 ȣ
    {"z", 0x0224},  // U+0224 Ȥ
    {"z", 0x0224},  // U+0225 ȥ
    {"a", 0x0226},  // U+0226 Ȧ
    {"a", 0x0226},  // U+0227 ȧ
    {"e", 0x0228},  // U+0228 Ȩ
    {"e", 0x0228},  // U+0229 ȩ
    {"o", 0x022A},  // U+022A Ȫ
    {"o", 0x022A},  // U+022B ȫ
    {"o", 0x022C},  // U+022C Ȭ
    {"o", 0x022C},  // U+022D ȭ
    {"o", 0x022E},  // U+022E Ȯ
    {"o", 0x022E},  // U+022F ȯ
    {"o", 0x0230},  // U+0230 Ȱ
    {"o", 0x0230},  // U+0231 ȱ
    {"y", 0x0232},  // U+0232 Ȳ
    {"y", 0x0232},  // U+0233 ȳ
    {"l", 0x0234},  // U+0234 ȴ
    {"n", 0x0235},  // U+0235 ȵ
    {"t", 0x0236},  // U+0236 ȶ
    {"j", 0x0237},  // U+0237 ȷ
    {"db", 0x0238},  // U+0238 ȸ
    {"qp", 0x0239},  // U+0239 ȹ
    {"a", 0x023A},  // U+023A Ⱥ
    {"c", 0x023B},  // U+023B Ȼ
    {"c", 0x023B},  // U+023C ȼ
    {"l", 0x023D},  // U+023D Ƚ
    {"t", 0x023E},  // U+023E Ⱦ
    {"s", 0x2C7E},  // U+023F ȿ
    {"z", 0x2C7F},  // U+0240 ɀ
    {"ɂ", 0x0241},  // U+0241 Ɂ
    {"ɂ", 0x0241},  // U+0242 ɂ
    {"b", 0x0243},  // U+0243 Ƀ
    {"u", 0x0244},  // U+0244 Ʉ
    {"ʌ", 0x0245},  // U+0245 Ʌ
    {"e", 0x0246},  // U+0246 Ɇ
    {"e", 0x0246},  // U+0247 ɇ
    {"j", 0x0248},  // U+0248 Ɉ
    {"j", 0x0248},  // U+0249 ɉ
    {"q", 0x024A},  // U+024A Ɋ
    {"q", 0x024A},  // U+024B ɋ
    {"r", 0x024C},  // U+024C Ɍ
    {"r", 0x024C},  // U+024D ɍ
    {"y", 0x024E},  // U+024E Ɏ
    {"y", 0x024E},  // U+024F ɏ
};
// U+1E00..U+1EFF
constexpr LatinFold kLatinB[] = {
    {"a", 0x1E00},  // U+1E00 Ḁ
    {"a", 0x1E00},  // U+1E01 ḁ
    {"b", 0x1E02},  // U+1E02 Ḃ
    {"b", 0x1E02},  // U+1E03 ḃ
    {"b", 0x1E04},  // U+1E04 Ḅ
    {"b", 0x1E04},  // U+1E05 ḅ
    {"b", 0x1E06},  // U+1E06 Ḇ
    {"b", 0x1E06},  // U+1E07 ḇ
    {"c", 0x1E08},  // U+1E08 Ḉ
    {"c", 0x1E08},  // U+1E09 ḉ
    {"d", 0x1E0A},  // U+1E0A Ḋ
    {"d", 0x1E0A},  // U+1E0B ḋ
    {"d", 0x1E0C},  // U+1E0C Ḍ
    {"d", 0x1E0C},  // U+1E0D ḍ
    {"d", 0x1E0E},  // U+1E0E Ḏ
    {"d", 0x1E0E},  // U+1E0F ḏ
    {"d", 0x1E10},  // U+1E10 Ḑ
    {"d", 0x1E10},  // U+1E11 ḑ
    {"d", 0x1E12},  // U+1E12 Ḓ
    {"d", 0x1E12},  // U+1E13 ḓ
    {"e", 0x1E14},  // U+1E14 Ḕ
    {"e", 0x1E14},  // U+1E15 ḕ
    {"e", 0x1E16},  // U+1E16 Ḗ
    {"e", 0x1E16},  // U+1E17 ḗ
    {"e", 0x1E18},  // U+1E18 Ḙ
    {"e", 0x1E18},  // U+1E19 ḙ
    {"e", 0x1E1A},  // U+1E1A Ḛ
    {"e", 0x1E1A},  // U+1E1B ḛ
    {"e", 0x1E1C},  // U+1E1C Ḝ
    {"e", 0x1E1C},  // U+1E1D ḝ
    {"f", 0x1E1E},  // U+1E1E Ḟ
    {"f", 0x1E1E},  // U+1E1F ḟ
    {"g", 0x1E20},  // U+1E20 Ḡ
    {"g", 0x1E20},  // U+1E21 ḡ
    {"h", 0x1E22},  // U+1E22 Ḣ
    {"h", 0x1E22},  // U+1E23 ḣ
    {"h", 0x1E24},  // U+1E24 Ḥ
    {"h", 0x1E24},  // U+1E25 ḥ
    {"h", 0x1E26},  // U+1E26 Ḧ
    {"h", 0x1E26},  // U+1E27 ḧ
    {"h", 0x1E28},  // U+1E28 Ḩ
    {"h", 0x1E28},  // U+1E29 ḩ
    {"h", 0x1E2A},  // U+1E2A Ḫ
    {"h", 0x1E2A},  // U+1E2B ḫ
    {"i", 0x1E2C},  // U+1E2C Ḭ
    {"i", 0x1E2C},  // U+1E2D ḭ
    {"i", 0x1E2E},  // U+1E2E Ḯ
    {"i", 0x1E2E},  // U+1E2F ḯ
    {"k", 0x1E30},  // U+1E30 Ḱ
    {"k", 0x1E30},  // U+1E31 ḱ
    {"k", 0x1E32},  // U+1E32 Ḳ
    {"k", 0x1E32},  // U+1E33 ḳ
    {"k", 0x1E34},  // U+1E34 Ḵ
    {"k", 0x1E34},  // U+1E35 ḵ
    {"l", 0x1E36},  // U+1E36 Ḷ
    {"l", 0x1E36},  // U+1E37 ḷ
    {"l", 0x1E38},  // U+1E38 Ḹ
    {"l", 0x1E38},  // U+1E39 ḹ
    {"l", 0x1E3A},  // U+1E3A Ḻ
    {"l", 0x1E3A},  // U+1E3B ḻ
    {"l", 0x1E3C},  // U+1E3C Ḽ
    {"l", 0x1E3C},  // U+1E3D ḽ
    {"m", 0x1E3E},  // U+1E3E Ḿ
    {"m", 0x1E3E},  // U+1E3F ḿ
    {"m", 0x1E40},  // U+1E40 Ṁ
    {"m", 0x1E40},  // U+1E41 ṁ
    {"m", 0x1E42},  // U+1E42 Ṃ
    {"m", 0x1E42},  // U+1E43 ṃ
    {"n", 0x1E44},  // U+1E44 Ṅ
    {"n", 0x1E44},  // U+1E45 ṅ
    {"n", 0x1E46},  // U+1E46 Ṇ
    {"n", 0x1E46},  // U+1E47 ṇ
    {"n", 0x1E48},  // U+1E48 Ṉ
    {"n", 0x1E48},  // U+1E49 ṉ
    {"n", 0x1E4A},  // U+1E4A Ṋ
    {"n", 0x1E4A},  // U+1E4B ṋ
    {"o", 0x1E4C},  // U+1E4C Ṍ
    {"o", 0x1E4C},  // U+1E4D ṍ
    {"o", 0x1E4E},  // U+1E4E Ṏ
    {"o", 0x1E4E},  // U+1E4F ṏ
    {"o", 0x1E50},  // U+1E50 Ṑ
    {"o", 0x1E50},  // U+1E51 ṑ
    {"o", 0x1E52},  // U+1E52 Ṓ
    {"o", 0x1E52},  // U+1E53 ṓ
    {"p", 0x1E54},  // U+1E54 Ṕ
    {"p", 0x1E54},  // U+1E55 ṕ
    {"p", 0x1E56},  // U+1E56 Ṗ
    {"p", 0x1E56},  // U+1E57 ṗ
    {"r", 0x1E58},  // U+1E58 Ṙ
    {"r", 0x1E58},  // U+1E59 ṙ
    {"r", 0x1E5A},  // U+1E5A Ṛ
    {"r", 0x1E5A},  // U+1E5B ṛ
    {"r", 0x1E5C},  // U+1E5C Ṝ
    {"r", 0x1E5C},  // U+1E5D ṝ
    {"r", 0x1E5E},  // U+1E5E Ṟ
    {"r", 0x1E5E},  // U+1E5F ṟ
    {"s", 0x1E60},  // U+1E60 Ṡ
    {"s", 0x1E60},  // U+1E61 ṡ
    {"s", 0x1E62},  // U+1E62 Ṣ
    {"s", 0x1E62},  // U+1E63 ṣ
    {"s", 0x1E64},  // U+1E64 Ṥ
    {"s", 0x1E64},  // U+1E65 ṥ
    {"s", 0x1E66},  // U+1E66 Ṧ
    {"s", 0x1E66},  // U+1E67 ṧ
    {"s", 0x1E68},  // U+1E68 Ṩ
    {"s", 0x1E68},  // U+1E69 ṩ
    {"t", 0x1E6A},  // U+1E6A Ṫ
    {"t", 0x1E6A},  // U+1E6B ṫ
    {"t", 0x1E6C},  // U+1E6C Ṭ
    {"t", 0x1E6C},  // U+1E6D ṭ
    {"t", 0x1E6E},  // U+1E6E Ṯ
    {"t", 0x1E6E},  // U+1E6F ṯ
    {"t", 0x1E70},  // U+1E70 Ṱ
    {"t", 0x1E70},  // U+1E71 ṱ
    {"u", 0x1E72},  // U+1E72 Ṳ
    {"u", 0x1E72},  // U+1E73 ṳ
    {"u", 0x1E74},  // U+1E74 Ṵ
    {"u", 0x1E74},  // U+1E75 ṵ
    {"u", 0x1E76},  // U+1E76 Ṷ
    {"u", 0x1E76},  // U+1E77 ṷ
    {"u", 0x1E78},  // U+1E78 Ṹ
    {"u", 0x1E78},  // U+1E79 ṹ
    {"u", 0x1E7A},  // U+1E7A Ṻ
    {"u", 0x1E7A},  // U+1E7B ṻ
    {"v", 0x1E7C},  // U+1E7C Ṽ
    {"v", 0x1E7C},  // U+1E7D ṽ
    {"v", 0x1E7E},  // U+1E7E Ṿ
    {"v", 0x1E7E},  // U+1E7F ṿ
    {"w", 0x1E80},  // U+1E80 Ẁ
    {"w", 0x1E80},  // U+1E81 ẁ
    {"w", 0x1E82},  // U+1E82 Ẃ
    {"w", 0x1E82},  // U+1E83 ẃ
    {"w", 0x1E84},  // U+1E84 Ẅ
    {"w", 0x1E84},  // U+1E85 ẅ
    {"w", 0x1E86},  // U+1E86 Ẇ
    {"w", 0x1E86},  // U+1E87 ẇ
    {"w", 0x1E88},  // U+1E88 Ẉ
    {"w", 0x1E88},  // U+1E89 ẉ
    {"x", 0x1E8A},  // U+1E8A Ẋ
    {"x", 0x1E8A},  // U+1E8B ẋ
    {"x", 0x1E8C},  // U+1E8C Ẍ
    {"x", 0x1E8C},  // U+1E8D ẍ
    {"y", 0x1E8E},  // U+1E8E Ẏ
    {"y", 0x1E8E},  // U+1E8F ẏ
    {"z", 0x1E90},  // U+1E90 Ẑ
    {"z", 0x1E90},  // U+1E91 ẑ
    {"z", 0x1E92},  // U+1E92 Ẓ
    {"z", 0x1E92},  // U+1E93 ẓ
    {"z", 0x1E94},  // U+1E94 Ẕ
    {"z", 0x1E94},  // U+1E95 ẕ
    {"h", 0x1E96},  // U+1E96 ẖ
    {"t", 0x1E97},  // U+1E97 ẗ
    {"w", 0x1E98},  // U+1E98 ẘ
    {"y", 0x1E99},  // U+1E99 ẙ
    {"a", 0x1E9A},  // U+1E9A ẚ
    {"s", 0x1E60},  // U+1E9B ẛ
    {"s", 0x1E9C},  // U+1E9C ẜ
    {"s", 0x1E9D},  // U+1E9D ẝ
    {"ss", 0x1E9E},  // U+1E9E ẞ
    {"d", 0x1E9F},  // U+1E9F ẟ
    {"a", 0x1EA0},  // U+1EA0 Ạ
    {"a", 0x1EA0},  // U+1EA1 ạ
    {"a", 0x1EA2},  // U+1EA2 Ả
    {"a", 0x1EA2},  // U+1EA3 ả
    {"a", 0x1EA4},  // U+1EA4 Ấ
    {"a", 0x1EA4},  // U+1EA5 ấ
    {"a", 0x1EA6},  // U+1EA6 Ầ
    {"a", 0x1EA6},  // U+1EA7 ầ
    {"a", 0x1EA8},  // U+1EA8 Ẩ
    {"a", 0x1EA8},  // U+1EA9 ẩ
    {"a", 0x1EAA},  // U+1EAA Ẫ
    {"a", 0x1EAA},  // U+1EAB ẫ
    {"a", 0x1EAC},  // U+1EAC Ậ
    {"a", 0x1EAC},  // U+1EAD ậ
    {"a", 0x1EAE},  // U+1EAE Ắ
    {"a", 0x1EAE},  // U+1EAF ắ
    {"a", 0x1EB0},  // U+1EB0 Ằ
    {"a", 0x1EB0},  // U+1EB1 ằ
    {"a", 0x1EB2},  // U+1EB2 Ẳ
    {"a", 0x1EB2},  // U+1EB3 ẳ
    {"a", 0x1EB4},  // U+1EB4 Ẵ
    {"a", 0x1EB4},  // U+1EB5 ẵ
    {"a", 0x1EB6},  // U+1EB6 Ặ
    {"a", 0x1EB6},  // U+1EB7 ặ
    {"e", 0x1EB8},  // U+1EB8 Ẹ
    {"e", 0x1EB8},  // U+1EB9 ẹ
    {"e", 0x1EBA},  // U+1EBA Ẻ
    {"e", 0x1EBA},  // U+1EBB ẻ
    {"e", 0x1EBC},  // U+1EBC Ẽ
    {"e", 0x1EBC},  // U+1EBD ẽ
    {"e", 0x1EBE},  // U+1EBE Ế
    {"e", 0x1EBE},  // U+1EBF ế
    {"e", 0x1EC0},  // U+1EC0 Ề
    {"e", 0x1EC0},  // U+1EC1 ề
    {"e", 0x1EC2},  // U+1EC2 Ể
    {"e", 0x1EC2},  // U+1EC3 ể
    {"e", 0x1EC4},  // U+1EC4 Ễ
    {"e", 0x1EC4},  // U+1EC5 ễ
    {"e", 0x1EC6},  // U+1EC6 Ệ
    {"e", 0x1EC6},  // U+1EC7 ệ
    {"i", 0x1EC8},  // U+1EC8 Ỉ
    {"i", 0x1EC8},  // U+1EC9 ỉ
    {"i", 0x1ECA},  // U+1ECA Ị
    {"i", 0x1ECA},  // U+1ECB ị
    {"o", 0x1ECC},  // U+1ECC Ọ
    {"o", 0x1ECC},  // U+1ECD ọ
    {"o", 0x1ECE},  // U+1ECE Ỏ
    {"o", 0x1ECE},  // U+1ECF ỏ
    {"o", 0x1ED0},  // U+1ED0 Ố
    {"o", 0x1ED0},  // U+1ED1 ố
    {"o", 0x1ED2},  // U+1ED2 Ồ
    {"o", 0x1ED2},  // U+1ED3 ồ
    {"o", 0x1ED4},  // U+1ED4 Ổ
    {"o", 0x1ED4},  // U+1ED5 ổ
    {"o", 0x1ED6},  // U+1ED6 Ỗ
    {"o", 0x1ED6},  // U+1ED7 ỗ
    {"o", 0x1ED8},  // U+1ED8 Ộ
    {"o", 0x1ED8},  // U+1ED9 ộ
    {"o", 0x1EDA},  // U+1EDA Ớ
    {"o", 0x1EDA},  // U+1EDB ớ
    {"o", 0x1EDC},  // U+1EDC Ờ
    {"o", 0x1EDC},  // U+1EDD ờ
    {"o", 0x1EDE},  // U+1EDE Ở
    {"o", 0x1EDE},  // U+1EDF ở
    {"o", 0x1EE0},  // U+1EE0 Ỡ
    {"o", 0x1EE0},  // U+1EE1 ỡ
    {"o", 0x1EE2},  // U+1EE2 Ợ
    {"o", 0x1EE2},  // U+1EE3 ợ
    {"u", 0x1EE4},  // U+1EE4 Ụ
    {"u", 0x1EE4},  // U+1EE5 ụ
    {"u", 0x1EE6},  // U+1EE6 Ủ
    {"u", 0x1EE6},  // U+1EE7 ủ
    {"u", 0x1EE8},  // U+1EE8 Ứ
    {"u", 0x1EE8},  // U+1EE9 ứ
    {"u", 0x1EEA},  // U+1EEA Ừ
    {"u", 0x1EEA},  // U+1EEB ừ
    {"u", 0x1EEC},  // U+1EEC Ử
    {"u", 0x1EEC},  // U+1EED ử
    {"u", 0x1EEE},  // U+1EEE Ữ
    {"u", 0x1EEE},  // U+1EEF ữ
    {"u", 0x1EF0},  // U+1EF0 Ự
    {"u", 0x1EF0},  // U+1EF1 ự
    {"y", 0x1EF2},  // U+1EF2 Ỳ
    {"y", 0x1EF2},  // U+1EF3 ỳ
    {"y", 0x1EF4},  // U+1EF4 Ỵ
    {"y", 0x1EF4},  // U+1EF5 ỵ
    {"y", 0x1EF6},  // U+1EF6 Ỷ
    {"y", 0x1EF6},  // U+1EF7 ỷ
    {"y", 0x1EF8},  // U+1EF8 Ỹ
    {"y", 0x1EF8},  // U+1EF9 ỹ
    {"ll", 0x1EFA},  // U+1EFA Ỻ
    {"ll", 0x1EFA},  // U+1EFB ỻ
    {"v", 0x1EFC},  // U+1EFC Ỽ
    {"v", 0x1EFC},  // U+1EFD ỽ
    {"y", 0x1EFE},  // U+1EFE Ỿ
    {"y", 0x1EFE},  // U+1EFF ỿ
};

static_assert(sizeof(kLatinA) / sizeof(kLatinA[0]) == 0x24F - 0xC0 + 1);
static_assert(sizeof(kLatinB) / sizeof(kLatinB[0]) == 0x1EFF - 0x1E00 + 1);

// --- Cyrillic (U+0400..U+052F) simple case mapping -------------------------

constexpr bool cyr_even_pair_range(char32_t cp) {
    // Upper = even, lower = odd.
    return (cp >= 0x0460 && cp <= 0x0481) || (cp >= 0x048A && cp <= 0x04BF) ||
           (cp >= 0x04D0 && cp <= 0x052F);
}

constexpr char32_t cyr_lower(char32_t cp) {
    if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;  // Ѐ..Џ (Ё Є І Ї Ў ...)
    if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;  // А..Я
    if (cyr_even_pair_range(cp)) return (cp % 2 == 0) ? cp + 1 : cp;
    if (cp == 0x04C0) return 0x04CF;  // palochka
    if (cp >= 0x04C1 && cp <= 0x04CE) return (cp % 2 == 1) ? cp + 1 : cp;
    return cp;
}

constexpr char32_t cyr_upper(char32_t cp) {
    if (cp >= 0x0450 && cp <= 0x045F) return cp - 0x50;
    if (cp >= 0x0430 && cp <= 0x044F) return cp - 0x20;
    if (cyr_even_pair_range(cp)) return (cp % 2 == 1) ? cp - 1 : cp;
    if (cp == 0x04CF) return 0x04C0;
    if (cp >= 0x04C1 && cp <= 0x04CE) return (cp % 2 == 0) ? cp - 1 : cp;
    return cp;
}

// --- per code point folding -------------------------------------------------

enum class Fold { Break, Drop, Str, Cp };

struct Folded {
    Fold kind;
    const char* str;  // Fold::Str
    char32_t cp;      // Fold::Cp
};

constexpr Folded kBreak{Fold::Break, nullptr, 0};
constexpr Folded kDrop{Fold::Drop, nullptr, 0};
constexpr Folded emit_cp(char32_t cp) { return {Fold::Cp, nullptr, cp}; }

constexpr bool is_combining_mark(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F);
}

constexpr bool is_apostrophe(char32_t cp) {
    switch (cp) {
        case U'\'': case U'`': case 0x00B4:  // ´
        case 0x02B9: case 0x02BB: case 0x02BC: case 0x02BE: case 0x02BF:  // ʹ ʻ ʼ ʾ ʿ
        case 0x2018: case 0x2019: case 0x201B: case 0x2032:  // ‘ ’ ‛ ′
        case 0xFF07:  // fullwidth '
            return true;
        default:
            return false;
    }
}

constexpr bool is_invisible_format(char32_t cp) {
    return cp == 0x00AD ||                      // soft hyphen
           (cp >= 0x200B && cp <= 0x200D) ||    // ZW space / ZWNJ / ZWJ
           (cp >= 0x2060 && cp <= 0x2064) ||    // word joiner, invisible ops
           (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
           cp == 0xFEFF ||                      // BOM / ZWNBSP
           (cp >= 0xE0000 && cp <= 0xE0FFF);    // tags, VS supplement
}

// ASCII part of fold_cp as a table: the folded character, or break/drop.
constexpr char kAsciiBreak = 0;
constexpr char kAsciiDrop = 1;
constexpr auto kAsciiFold = [] {
    struct Table {
        char v[128];
        constexpr char operator[](unsigned char i) const { return v[i]; }
    } t{};
    for (int c = 0; c < 128; ++c) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            t.v[c] = static_cast<char>(c);
        else if (c >= 'A' && c <= 'Z')
            t.v[c] = static_cast<char>(c + 32);
        else if (c == '\'' || c == '`')
            t.v[c] = kAsciiDrop;
        else
            t.v[c] = kAsciiBreak;
    }
    return t;
}();

Folded fold_cp(char32_t cp) {
    if (cp < 0x80) {
        if (cp >= 'a' && cp <= 'z') return emit_cp(cp);
        if (cp >= '0' && cp <= '9') return emit_cp(cp);
        if (cp >= 'A' && cp <= 'Z') return emit_cp(cp + 32);
        if (cp == '\'' || cp == '`') return kDrop;
        return kBreak;
    }
    if (is_apostrophe(cp) || is_combining_mark(cp) || is_invisible_format(cp)) return kDrop;
    if (cp < 0xC0) return kBreak;  // C1 controls, NBSP, Latin-1 punctuation/symbols
    if (cp <= 0x24F) {
        const char* f = kLatinA[cp - 0xC0].fold;
        return f ? Folded{Fold::Str, f, 0} : kBreak;
    }
    if (cp <= 0x2AF) return emit_cp(cp);  // IPA extensions: lowercase letters
    if (cp <= 0x2FF) return kBreak;       // spacing modifier letters (apostrophes handled above)
    if (cp >= 0x0400 && cp <= 0x052F) {
        if (cp == 0x0482) return kBreak;  // ҂ thousands sign
        if (cp >= 0x0483 && cp <= 0x0489) return kDrop;  // Cyrillic combining marks
        char32_t c = cyr_lower(cp);
        if (c == 0x0451 || c == 0x0450) c = 0x0435;  // ё ѐ -> е
        else if (c == 0x045D) c = 0x0438;            // ѝ -> и
        return emit_cp(c);
    }
    if (cp >= 0x1E00 && cp <= 0x1EFF) return {Fold::Str, kLatinB[cp - 0x1E00].fold, 0};
    if (cp >= 0x2000 && cp <= 0x2BFF) return kBreak;  // punctuation, symbols, arrows, math...
    if (cp >= 0x2E00 && cp <= 0x2E7F) return kBreak;  // supplemental punctuation
    if (cp >= 0x3000 && cp <= 0x303F) return kBreak;  // CJK punctuation, ideographic space
    if (cp >= 0xE000 && cp <= 0xF8FF) return kBreak;  // private use
    if (cp >= 0xFE10 && cp <= 0xFE6F) return kBreak;  // vertical/small forms
    if (cp >= 0xFF01 && cp <= 0xFF5E) {               // fullwidth ASCII
        if (cp >= 0xFF10 && cp <= 0xFF19) return emit_cp(cp - 0xFF10 + '0');
        if (cp >= 0xFF21 && cp <= 0xFF3A) return emit_cp(cp - 0xFF21 + 'a');
        if (cp >= 0xFF41 && cp <= 0xFF5A) return emit_cp(cp - 0xFF41 + 'a');
        return kBreak;
    }
    if (cp >= 0xFFF0 && cp <= 0xFFFF) return kBreak;    // specials, U+FFFD
    if (cp >= 0x1F000 && cp <= 0x1FAFF) return kBreak;  // emoji & pictographs
    if (cp >= 0xF0000) return kBreak;                   // supplementary private use
    return emit_cp(cp);  // other scripts: pass through
}

}  // namespace

// ---------------------------------------------------------------------------

bool utf8_decode(std::string_view s, std::size_t& i, char32_t& cp) { return decode(s, i, cp); }

void utf8_pop_back(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
}

void utf8_append(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
        return;
    }
    char buf[4];
    std::size_t n = 0;
    if (cp < 0x800) {
        buf[n++] = static_cast<char>(0xC0 | (cp >> 6));
    } else if (cp < 0x10000) {
        buf[n++] = static_cast<char>(0xE0 | (cp >> 12));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    } else {
        buf[n++] = static_cast<char>(0xF0 | (cp >> 18));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        buf[n++] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    }
    buf[n++] = static_cast<char>(0x80 | (cp & 0x3F));
    out.append(buf, n);
}

char32_t to_upper(char32_t cp) {
    if (cp >= 'a' && cp <= 'z') return cp - 32;
    if (cp >= 0xC0 && cp <= 0x24F) return kLatinA[cp - 0xC0].upper;
    if (cp >= 0x1E00 && cp <= 0x1EFF) return kLatinB[cp - 0x1E00].upper;
    if (cp >= 0x0400 && cp <= 0x052F) return cyr_upper(cp);
    if (cp >= 0xFF41 && cp <= 0xFF5A) return cp - 0x20;
    return cp;
}

bool is_space(char32_t cp) {
    return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

std::string_view trim(std::string_view s) {
    std::size_t begin = s.size(), end = 0, i = 0;
    while (i < s.size()) {
        const std::size_t start = i;
        char32_t cp = 0;
        const bool ok = decode(s, i, cp);
        if (!ok || !is_space(cp)) {
            if (begin == s.size()) begin = start;
            end = i;
        }
    }
    if (begin >= end) return {};
    return s.substr(begin, end - begin);
}

void fold_append(std::string_view s, std::string& out) {
    bool in_word = false;
    bool any = false;
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {  // ASCII fast path (same result as fold_cp)
            ++i;
            const char c = kAsciiFold[b];
            if (c == kAsciiBreak) {
                in_word = false;
            } else if (c != kAsciiDrop) {
                if (!in_word) {
                    if (any) out += ' ';
                    in_word = true;
                    any = true;
                }
                out += c;
            }
            continue;
        }
        char32_t cp = 0;
        if (!decode(s, i, cp)) {
            in_word = false;  // invalid byte = word break
            continue;
        }
        const Folded f = fold_cp(cp);
        if (f.kind == Fold::Break) {
            in_word = false;
            continue;
        }
        if (f.kind == Fold::Drop) continue;
        if (!in_word) {
            if (any) out += ' ';
            in_word = true;
            any = true;
        }
        if (f.kind == Fold::Str)
            out += f.str;
        else
            utf8_append(out, f.cp);
    }
}

std::string fold(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    fold_append(utf8, out);
    return out;
}

std::vector<std::string> fold_words(std::string_view utf8) {
    const std::string folded = fold(utf8);
    std::vector<std::string> words;
    std::size_t pos = 0;
    while (pos < folded.size()) {
        std::size_t sp = folded.find(' ', pos);
        if (sp == std::string::npos) sp = folded.size();
        words.emplace_back(folded, pos, sp - pos);
        pos = sp + 1;
    }
    return words;
}

std::string digits_only(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c >= '0' && c <= '9') out += c;
    return out;
}

std::size_t utf8_length(std::string_view utf8) {
    std::size_t n = 0, i = 0;
    char32_t cp = 0;
    while (i < utf8.size()) {
        decode(utf8, i, cp);  // invalid bytes advance by one and count as one
        ++n;
    }
    return n;
}

std::string masked_name(std::string_view first, std::string_view last) {
    std::string out;
    // First name as stored, trimmed; invalid bytes sanitised to U+FFFD.
    const std::string_view f = trim(first);
    out.reserve(f.size() + 8);
    std::size_t run = 0;  // start of the pending run of valid bytes
    for (std::size_t i = 0; i < f.size();) {
        const std::size_t start = i;
        char32_t cp = 0;
        if (static_cast<unsigned char>(f[i]) < 0x80) {
            ++i;
        } else if (!decode(f, i, cp)) {
            out.append(f.substr(run, start - run));
            out += "\xEF\xBF\xBD";  // U+FFFD
            run = i;
        }
    }
    out.append(f.substr(run));
    // Initial: first letter/digit of the last name, plus any combining marks
    // that follow it (decomposed input such as "E\u0301").
    std::string initial;
    for (std::size_t i = 0; i < last.size();) {
        char32_t cp = 0;
        if (!decode(last, i, cp)) continue;
        const Folded k = fold_cp(cp);
        if (k.kind != Fold::Str && k.kind != Fold::Cp) continue;
        utf8_append(initial, to_upper(cp));
        while (i < last.size()) {
            std::size_t j = i;
            char32_t mark = 0;
            if (!decode(last, j, mark) || !is_combining_mark(mark)) break;
            utf8_append(initial, mark);
            i = j;
        }
        break;
    }
    if (!initial.empty()) {
        if (!out.empty()) out += ' ';
        out += initial;
        out += '.';
    }
    return out;
}

}  // namespace studio
