#include "text/log_escape.hpp"

#include <catch2/catch.hpp>

using text::escape_for_log;

TEST_CASE("control characters in untrusted text become visible escapes") {
  CHECK(text::escape_for_log("error\nINFO forged") == "error\\nINFO forged");
  CHECK(text::escape_for_log("a\rb\tc") == "a\\rb\\tc");
  CHECK(text::escape_for_log("\x1b[31mred") == "\\x1b[31mred");
  CHECK(text::escape_for_log(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(text::escape_for_log("del\x7f") == "del\\x7f");
}

TEST_CASE("Unicode line breaks and C1 controls are escaped, letters are kept") {
  CHECK(text::escape_for_log("a\u2028b\u2029c") == "a\\u2028b\\u2029c");
  CHECK(text::escape_for_log("x\u0085y\u009bz") == "x\\u0085y\\u009bz");
  CHECK(text::escape_for_log("Ærø Cykler ApS — Østerbro") == "Ærø Cykler ApS — Østerbro");
  CHECK(text::escape_for_log("emoji 🧾") == "emoji 🧾");
}

TEST_CASE("bytes that are not UTF-8 are escaped one by one") {
  CHECK(text::escape_for_log("bad \xff\xfe end") == "bad \\xff\\xfe end");
  CHECK(text::escape_for_log("overlong \xc0\xaf") == "overlong \\xc0\\xaf");
  CHECK(text::escape_for_log("surrogate \xed\xa0\x80") == "surrogate \\xed\\xa0\\x80");
  CHECK(text::escape_for_log("cut \xc3") == "cut \\xc3");
}

TEST_CASE("escaped text is cut between characters at the limit") {
  CHECK(text::escape_for_log(std::string(500, 'a'), 10) == "aaaaaaa...");
  CHECK(text::escape_for_log(std::string(10, 'a'), 10) == std::string(10, 'a'));
  // "ø" is two bytes: never half of it.
  CHECK(text::escape_for_log("øøøøø", 6) == "ø...");
  // An escape is never cut either.
  CHECK(text::escape_for_log("ab\ncd", 5) == "ab...");
  CHECK(text::escape_for_log("ab\ncd", 6) == "ab\\ncd");
}

TEST_CASE("escaping escaped text changes nothing") {
  const std::string hostile = "line\r\nnext \x1b]0;title\x07 \xff \u2028 " + std::string(400, 'x');
  const auto once = text::escape_for_log(hostile, 120);
  CHECK(text::escape_for_log(once, 120) == once);
  for (char c : once)
    CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
}
