#include "handlers/format.hpp"

#include <catch2/catch.hpp>

using namespace handlers;

TEST_CASE("money and counts read Danish style with thousands separators") {
  CHECK(format_money({0, "DKK"}) == "DKK 0,00");
  CHECK(format_money({5, "DKK"}) == "DKK 0,05");
  CHECK(format_money({1200, "DKK"}) == "DKK 12,00");
  CHECK(format_money({123456, "EUR"}) == "EUR 1.234,56");
  CHECK(format_money({1234550, "DKK"}) == "DKK 12.345,50");
  CHECK(format_money({-300, "EUR"}) == "EUR -3,00");
  CHECK(format_money({-12345678900, "SEK"}) == "SEK -123.456.789,00");
  CHECK(format_count(0) == "0");
  CHECK(format_count(12) == "12");
  CHECK(format_count(143) == "143");
  CHECK(format_count(1234) == "1.234");
  CHECK(format_count(12345) == "12.345");
  CHECK(format_count(1234567) == "1.234.567");
  CHECK(format_count(-1234) == "-1.234");
}

TEST_CASE("clip counts characters, not bytes, and never splits one") {
  CHECK(clip("Acme", 10) == "Acme");
  CHECK(clip("ÆØÅæøå", 6) == "ÆØÅæøå");
  CHECK(clip("ÆØÅæøå", 4) == "ÆØÅ\u2026");
  CHECK(utf8_length(clip(std::string(100, 'x'), 75)) == 75);
  CHECK(valid_utf8(clip("ææææææææ", 3)));
  CHECK(utf8_length("Ærø") == 3);
  CHECK(valid_utf8("Ærø Cykler"));
  CHECK_FALSE(valid_utf8("\xc3"));
  CHECK_FALSE(valid_utf8("\xc0\xaf"));
  CHECK_FALSE(valid_utf8("\xed\xa0\x80"));
}

TEST_CASE("local time is Copenhagen wall-clock time") {
  CHECK(format_local_time("2026-11-27T09:00:00Z", english) == "27 Nov 2026 10:00");
  CHECK(format_local_time("2026-07-01T08:30:00Z", english) == "1 Jul 2026 10:30");
  CHECK(format_local_time("not a time", english) == "not a time");
  CHECK(format_local_time("2026-07-01T08:30:00Z", danish) == "1. juli 2026 kl. 10.30");
}

TEST_CASE("the portal link puts the client id into the template") {
  CHECK(portal_link("https://app.pleo.io/partner/clients/{client_id}", "c-1") ==
        "https://app.pleo.io/partner/clients/c-1");
  CHECK(portal_link("https://portal.example/", "c-1") == "https://portal.example/c-1");
}
