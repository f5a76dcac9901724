#include "bot/slack/render.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <set>

using namespace bot::slack;
namespace json = boost::json;
namespace h = handlers;

namespace {

std::string text_of(const json::value& block) {
  return std::string(block.at("text").at("text").as_string());
}

std::size_t chars(const json::value& s) {
  return text_length(s.as_string());
}

} // namespace

TEST_CASE("a view renders as text plus header, section, fields, divider, actions and context blocks") {
  h::view v;
  v.summary = "Clients of Nordlys";
  v.blocks.push_back(h::header{"My clients"});
  v.blocks.push_back(h::section{"Acme ApS", "4 missing receipts",
                                h::menu{"clients.menu",
                                        {{"Go to client", "", "https://app.pleo.io/partner/clients/c-1"},
                                         {"View details", "open|c-1", ""}}}});
  v.blocks.push_back(h::fields{{{"Balance", "DKK 12.345,50"}, {"Missing receipts", "4"}}});
  v.blocks.push_back(h::divider{});
  v.blocks.push_back(h::action_row{{h::button{"Next", "clients.page", "p=2", "", h::button_style::primary}}});
  v.blocks.push_back(h::note{"Showing 1–10 of 53"});
  auto msg = render_message(v);
  CHECK(msg.at("text") == "Clients of Nordlys");
  const auto& blocks = msg.at("blocks").as_array();
  REQUIRE(blocks.size() == 6);
  CHECK(blocks[0].at("type") == "header");
  CHECK(text_of(blocks[0]) == "My clients");
  CHECK(blocks[1].at("type") == "section");
  CHECK(text_of(blocks[1]) == "*Acme ApS*\n4 missing receipts");
  const auto& overflow = blocks[1].at("accessory");
  CHECK(overflow.at("type") == "overflow");
  CHECK(overflow.at("action_id") == "clients.menu");
  CHECK(overflow.at("options").at(0).at("url") == "https://app.pleo.io/partner/clients/c-1");
  CHECK(overflow.at("options").at(0).at("value").as_string() == link_marker);
  CHECK(overflow.at("options").at(1).at("value") == "open|c-1");
  CHECK(blocks[2].at("fields").at(0).at("text") == "*Balance*\nDKK 12.345,50");
  CHECK(blocks[3].at("type") == "divider");
  const auto& button = blocks[4].at("elements").at(0);
  CHECK(button.at("type") == "button");
  CHECK(button.at("action_id") == "clients.page");
  CHECK(button.at("value") == "p=2");
  CHECK(button.at("style") == "primary");
  CHECK(blocks[5].at("type") == "context");
  CHECK(blocks[5].at("elements").at(0).at("text") == "Showing 1–10 of 53");
}

TEST_CASE("mrkdwn special characters in user data are escaped") {
  h::view v;
  v.summary = "A & B <C>";
  v.blocks.push_back(h::section{"Smith & Sons <Ltd>", "<!channel> a > b", {}});
  auto msg = render_message(v);
  CHECK(msg.at("text") == "A &amp; B &lt;C&gt;");
  CHECK(text_of(msg.at("blocks").at(0)) == "*Smith &amp; Sons &lt;Ltd&gt;*\n&lt;!channel&gt; a &gt; b");
}

TEST_CASE("a message never has more than 50 blocks") {
  h::view v;
  for (int i = 0; i < 80; ++i)
    v.blocks.push_back(h::section{"", "row " + std::to_string(i), {}});
  auto msg = render_message(v);
  const auto& blocks = msg.at("blocks").as_array();
  CHECK(blocks.size() == limits::message_blocks);
  CHECK(blocks.back().at("type") == "context");
}

TEST_CASE("the note on a message cut short is in the message's language") {
  for (const auto lang : {h::language::en, h::language::da}) {
    h::view v;
    v.lang = lang;
    for (int i = 0; i < 80; ++i)
      v.blocks.push_back(h::section{"", "row " + std::to_string(i), {}});
    const auto& expected = h::catalogue_for(lang).more_than_fits;
    const auto tree = render_message(v);
    CHECK(tree.at("blocks").as_array().back().at("elements").at(0).at("text").as_string() == expected);
    const auto written = json::parse(message_json(v)).as_object();
    CHECK(written.at("blocks").as_array().back().at("elements").at(0).at("text").as_string() == expected);
  }
}

