#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/text_fold.h"

using studio::digits_only;
using studio::fold;
using studio::fold_words;
using studio::masked_name;
using studio::utf8_length;

TEST_CASE("fold: ASCII lowercase, words joined by single spaces", "[text_fold]") {
    CHECK(fold("Anna Karenina") == "anna karenina");
    CHECK(fold("  ANNA   karenina  ") == "anna karenina");
    CHECK(fold("") == "");
    CHECK(fold("   ") == "");
    CHECK(fold("R2D2") == "r2d2");
}

TEST_CASE("fold: hyphens, dots and punctuation are word breaks", "[text_fold]") {
    CHECK(fold("Mary-Jane Watson") == "mary jane watson");
    CHECK(fold("J.R.R. Tolkien") == "j r r tolkien");
    CHECK(fold("Anna,Maria;(Eva)") == "anna maria eva");
    CHECK(fold("Jean\xE2\x80\x93Luc") == "jean luc");         // en dash
    CHECK(fold("Jean\xE2\x80\x90Luc") == "jean luc");         // U+2010 hyphen
    CHECK(fold("Anna\xC2\xA0Maria") == "anna maria");         // NBSP
    CHECK(fold("Anna\tMaria\nEva") == "anna maria eva");
    CHECK(fold("-- Anna --") == "anna");
    CHECK(fold("Anna\xF0\x9F\x98\x80" "Eva") == "anna eva");     // emoji
}

TEST_CASE("fold: apostrophe variants are dropped", "[text_fold]") {
    CHECK(fold("O'Brien") == "obrien");
    CHECK(fold("O\xE2\x80\x99" "Brien") == "obrien");  // ’ U+2019
    CHECK(fold("O\xCA\xBC" "Brien") == "obrien");      // ʼ U+02BC
    CHECK(fold("O`Brien") == "obrien");
    CHECK(fold("O\xC2\xB4" "Brien") == "obrien");      // ´ U+00B4
    CHECK(fold("O\xE2\x80\x98" "Brien") == "obrien");  // ‘ U+2018
    CHECK(fold("D'Artagnan-Smith") == "dartagnan smith");
    CHECK(fold("'Anna'") == "anna");
    CHECK(fold("O' Brien") == "o brien");  // a space still separates
    CHECK(fold("Д\xE2\x80\x99" "Арк") == "дарк");  // Ukrainian apostrophe in Cyrillic
}

TEST_CASE("fold: Latin-1 and Latin Extended-A diacritics", "[text_fold]") {
    CHECK(fold("José") == "jose");
    CHECK(fold("Zoë") == "zoe");
    CHECK(fold("ZOË") == "zoe");
    CHECK(fold("Ångström") == "angstrom");
    CHECK(fold("François Müller") == "francois muller");
    CHECK(fold("ÀÁÂÃÄÅàáâãäå") == "aaaaaaaaaaaa");
    CHECK(fold("ÇçÈÉÊËèéêëÌÍÎÏìíîïÑñ") == "cceeeeeeeeiiiiiiiinn");
    CHECK(fold("ÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ") == "oooooooooouuuuuuuuyyy");
    CHECK(fold("Dvořák Čapek Šťastný Žižka") == "dvorak capek stastny zizka");
    CHECK(fold("Łukasz Żółć Ąę Śń Ź") == "lukasz zolc ae sn z");
    CHECK(fold("Őrs Űr Ğül Şule İpek ı") == "ors ur gul sule ipek i");
    CHECK(fold("Āķīļņ Ēģ Ūš") == "akiln eg us");
    CHECK(fold("Ŀ ŀ") == "l l");
    CHECK(fold("×÷") == "");                // Latin-1 math symbols are breaks
    CHECK(fold("a×b") == "a b");
}

TEST_CASE("fold: special letters and ligatures", "[text_fold]") {
    CHECK(fold("Straße") == "strasse");
    CHECK(fold("STRASSE") == "strasse");
    CHECK(fold("ẞ") == "ss");
    CHECK(fold("Łódź") == "lodz");
    CHECK(fold("ł") == "l");
    CHECK(fold("Øystein Søren") == "oystein soren");
    CHECK(fold("Æsa Cæsar") == "aesa caesar");
    CHECK(fold("Œuvre cœur") == "oeuvre coeur");
    CHECK(fold("Đorđe đ") == "dorde d");
    CHECK(fold("Þór Þorsteinsson") == "thor thorsteinsson");
    CHECK(fold("Guðrún Ð") == "gudrun d");
    CHECK(fold("Ĳsbrand") == "ijsbrand");
}

