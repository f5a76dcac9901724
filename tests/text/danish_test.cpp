#include "store/money.hpp"
#include "text/danish.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

TEST_CASE("fold_case lower-cases ASCII and Latin letters and keeps Nordic ones") {
  CHECK(text::fold_case("ÆRØ Cykler ÅBEN") == "ærø cykler åben");
  // Unicode's case folding, as ICU has it: the capital sharp s folds to ß,
  // so "straße" finds "STRAẞE".
  CHECK(text::fold_case("MÜLLER STRAẞE") == "müller straße");
  CHECK(text::fold_case("Ἀθῆναι ΜΟΣΚΒΑ") == "ἀθῆναι μοσκβα");
  CHECK(text::fold_case("ŁÓDŹ") == "łódź");
  CHECK(text::fold_case("abc 123") == "abc 123");
}

TEST_CASE("fold_ascii spells Nordic and German letters in ASCII") {
  CHECK(text::fold_ascii("Ærø") == "aero");
  CHECK(text::fold_ascii("Østerbro") == "osterbro");
  CHECK(text::fold_ascii("Ålborg Tømrer") == "aalborg tomrer");
  CHECK(text::fold_ascii("Müller Straße Göteborg Café") == "muller strasse goteborg cafe");
  CHECK(text::fold_ascii("\xff broken") == "\xef\xbf\xbd broken"); // invalid UTF-8 becomes U+FFFD
}

TEST_CASE("Danish sort keys order A..Z, then Æ, Ø, Å, with Aa as Å, case-insensitively") {
  std::vector<std::string> names{"ålborg", "Østerbro", "Zebra",  "ærø",  "Aarhus", "abc",   "Ægir",
                                 "øst",    "Åbyhøj",   "Müller", "Mads", "Yding",  "9 Tal", "Zz"};
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return text::danish_sort_key(a) < text::danish_sort_key(b);
  });
  CHECK(names == std::vector<std::string>{"9 Tal", "abc", "Mads", "Müller", "Yding", "Zebra", "Zz", "Ægir",
                                          "ærø", "øst", "Østerbro", "Åbyhøj", "ålborg", "Aarhus"});
  CHECK(text::danish_sort_key("abc") < text::danish_sort_key("abc d"));
  CHECK(text::danish_sort_key("ABC") != text::danish_sort_key("abc")); // a total order, ties broken by bytes
  // Ü sorts with Y: "Müller" between "Myg" and "Mz".
  CHECK(text::danish_sort_key("Myg") < text::danish_sort_key("Müller"));
  CHECK(text::danish_sort_key("Müller") < text::danish_sort_key("Mz"));
}

TEST_CASE("sort keys keep invalid UTF-8 and empty names in a total order") {
  CHECK(text::danish_sort_key("") < text::danish_sort_key("a"));
  CHECK(text::danish_sort_key("\xff broken") != text::danish_sort_key("\xfe broken"));
  CHECK_FALSE(text::danish_sort_key_version().empty());
}

TEST_CASE("amounts are exact decimals with at most two places") {
  CHECK(store::parse_amount("1234.5") == 123450);
  CHECK(store::parse_amount("1234.50") == 123450);
  CHECK(store::parse_amount("-3.00") == -300);
  CHECK(store::parse_amount("0") == 0);
  CHECK(store::parse_amount("0.01") == 1);
  CHECK(store::parse_amount("999999999999999.99") == 99999999999999999);
  for (const char* bad :
       {"12,5", "1.234", "1e3", "", ".5", "+1", "1.", "-", "- 1", "1 ", "abc", "1000000000000000"})
    CHECK_FALSE(store::parse_amount(bad));
}

TEST_CASE("timestamps normalise to UTC") {
  CHECK(store::normalize_timestamp("2026-11-27T10:00:00+01:00") == "2026-11-27T09:00:00Z");
  CHECK(store::normalize_timestamp("2026-03-01T00:30:00.250+02:00") == "2026-02-28T22:30:00Z");
  CHECK(store::normalize_timestamp("2028-02-29T12:00:00Z") == "2028-02-29T12:00:00Z");
  for (const char* bad : {"2026-02-29T12:00:00Z", "2026-11-27", "2026-11-27T10:00:00", "yesterday",
                          "2026-11-27T25:00:00Z", "2026-11-27T10:00:00+1:00"})
    CHECK_FALSE(store::normalize_timestamp(bad));
}