TEST_CASE("long texts are cut to Slack's limits with an ellipsis, never inside an escape") {
  h::view v;
  v.summary = std::string(5000, 'x');
  v.blocks.push_back(h::section{"", std::string(5000, '&'), {}});
  v.blocks.push_back(h::section{"", std::string(4000, 'a') + "ø", {}});
  v.blocks.push_back(h::header{std::string(400, 'h')});
  v.blocks.push_back(h::note{std::string(4000, 'n')});
  v.blocks.push_back(h::fields{{{"Label", std::string(2500, 'f')}}});
  auto msg = render_message(v);
  CHECK(chars(msg.at("text")) <= limits::section_text);
  const auto& blocks = msg.at("blocks").as_array();
  auto amp = text_of(blocks[0]);
  CHECK(text_length(amp) <= limits::section_text);
  CHECK(amp.ends_with("&amp;…"));
  CHECK(text_length(text_of(blocks[1])) == limits::section_text);
  CHECK(text_length(text_of(blocks[2])) == limits::header_text);
  CHECK(text_of(blocks[2]).ends_with("…"));
  CHECK(chars(blocks[3].at("elements").at(0).at("text")) <= limits::context_text);
  CHECK(chars(blocks[4].at("fields").at(0).at("text")) <= limits::field_text);
}

TEST_CASE("text is cut by characters, not bytes") {
  CHECK(truncate_text("æøåæøå", 4) == "æøå…");
  CHECK(truncate_text("æøå", 3) == "æøå");
  CHECK(text_length("Ærø") == 3);
}

TEST_CASE("button labels are cut to 75 characters and overflow menus to 5 options") {
  h::menu m{"clients.menu", {}};
  for (int i = 0; i < 8; ++i)
    m.items.push_back({"Item " + std::to_string(i), "v" + std::to_string(i), ""});
  h::view v;
  v.blocks.push_back(h::section{"x", "", m});
  v.blocks.push_back(h::action_row{{h::button{std::string(100, 'b'), "clients.page", "1", "", {}}}});
  auto msg = render_message(v);
  const auto& blocks = msg.at("blocks").as_array();
  CHECK(blocks[0].at("accessory").at("options").as_array().size() == limits::overflow_options);
  CHECK(chars(blocks[1].at("elements").at(0).at("text").at("text")) == limits::button_text);
}

TEST_CASE("an overflow with a single item becomes a button with the same action") {
  h::view v;
  v.blocks.push_back(h::section{"x", "", h::menu{"clients.menu", {{"View details", "open|c-1", ""}}}});
  auto msg = render_message(v);
  const auto& side = msg.at("blocks").at(0).at("accessory");
  CHECK(side.at("type") == "button");
  CHECK(side.at("action_id") == "clients.menu");
  CHECK(side.at("value") == "open|c-1");
}

TEST_CASE("repeated action ids are made unique and map back to the handler's id") {
  h::view v;
  h::action_row row;
  for (int i = 0; i < 30; ++i)
    row.controls.push_back(h::button{"Tab", "clients.page", std::to_string(i), "", {}});
  row.controls.push_back(h::button{"Open in Pleo", "", "", "https://app.pleo.io", {}});
  v.blocks.push_back(row);
  auto msg = render_message(v);
  const auto& elements = msg.at("blocks").at(0).at("elements").as_array();
  CHECK(elements.size() == limits::actions_elements);
  std::set<std::string> ids;
  for (const auto& e : elements) {
    std::string id(e.at("action_id").as_string());
    ids.insert(id);
    CHECK(base_action_id(id) == "clients.page");
  }
  CHECK(ids.size() == elements.size());
}