TEST_CASE("fold: Latin Extended-B and Extended Additional", "[text_fold]") {
    CHECK(fold("Ștefan Țurcanu") == "stefan turcanu");   // comma below
    CHECK(fold("Şerban Ţepeş") == "serban tepes");       // cedilla variants
    CHECK(fold("Nguyễn Thị Phương") == "nguyen thi phuong");
    CHECK(fold("ơ ư Ơ Ư") == "o u o u");
    CHECK(fold("ạ ế Ạ Ế ỹ") == "a e a e y");
    CHECK(fold("Đặng Trần Quốc") == "dang tran quoc");
    CHECK(fold("ǅ ǆ") == "dz dz");
    CHECK(fold("ƒ") == "f");
}

TEST_CASE("fold: decomposed (combining) diacritics are removed", "[text_fold]") {
    CHECK(fold("Jose\xCC\x81") == "jose");          // e + U+0301
    CHECK(fold("Zoe\xCC\x88") == "zoe");            // e + U+0308
    CHECK(fold("\xD0\x95\xCC\x88лкина") == "елкина");  // Е + U+0308
    CHECK(fold("Ма\xCC\x81рия") == "мария");         // stress mark
}

TEST_CASE("fold: Cyrillic case folding", "[text_fold]") {
    CHECK(fold("Ж") == "ж");
    CHECK(fold("ж") == "ж");
    CHECK(fold("ЖАННА") == "жанна");
    CHECK(fold("Ё") == "е");
    CHECK(fold("ё") == "е");
    CHECK(fold("Ёлкина") == "елкина");
    CHECK(fold("ЁЛКИНА") == "елкина");
    CHECK(fold("Й") == "й");   // й keeps its breve
    CHECK(fold("й") == "й");
    CHECK(fold("Андрей") == "андрей");
    CHECK(fold("Ї") == "ї");
    CHECK(fold("ї") == "ї");
    CHECK(fold("Є") == "є");
    CHECK(fold("є") == "є");
    CHECK(fold("І") == "і");
    CHECK(fold("Ґ") == "ґ");
    CHECK(fold("Ў") == "ў");   // Belarusian
    CHECK(fold("ЇЖАК Євген Іван Ґанна") == "їжак євген іван ґанна");
    CHECK(fold("АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ") == "абвгдежзийклмнопрстуфхцчшщъыьэюя");
    CHECK(fold("ЂЃЅЈЉЊЋЌЏ") == "ђѓѕјљњћќџ");
    CHECK(fold("Ѐ Ѝ") == "е и");
    CHECK(fold("Ғ Қ Ң Ү Ұ Һ Ә Ө") == "ғ қ ң ү ұ һ ә ө");   // Kazakh
    CHECK(fold("Анна-Мария Петрова") == "анна мария петрова");
}

TEST_CASE("fold: fullwidth ASCII and invisible characters", "[text_fold]") {
    CHECK(fold("\xEF\xBC\xA1\xEF\xBD\x8E\xEF\xBD\x8E\xEF\xBD\x81") == "anna");  // Ａｎｎａ
    CHECK(fold("Ma\xC2\xADria") == "maria");        // soft hyphen
    CHECK(fold("\xEF\xBB\xBF" "Anna") == "anna");   // BOM
    CHECK(fold("An\xE2\x80\x8Bna") == "anna");      // zero-width space
}

TEST_CASE("fold: invalid UTF-8 never crashes, bytes are word breaks", "[text_fold]") {
    CHECK(fold("\xFF") == "");
    CHECK(fold("An\xFFna") == "an na");
    CHECK(fold("Anna\xC3") == "anna");              // truncated 2-byte sequence
    CHECK(fold("\xC3" "Anna") == "anna");           // lead byte followed by ASCII
    CHECK(fold("a\xE2\x82z") == "a z");             // truncated 3-byte
    CHECK(fold("a\xC0\xAFz") == "a z");             // overlong '/'
    CHECK(fold("a\xED\xA0\x80z") == "a z");         // UTF-16 surrogate
    CHECK(fold("a\xF4\x90\x80\x80z") == "a z");     // > U+10FFFF
    CHECK(fold("a\x80\x80\x80z") == "a z");         // lone continuations
    CHECK(fold("\xF0\x9F\x98") == "");              // truncated 4-byte at end

    // Deterministic garbage: every byte value, many lengths; must terminate.
    std::string junk;
    unsigned x = 12345;
    for (int i = 0; i < 20000; ++i) {
        x = x * 1103515245u + 12345u;
        junk += static_cast<char>(x >> 16);
    }
    for (std::size_t len = 0; len < 64; ++len) {
        const std::string f = fold(std::string_view(junk).substr(len * 97, len));
        CHECK((f.empty() || (f.front() != ' ' && f.back() != ' ')));
        CHECK(f.find("  ") == std::string::npos);
    }
    const std::string big = fold(junk);
    CHECK(big.find("  ") == std::string::npos);
    CHECK(studio::utf8_length(junk) <= junk.size());
    CHECK_FALSE(masked_name(junk, junk).empty());
}

