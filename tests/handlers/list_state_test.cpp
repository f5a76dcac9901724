#include "handlers/clients_list.hpp"

#include <catch2/catch.hpp>

using namespace handlers;

TEST_CASE("list state round-trips through a control value") {
  std::vector<list_state> states;
  list_state s;
  states.push_back(s);
  s.tab = store::tab::all;
  s.page = 14;
  states.push_back(s);
  s.tab = std::nullopt;
  s.missing_only = true;
  s.most_missing_first = true;
  s.page = 0;
  states.push_back(s);
  s.tab = store::tab::invites;
  s.most_missing_first = false;
  s.descending = true;
  s.search = "Ærø | Cykler|";
  s.page = 3;
  states.push_back(s);
  s.tab = store::tab::onboarding;
  s.search = "a";
  states.push_back(s);

  for (const auto& st : states) {
    const auto value = encode_list_state(st);
    INFO(value);
    CHECK(value.size() <= 2000);
    auto back = decode_list_state(value);
    REQUIRE(back);
    CHECK(*back == st);
  }
}

TEST_CASE("forged or garbled list values are refused") {
  const std::vector<std::string> bad = {
      "",
      "L1",
      "L2|m||0|",
      "L1|z||0|",
      "L1|mm||0|",
      "L1|m|q|0|",
      "L1|m|xx|0|",
      "L1|m|dx|0|", // flags out of order
      "L1|m|dn|0|", // both name order and most missing
      "L1|m||-1|",
      "L1|m||01|",
      "L1|m||abc|",
      "L1|m||9999999|",
      "L1|m||0",
      "L1|m|0|",
      "L1|m||0| leading space",
      std::string{"L1|m||0|bad\xff"},
      std::string{"L1|m||0|tab\there"},
      "L1|m||0|" + std::string(600, 'a'),
      "open|c-1",
  };
  for (const auto& v : bad) {
    INFO(v);
    CHECK_FALSE(decode_list_state(v));
  }
}