TEST_CASE("a link button carries its url and the link marker") {
  h::view v;
  v.blocks.push_back(
      h::action_row{{h::button{"Go to client", "", "", "https://app.pleo.io/partner/clients/c-1", {}}}});
  auto msg = render_message(v);
  const auto& b = msg.at("blocks").at(0).at("elements").at(0);
  CHECK(b.at("url") == "https://app.pleo.io/partner/clients/c-1");
  CHECK(base_action_id(b.at("action_id").as_string()) == link_marker);
  CHECK_FALSE(b.as_object().contains("value"));
}

TEST_CASE("values too long for Slack drop the control instead of corrupting its state") {
  h::view v;
  v.blocks.push_back(h::action_row{{h::button{"Big", "clients.page", std::string(2001, 'v'), "", {}},
                                    h::button{"Ok", "clients.page", "small", "", {}}}});
  auto msg = render_message(v);
  const auto& elements = msg.at("blocks").at(0).at("elements").as_array();
  REQUIRE(elements.size() == 1);
  CHECK(elements[0].at("value") == "small");
}

TEST_CASE("a select keeps its options and preselects the initial one") {
  h::view v;
  v.blocks.push_back(h::section{
      "Digest", "",
      h::select{"digest.set", "Choose", {{"Daily", "c-1|daily"}, {"Off", "c-1|off"}}, "c-1|off", "Save"}});
  auto msg = render_message(v);
  const auto& sel = msg.at("blocks").at(0).at("accessory");
  CHECK(sel.at("type") == "static_select");
  CHECK(sel.at("options").as_array().size() == 2);
  CHECK(sel.at("initial_option").at("value") == "c-1|off");
  CHECK(sel.at("placeholder").at("text") == "Choose");
}

TEST_CASE("empty blocks are left out rather than sent empty") {
  h::view v;
  v.blocks.push_back(h::header{""});
  v.blocks.push_back(h::section{"", "", {}});
  v.blocks.push_back(h::fields{});
  v.blocks.push_back(h::action_row{});
  v.blocks.push_back(h::note{""});
  auto msg = render_message(v);
  CHECK(msg.at("blocks").as_array().empty());
  CHECK(msg.at("text") == "partnerbot");
}

TEST_CASE("a form renders as a modal with checkboxes, a bounded comment and its metadata") {
  h::form f;
  f.id = "reminder";
  f.title = "Notify: Østerbro Cykler og Reparationer ApS";
  f.submit_label = "Send";
  f.private_metadata = R"({"client":"c-1","channel":"C1"})";
  f.inputs.push_back(h::checkbox_group{
      "tasks",
      "Tasks",
      {{"Missing receipts (4)", "missing_receipts"}, {"Wallet balance (DKK 1.234,50)", "wallet_balance"}},
      {"missing_receipts"}});
  f.inputs.push_back(h::text_input{"comment", std::string(300, 'L'), "Add a comment", true, true, 500});
  f.inputs.push_back(h::note{"Sent to 3 bookkeepers"});
  auto modal = render_modal(f);
  CHECK(modal.at("type") == "modal");
  CHECK(modal.at("callback_id") == "reminder");
  CHECK(modal.at("private_metadata").as_string() == f.private_metadata);
  CHECK(chars(modal.at("title").at("text")) == limits::modal_title);
  CHECK(std::string(modal.at("title").at("text").as_string()).ends_with("…"));
  CHECK(modal.at("submit").at("text") == "Send");
  const auto& blocks = modal.at("blocks").as_array();
  REQUIRE(blocks.size() == 3);
  CHECK(blocks[0].at("type") == "input");
  CHECK(blocks[0].at("block_id") == "tasks");
  CHECK(blocks[0].at("element").at("type") == "checkboxes");
  CHECK(blocks[0].at("element").at("options").as_array().size() == 2);
  CHECK(blocks[0].at("element").at("initial_options").at(0).at("value") == "missing_receipts");
  CHECK(blocks[1].at("block_id") == "comment");
  CHECK(blocks[1].at("optional") == true);
  CHECK(blocks[1].at("element").at("type") == "plain_text_input");
  CHECK(blocks[1].at("element").at("multiline") == true);
  CHECK(blocks[1].at("element").at("max_length") == 500);
  CHECK(chars(blocks[1].at("label").at("text")) == limits::label_text);
  CHECK(blocks[2].at("type") == "context");
}
