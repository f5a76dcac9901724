#include "bot/cli/text_render.hpp"
#include "handlers/actions.hpp"
#include "handlers/dispatch.hpp"
#include "support/small_firm.hpp"

using namespace handlers;
using test_support::button_labelled;
using test_support::buttons_of;
using test_support::mentions;

namespace {

std::optional<handlers::select> select_of(const view& v) {
  for (const auto& b : v.blocks)
    if (const auto* row = std::get_if<action_row>(&b))
      for (const auto& c : row->controls)
        if (const auto* s = std::get_if<handlers::select>(&c)) return *s;
  return std::nullopt;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

} // namespace

TEST_CASE("a client card shows the figures, bookkeepers, as-of time, link and controls") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-anna"), "client acme aps");
  CHECK(std::get<header>(v.blocks.front()).text == "Acme ApS");
  // 09:00 UTC is 10:00 in Copenhagen in November.
  for (const char* fact : {"Status: Active", "Wallet balance: DKK 12.345,50", "Missing receipts: 4",
                           "Ready for export: 12", "Anna Admin", "Bo Bogholder", "as of 27 Nov 2026 10:00"}) {
    INFO(fact);
    CHECK(mentions(v, fact));
  }
  CHECK_FALSE(mentions(v, "Cy Clerk"));
  auto go = button_labelled(v, "Go to client");
  REQUIRE(go);
  CHECK(go->url == "https://app.pleo.io/partner/clients/c-acme");
  auto notify = button_labelled(v, "Notify the bookkeepers");
  REQUIRE(notify);
  CHECK(notify->action_id == std::string{actions::reminder_open});
  CHECK(notify->value == "c-acme");
  auto digest = select_of(v);
  REQUIRE(digest);
  CHECK(digest->action_id == std::string{actions::digest_set});

  const auto text = bot::plain::render_text(v);
  INFO(text);
  CHECK(text.find("Acme ApS") != std::string::npos);
  CHECK(text.find("DKK 12.345,50") != std::string::npos);
  CHECK(text.find("[Go to client] <https://app.pleo.io/partner/clients/c-acme>") != std::string::npos);
  CHECK(text.find("[Notify the bookkeepers]") != std::string::npos);
}

TEST_CASE("the portal link follows the configured template") {
  test_support::small_firm f;
  f.settings.portal_url_template = "https://portal.example/c/{client_id}/overview";
  const auto v = f.command_view(f.as("m-anna"), "client acme aps");
  CHECK(button_labelled(v, "Go to client")->url == "https://portal.example/c/c-acme/overview");
}

TEST_CASE("a bookkeeper's card has no reminder button") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-bo"), "client acme");
  CHECK(std::get<header>(v.blocks.front()).text == "Acme ApS");
  CHECK_FALSE(button_labelled(v, "Notify the bookkeepers"));
}

TEST_CASE("an ambiguous name lists the candidates as buttons, never a guess") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  const auto v = f.command_view(anna, "client acme");
  const auto picks = buttons_of(v);
  REQUIRE(picks.size() == 2);
  CHECK(picks[0].label == "Acme ApS");
  CHECK(picks[0].action_id == std::string{actions::client_open});
  CHECK(picks[1].label == "Acme Holding A/S");
  // Another firm's "Acme Other ApS" is never a candidate.
  CHECK_FALSE(mentions(v, "Acme Other"));

  auto r = on_action(f.ctx, anna, action{picks[1].action_id, picks[1].value});
  REQUIRE(r.message);
  CHECK(r.replace_original);
  CHECK(std::get<header>(r.message->blocks.front()).text == "Acme Holding A/S");
}

TEST_CASE("an unknown name says so and offers the nearest names") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-anna"), "client acne aps");
  CHECK(mentions(v, "can't find a client called \u201cacne aps\u201d"));
  CHECK(mentions(v, "Acme ApS"));
  const auto typo = f.command_view(f.as("m-anna"), "client nordsk design");
  CHECK(mentions(typo, "Nordisk Design ApS"));
}

TEST_CASE("a client not assigned to a bookkeeper reads exactly like one that does not exist") {
  test_support::small_firm f;
  const auto bo = f.as("m-bo");
  const auto hidden = f.command_view(bo, "client hemmelig holding aps");
  const auto absent = f.command_view(bo, "client hemmelix holding aps");
  CHECK(replace_all(test_support::all_text(hidden), "hemmelig", "NAME") ==
        replace_all(test_support::all_text(absent), "hemmelix", "NAME"));
  CHECK_FALSE(mentions(hidden, "Hemmelig"));
}

TEST_CASE("View details opens the card as a new message; a forged id is expired") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  auto r = on_action(f.ctx, anna, action{actions::client_menu, "open|c-aero"});
  REQUIRE(r.message);
  CHECK_FALSE(r.replace_original);
  CHECK(std::get<header>(r.message->blocks.front()).text == "Ærø Cykler ApS");
  CHECK(mentions(*r.message, "DKK -3,00"));

  for (auto a : {action{actions::client_menu, "open|c-other"}, action{actions::client_menu, "open|"},
                 action{actions::client_menu, "open"}, action{actions::client_menu, "explode|c-acme"},
                 action{actions::client_open, ""}, action{actions::client_open, std::string(500, 'x')}}) {
    INFO(a.value);
    auto e = on_action(f.ctx, anna, a);
    REQUIRE(e.message);
    CHECK(mentions(*e.message, "expired"));
  }
  // The link item needs no answer.
  auto link = on_action(f.ctx, anna, action{actions::client_menu, "link|c-acme"});
  CHECK_FALSE(link.message);
}
