// What the install flow reads from Slack: oauth.v2.access answers and the
// organisation and removal details of requests and events.

#include "bot/slack/oauth.hpp"
#include "bot/slack/parse.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace json = boost::json;

TEST_CASE("oauth.v2.access answers become an installation keyed as Bolt keys them") {
  auto body = json::parse(R"({"ok":true,"access_token":"xoxb-1","token_type":"bot","scope":"commands",
    "bot_user_id":"UB","app_id":"A1","team":{"id":"T1","name":"One"},"enterprise":null,
    "authed_user":{"id":"U1"},"is_enterprise_install":false})")
                  .as_object();
  auto a = bot::slack::parse_oauth_access(body);
  REQUIRE(a);
  CHECK(a->team_id == "T1");
  CHECK(a->expires_in == 0);
  CHECK(a->refresh_token.empty());
  auto key = bot::slack::installation_key_of(*a);
  CHECK(key.workspace_id == "T1");
  CHECK(key.enterprise_id.empty());

  auto org = json::parse(R"({"ok":true,"access_token":"xoxe.xoxb-2","token_type":"bot","team":null,
    "enterprise":{"id":"E1","name":"Org"},"is_enterprise_install":true,"refresh_token":"xoxe-1-r",
    "expires_in":43200})")
                 .as_object();
  auto o = bot::slack::parse_oauth_access(org);
  REQUIRE(o);
  CHECK(o->expires_in == 43200);
  CHECK(bot::slack::installation_key_of(*o).workspace_id.empty());
  CHECK(bot::slack::installation_key_of(*o).enterprise_id == "E1");

  // A user token alone, or no workspace, is no installation.
  CHECK_FALSE(bot::slack::parse_oauth_access(
      json::parse(R"({"ok":true,"access_token":"xoxp-1","token_type":"user","team":{"id":"T1"}})")
          .as_object()));
  CHECK_FALSE(bot::slack::parse_oauth_access(
      json::parse(R"({"ok":true,"access_token":"xoxb-1","token_type":"bot"})").as_object()));
}

TEST_CASE("requests and events carry the organisation, the Home tab and bot token revocations") {
  auto cmd = bot::slack::parse_command("team_id=T1&enterprise_id=E1&user_id=U1&text=clients");
  REQUIRE(cmd);
  CHECK(cmd->enterprise_id == "E1");

  auto ev = bot::slack::parse_event(R"({"type":"event_callback","team_id":"T1","enterprise_id":"E1",
    "authorizations":[{"enterprise_id":"E1","team_id":null,"is_enterprise_install":true}],
    "event":{"type":"tokens_revoked","tokens":{"oauth":["U1"],"bot":["UB"]}}})");
  REQUIRE(ev);
  CHECK(ev->enterprise_id == "E1");
  CHECK(ev->enterprise_install);
  CHECK(ev->bot_tokens_revoked);

  auto user_only = bot::slack::parse_event(
      R"({"type":"event_callback","team_id":"T1","event":{"type":"tokens_revoked","tokens":{"oauth":["U1"]}}})");
  REQUIRE(user_only);
  CHECK_FALSE(user_only->bot_tokens_revoked);

  auto home = bot::slack::parse_event(
      R"({"type":"event_callback","team_id":"T1","event":{"type":"app_home_opened","user":"U7","tab":"home"}})");
  REQUIRE(home);
  CHECK(home->user_id == "U7");
  CHECK(home->tab == "home");
  CHECK_FALSE(home->enterprise_install);
}
