#include "bot/slack/parse.hpp"
#include "support/slack_signing.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace bot::slack;
namespace json = boost::json;

TEST_CASE("a slash command body gives text, team, user, channel, response_url and trigger") {
  test_support::command_fields f;
  f.text = "search ærø & co+more";
  f.response_url = "https://hooks.slack.com/commands/T1/2/abc";
  auto parsed = parse_command(test_support::command_body(f));
  REQUIRE(parsed);
  CHECK(parsed->text == "search ærø & co+more");
  CHECK(parsed->team_id == "T0001");
  CHECK(parsed->user_id == "U0001");
  CHECK(parsed->channel_id == "C0001");
  CHECK(parsed->command == "/pleo");
  CHECK(parsed->response_url == "https://hooks.slack.com/commands/T1/2/abc");
  CHECK(parsed->trigger_id == "trigger-1");
  CHECK_FALSE(parsed->ssl_check);
}

TEST_CASE("a command's text has Slack's entities decoded and its mentions kept") {
  CHECK(typed_text("search Hansen &amp; Søn") == "search Hansen & Søn");
  CHECK(typed_text("search &lt;b&gt; &amp;amp;") == "search <b> &amp;");
  // What the user picked (a person, an address) arrives as markup and becomes neutral text.
  CHECK(typed_text("link <@U1|anna> <mailto:a@b.dk|a@b.dk>") == "link @{U1} a@b.dk");
  CHECK(typed_text("link <@W42> x") == "link @{W42} x");
  CHECK(typed_text("digest channel <#C1|general>") == "digest channel <#C1|general>");
  CHECK(typed_text("unfinished &am") == "unfinished &am");
  auto parsed = parse_command("team_id=T1&user_id=U1&text=search+Hansen+%26amp%3B+S%C3%B8n");
  REQUIRE(parsed);
  CHECK(parsed->text == "search Hansen & Søn");
}

TEST_CASE("a plus in a form body is a space") {
  auto parsed = parse_command("team_id=T1&user_id=U1&text=clients+all+missing");
  REQUIRE(parsed);
  CHECK(parsed->text == "clients all missing");
}

TEST_CASE("a form body is read up to its own end, never into the buffer that follows it") {
  const std::string buffer = "team_id=T1&user_id=U1&text=clients+all";
  const auto body = std::string_view(buffer).substr(0, buffer.size() - std::string_view("+all").size());
  auto parsed = parse_command(body);
  REQUIRE(parsed);
  CHECK(parsed->text == "clients");
  auto empty = parse_form(std::string_view(buffer).substr(0, 0));
  REQUIRE(empty);
  CHECK(empty.value->empty());
}

TEST_CASE("ssl_check bodies are recognised without any other field") {
  auto parsed = parse_command("ssl_check=1&token=abc");
  REQUIRE(parsed);
  CHECK(parsed->ssl_check);
}

TEST_CASE("malformed command bodies give an error, never an exception") {
  CHECK_FALSE(parse_command("team_id=T1&text=x"));        // no user
  CHECK_FALSE(parse_command("user_id=U1"));               // no team
  CHECK_FALSE(parse_command("team_id=%zz&user_id=U1"));   // bad escape
  CHECK_FALSE(parse_command(std::string("\x00\xff", 2))); // binary
  auto r = parse_command("");
  CHECK_FALSE(r);
  CHECK_FALSE(r.error.empty());
}

TEST_CASE("a button press gives the action id and value, without the renderer's suffix") {
  auto payload =
      test_support::block_action_payload("T1", "U1", "clients.page:3", "tab=all&page=2", "http://x/r");
  auto parsed = parse_interaction(test_support::interaction_body(payload));
  REQUIRE(parsed);
  CHECK(parsed->kind == interaction_kind::block_actions);
  CHECK(parsed->action.action_id == "clients.page");
  CHECK(parsed->action.value == "tab=all&page=2");
  CHECK(parsed->team_id == "T1");
  CHECK(parsed->user_id == "U1");
  CHECK(parsed->channel_id == "C0001");
  CHECK(parsed->response_url == "http://x/r");
  CHECK(parsed->trigger_id == "trigger-2");
  CHECK(parsed->container.type == "message");
  CHECK(parsed->container.is_ephemeral);
  CHECK_FALSE(parsed->is_link);
}