TEST_CASE("fold_words splits the folded text", "[text_fold]") {
    CHECK(fold_words("Mary-Jane  O'Brien") == std::vector<std::string>{"mary", "jane", "obrien"});
    CHECK(fold_words("Ёлкина Ї") == std::vector<std::string>{"елкина", "ї"});
    CHECK(fold_words("").empty());
    CHECK(fold_words(" - ' . ").empty());
    CHECK(fold_words("\xFF\xFE").empty());
}

TEST_CASE("fold_append appends without a leading separator", "[text_fold]") {
    std::string out = "x|";
    studio::fold_append("  Anna  K ", out);
    CHECK(out == "x|anna k");
}

TEST_CASE("digits_only", "[text_fold]") {
    CHECK(digits_only("+7 (912) 555-01-02") == "79125550102");
    CHECK(digits_only("") == "");
    CHECK(digits_only("abc") == "");
    CHECK(digits_only("GS-00012") == "00012");
    CHECK(digits_only("\xEF\xBC\x91" "2") == "2");  // only ASCII digits
}

TEST_CASE("utf8_length counts code points", "[text_fold]") {
    CHECK(utf8_length("") == 0);
    CHECK(utf8_length("Anna") == 4);
    CHECK(utf8_length("Zoë") == 3);
    CHECK(utf8_length("Ёлкина") == 6);
    CHECK(utf8_length("\xF0\x9F\x98\x80") == 1);  // emoji
    CHECK(utf8_length("a\xFF" "b") == 3);          // invalid byte counts as one
    CHECK(utf8_length("\xE2\x82") == 2);            // truncated: two invalid bytes
}

TEST_CASE("masked_name: first name + uppercase initial", "[text_fold]") {
    CHECK(masked_name("Anna", "Karenina") == "Anna K.");
    CHECK(masked_name("anna", "karenina") == "anna K.");  // first name as stored
    CHECK(masked_name("  Anna \t", "  Karenina ") == "Anna K.");
    CHECK(masked_name("Юлия", "ёлкина") == "Юлия Ё.");
    CHECK(masked_name("Юлия", "Ёлкина") == "Юлия Ё.");
    CHECK(masked_name("Sean", "O'Brien") == "Sean O.");
    CHECK(masked_name("Sean", "o’brien") == "Sean O.");
    CHECK(masked_name("Sean", "'t Hooft") == "Sean T.");
    CHECK(masked_name("Élodie", "élan") == "Élodie É.");
    CHECK(masked_name("Lech", "łęcki") == "Lech Ł.");
    CHECK(masked_name("Ivan", "ștefan") == "Ivan Ș.");
    CHECK(masked_name("Olha", "їжак") == "Olha Ї.");
    CHECK(masked_name("Olha", "євтушенко") == "Olha Є.");
    CHECK(masked_name("Anna", "жукова") == "Anna Ж.");
    CHECK(masked_name("Anna", "ølberg") == "Anna Ø.");
    CHECK(masked_name("Anna", "æbelø") == "Anna Æ.");
    CHECK(masked_name("Anna", "e\xCC\x81lan") == "Anna E\xCC\x81.");  // keeps combining accent
    CHECK(masked_name("Mary-Jane", "Watson-Parker") == "Mary-Jane W.");
}

TEST_CASE("masked_name: empty parts", "[text_fold]") {
    CHECK(masked_name("Anna", "") == "Anna");
    CHECK(masked_name("Anna", "   ") == "Anna");
    CHECK(masked_name("Anna", "-'.") == "Anna");
    CHECK(masked_name("", "Karenina") == "K.");
    CHECK(masked_name("", "") == "");
    CHECK(masked_name("Anna\xFF", "K") == "Anna\xEF\xBF\xBD K.");  // invalid byte -> U+FFFD
}

TEST_CASE("masked_name never leaks more than the initial", "[text_fold]") {
    const std::vector<std::pair<std::string, std::string>> names = {
        {"Anna", "Karenina"}, {"José", "Álvarez"}, {"Zoë", "Ødegaard"}, {"Юлия", "Ёлкина"},
        {"Олег", "Їжаков"},   {"Sean", "O'Brien"}, {"Mary-Jane", "Watson"}, {"Þóra", "Þórsdóttir"},
        {"Łucja", "Łęcka"},   {"Ștefan", "Țurcanu"}, {"Nguyễn", "Ánh"}, {"Œdipe", "Œuvre"},
    };
    for (const auto& [first, last] : names) {
        const std::string m = masked_name(first, last);
        INFO(first << " / " << last << " -> " << m);
        CHECK(m.find(last) == std::string::npos);
        CHECK(m.rfind(first + " ", 0) == 0);
        CHECK(m.back() == '.');
        CHECK(utf8_length(m) == utf8_length(first) + 3);  // " " + initial + "."
    }
}
