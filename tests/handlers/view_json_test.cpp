#include "handlers/view_json.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace handlers;

namespace {

// Every block and accessory type, with non-ASCII text and empty strings.
view every_kind() {
  view v;
  v.summary = "Ærø Cykler ApS: DKK 12.345,50";
  v.blocks.push_back(header{"Ærø Cykler ApS"});
  v.blocks.push_back(section{"Plain", "two\nlines", {}});
  v.blocks.push_back(section{"", "with a button",
                             button{"Go to client", "link", "c-1", "https://app.pleo.io/partner/clients/c-1",
                                    button_style::primary}});
  v.blocks.push_back(section{"Menu", "with a menu",
                             menu{"clients.menu",
                                  {{"Go to client", "link|c-1", "https://x.example/c-1"},
                                   {"View details", "open|c-1", ""},
                                   {"Notify the bookkeepers", "remind|c-1", ""}}}});
  v.blocks.push_back(
      section{"Select", "with a select",
              handlers::select{
                  "digest.set", "Digest", {{"Daily", "c-1|daily"}, {"Off", "c-1|off"}}, "c-1|off", "Save"}});
  v.blocks.push_back(fields{{{"Status", "Active"}, {"Wallet balance", "DKK -3,00"}}});
  v.blocks.push_back(divider{});
  v.blocks.push_back(action_row{{button{"Delete", "x.delete", "v\"quoted\"", "", button_style::danger},
                                 button{"Next \u2192", "clients.page", "L1|m||1|", "", button_style::plain},
                                 handlers::select{"digest.set", "", {}, "", ""}}});
  v.blocks.push_back(note{"Figures as of 27 Nov 2026 10:00"});
  return v;
}

} // namespace

TEST_CASE("a view survives the JSON round trip unchanged") {
  const auto v = every_kind();
  const auto json = view_to_json(v);
  const auto back = view_from_json(json);
  // Serializing again gives the same text: every field came back.
  CHECK(view_to_json(back) == json);
  REQUIRE(back.blocks.size() == v.blocks.size());
  CHECK(back.summary == v.summary);
  const auto& s = std::get<section>(back.blocks[3]);
  const auto& m = std::get<menu>(s.side);
  REQUIRE(m.items.size() == 3);
  CHECK(m.items[0].url == "https://x.example/c-1");
  CHECK(m.items[2].value == "remind|c-1");
  const auto& row = std::get<action_row>(back.blocks[7]);
  CHECK(std::get<button>(row.controls[0]).style == button_style::danger);
  CHECK(std::get<button>(row.controls[0]).value == "v\"quoted\"");
  CHECK(std::get<handlers::select>(std::get<section>(back.blocks[4]).side).initial == "c-1|off");
  CHECK(std::holds_alternative<std::monostate>(std::get<section>(back.blocks[1]).side));
}

TEST_CASE("a view keeps the language it is written in through the outbox's JSON") {
  view danish_view;
  danish_view.summary = "Dit Pleo-sammendrag";
  danish_view.lang = language::da;
  CHECK(view_from_json(view_to_json(danish_view)).lang == language::da);
  CHECK(view_from_json(view_to_json(view{})).lang == language::en);
  // Rows written before views said their language read as English.
  CHECK(view_from_json(R"({"v":1,"summary":"x","blocks":[]})").lang == language::en);
}

TEST_CASE("an empty view round-trips") {
  const auto back = view_from_json(view_to_json(view{}));
  CHECK(back.summary.empty());
  CHECK(back.blocks.empty());
}

TEST_CASE("a payload that is not a serialized view is refused") {
  for (const char* bad : {"", "not json", "[]", "{}", R"({"v":2,"summary":"","blocks":[]})",
                          R"({"v":1,"summary":"","blocks":{}})", R"({"v":1,"summary":3,"blocks":[]})",
                          R"({"v":1,"blocks":[{"type":"banner"}]})", R"({"v":1,"blocks":[{"text":"x"}]})",
                          R"({"v":1,"blocks":[{"type":"section","side":{"type":"dial"}}]})",
                          R"({"v":1,"blocks":[{"type":"actions","controls":[{"type":"menu","items":[]}]}]})",
                          R"({"v":1,"blocks":[{"type":"fields","items":[1]}]})"}) {
    INFO(bad);
    CHECK_THROWS_AS(view_from_json(bad), std::invalid_argument);
  }
}