TEST_CASE("an overflow or select choice gives the chosen option's value") {
  auto payload =
      test_support::block_action_payload("T1", "U1", "clients.menu", "open|c-7", "http://x/r", true);
  auto parsed = parse_interaction(test_support::interaction_body(payload));
  REQUIRE(parsed);
  CHECK(parsed->action.action_id == "clients.menu");
  CHECK(parsed->action.value == "open|c-7");
}

TEST_CASE("link buttons and link menu items are recognised as links") {
  auto button = test_support::block_action_payload("T1", "U1", "_link:2", "", "http://x/r");
  auto item = test_support::block_action_payload("T1", "U1", "clients.menu", "_link", "http://x/r", true);
  auto a = parse_interaction(test_support::interaction_body(button));
  auto b = parse_interaction(test_support::interaction_body(item));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->is_link);
  CHECK(b->is_link);
}

TEST_CASE("a team of null falls back to the user's team") {
  auto payload = test_support::block_action_payload("T1", "U1", "client.open", "c-1", "http://x/r");
  payload["team"] = nullptr;
  auto parsed = parse_interaction(test_support::interaction_body(payload));
  REQUIRE(parsed);
  CHECK(parsed->team_id == "T1");
}

TEST_CASE("a view submission gives the form id, metadata, a stable id and every input's values") {
  auto payload =
      test_support::view_submission_payload("T1", "U1", "reminder", R"({"client":"c-1"})",
                                            {{"tasks", "checkboxes", {"missing_receipts", "wallet_balance"}},
                                             {"comment", "plain_text_input", {"Please look at it"}},
                                             {"other", "plain_text_input", {}}},
                                            "V42", "hash-9");
  auto parsed = parse_interaction(test_support::interaction_body(payload));
  REQUIRE(parsed);
  CHECK(parsed->kind == interaction_kind::view_submission);
  const auto& sub = parsed->submission;
  CHECK(sub.form_id == "reminder");
  CHECK(sub.private_metadata == R"({"client":"c-1"})");
  CHECK(sub.submission_id == "V42:hash-9");
  CHECK(sub.values.at("tasks") == std::vector<std::string>{"missing_receipts", "wallet_balance"});
  CHECK(sub.values.at("comment") == std::vector<std::string>{"Please look at it"});
  CHECK(sub.values.at("other").empty());
}

TEST_CASE("other interaction types parse as other") {
  json::object payload{{"type", "view_closed"}, {"team", {{"id", "T1"}}}, {"user", {{"id", "U1"}}}};
  auto parsed = parse_interaction(test_support::interaction_body(payload));
  REQUIRE(parsed);
  CHECK(parsed->kind == interaction_kind::other);
}

TEST_CASE("malformed interaction payloads give an error, never an exception") {
  using test_support::form_body;
  CHECK_FALSE(parse_interaction(""));
  CHECK_FALSE(parse_interaction("foo=bar"));
  CHECK_FALSE(parse_interaction(form_body({{"payload", "{not json"}})));
  CHECK_FALSE(parse_interaction(form_body({{"payload", "[1,2]"}})));
  CHECK_FALSE(parse_interaction(form_body({{"payload", R"({"type":7})"}})));
  CHECK_FALSE(parse_interaction(
      form_body({{"payload", R"({"type":"block_actions","team":{"id":"T"},"user":{"id":"U"}})"}})));
  CHECK_FALSE(parse_interaction(form_body(
      {{"payload", R"({"type":"block_actions","team":{"id":"T"},"user":{"id":"U"},"actions":[{}]})"}})));
  CHECK_FALSE(parse_interaction(
      form_body({{"payload", R"({"type":"block_actions","actions":[{"action_id":"a","value":"v"}]})"}})));
  CHECK_FALSE(parse_interaction(form_body(
      {{"payload", R"({"type":"view_submission","team":{"id":"T"},"user":{"id":"U"},"view":5})"}})));
  CHECK_FALSE(parse_interaction(
      form_body({{"payload", R"({"type":"block_actions","team":"T","user":[],"actions":"x"})"}})));
}

TEST_CASE("events: url_verification carries the challenge") {
  auto parsed = parse_event(
      R"({"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})");
  REQUIRE(parsed);
  CHECK(parsed->type == "url_verification");
  CHECK(parsed->challenge == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  auto callback =
      parse_event(R"({"type":"event_callback","team_id":"T1","event":{"type":"app_home_opened"}})");
  REQUIRE(callback);
  CHECK(callback->event_type == "app_home_opened");
  CHECK_FALSE(parse_event("nope"));
  CHECK_FALSE(parse_event("{}"));
}
