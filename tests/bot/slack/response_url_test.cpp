// Where a response_url may send the bot: Slack's own hosts over https, or
// the configured Web API's origin; never anywhere else a signed payload
// names.

#include "bot/slack/response_url.hpp"
#include "support/slack_firm.hpp"

#include <catch2/catch.hpp>
#include <thread>

using namespace std::chrono_literals;
using namespace test_support;
using bot::slack::response_url_allowed;

namespace {

constexpr const char* slack_api = "https://slack.com/api/";
constexpr const char* fake_api = "http://127.0.0.1:4567/api/";

const slack_firm url_firm{"p-1", "T0001", "Nordic", 12};

} // namespace

TEST_CASE("a response_url on Slack's hosts over https is followed") {
  CHECK(response_url_allowed("https://hooks.slack.com/actions/T1/123/abc", slack_api));
  CHECK(response_url_allowed("https://HOOKS.Slack.com/commands/T1/123/abc", slack_api));
  CHECK(response_url_allowed("https://hooks.slack.com:443/actions/T1/123/abc", slack_api));
  CHECK(response_url_allowed("https://files.slack.com/x", slack_api));
}

TEST_CASE("a response_url anywhere else is refused, however it is dressed up") {
  for (const char* url : {
           "http://hooks.slack.com/actions/T1/123/abc",         // not https
           "https://hooks.slack.com:8443/actions/T1/123/abc",   // another port
           "https://slack.com.attacker.example/actions/x",      // suffix trick
           "https://hooks.slack.com.attacker.example/x",        //
           "https://attacker.example/hooks.slack.com/x",        // path trick
           "https://attackerslack.com/x",                       // no dot before slack.com
           "https://hooks.slack.com@127.0.0.1:4567/response/x", // userinfo trick
           "https://user:pw@hooks.slack.com/actions/x",         // any userinfo
           "http://127.0.0.1:4568/response/x",                  // loopback, other port
           "http://2130706433:4567/response/x",                 // decimal IP
           "http://0x7f000001:4567/response/x",                 // hex IP
           "https://hooks%2eslack.com/x",                       // escaped dot
           "https://127.0.0.1.slack.com/x",                     // read as 127.0.0.1 by some parsers
           "http://127.0.0.1.x:4567/response/x",                //
           "https://[::1]/x",                                   //
           "file:///etc/passwd",                                //
           "hooks.slack.com/actions/x",                         // relative
           "",                                                  //
       }) {
    INFO(url);
    CHECK_FALSE(response_url_allowed(url, slack_api));
    CHECK_FALSE(response_url_allowed(url, fake_api));
  }
}

TEST_CASE("a response_url on the configured API's origin is followed, and only that origin") {
  CHECK(response_url_allowed("http://127.0.0.1:4567/response/x", fake_api));
  CHECK_FALSE(response_url_allowed("http://127.0.0.1:4567/response/x", slack_api));
  CHECK_FALSE(response_url_allowed("https://127.0.0.1:4567/response/x", fake_api)); // other scheme
  CHECK_FALSE(response_url_allowed("http://localhost:4567/response/x", fake_api));  // other host
  CHECK_FALSE(response_url_allowed("http://127.0.0.1/response/x", fake_api));       // other port
  CHECK(response_url_allowed("https://slack.example/x", "https://slack.example:443/api/"));
}

TEST_CASE("a signed interaction cannot make the bot post a client card to another address") {
  slack_app app({&url_firm});
  fake_slack elsewhere; // a server on 127.0.0.1 the bot must not reach
  auto r = app.command(url_firm, url_firm.admin_user(), "search Client 003");
  REQUIRE(r.status == 200);
  auto details = find_control(body_json(r), "View details");
  REQUIRE(details);

  const std::string other_port = elsewhere.base_url().substr(17, elsewhere.base_url().find("/api/") - 17);
  const std::string api_port = app.fake.base_url().substr(17, app.fake.base_url().find("/api/") - 17);
  for (const std::string& url : {elsewhere.response_url("direct"),
                                 "http://hooks.slack.com@127.0.0.1:" + other_port + "/response/userinfo",
                                 "http://2130706433:" + other_port + "/response/decimal",
                                 "http://2130706433:" + api_port + "/response/decimal-same-port"}) {
    INFO(url);
    auto payload = block_action_payload(url_firm.team_id, url_firm.admin_user(), details->action_id,
                                        details->value, url, details->overflow);
    CHECK(app.post("/slack/interactions", interaction_body(payload)).status == 200);
  }
  // Follow-ups run in order: once a good one has arrived, the refused ones
  // before it have been dealt with.
  auto card = app.press_and_read(url_firm, url_firm.admin_user(), *details);
  CHECK(all_text(card).find(url_firm.client_name(3)) != std::string::npos);
  std::this_thread::sleep_for(300ms);
  CHECK(elsewhere.calls().empty());
  CHECK(app.fake.calls_to("response").size() == 1);
}
