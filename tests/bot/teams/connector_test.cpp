#include "bot/net/http_client.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/platform.hpp"
#include "support/fake_botframework.hpp"
#include "support/run_coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

bot::teams::connector_settings settings_for(const test_support::fake_botframework& fake) {
  bot::teams::connector_settings s;
  s.app_id = "app-1";
  s.app_password = "s3cret pass&word";
  s.token_url = fake.token_url();
  return s;
}

struct connector_rig {
  test_support::fake_botframework fake;
  boost::asio::io_context io;
  bot::http_client http{io};
  bot::teams::connector api;

  connector_rig() : api(io, http, settings_for(fake)) {}
  explicit connector_rig(std::function<void(bot::teams::connector_settings&)> adjust)
      : api(io, http, [&] {
          auto s = settings_for(fake);
          adjust(s);
          return s;
        }()) {}

  bot::teams::connector_result send(std::string conversation, std::string text) {
    return test_support::run_coroutine(io, [&] {
      return api.send(fake.service_url(), conversation, json::object{{"type", "message"}, {"text", text}});
    });
  }
};

} // namespace

TEST_CASE("a token from the client-credentials flow is fetched once for many sends") {
  connector_rig r;
  for (int i = 0; i < 5; ++i)
    CHECK(r.send("a:user-" + std::to_string(i), "hello").ok);

  const auto tokens = r.fake.requests_to("token");
  REQUIRE(tokens.size() == 1);
  CHECK(r.api.token_requests() == 1);
  CHECK(tokens[0].tenant == "botframework.com");
  CHECK(tokens[0].body.at("grant_type") == "client_credentials");
  CHECK(tokens[0].body.at("client_id") == "app-1");
  CHECK(tokens[0].body.at("client_secret") == "s3cret pass&word");
  CHECK(tokens[0].body.at("scope") == "https://api.botframework.com/.default");
  const auto sends = r.fake.requests_to("send");
  REQUIRE(sends.size() == 5);
  for (const auto& s : sends)
    CHECK(s.authorization == "Bearer token-1");
  CHECK(sends[3].conversation_id == "a:user-3");
  CHECK(sends[3].body.at("text") == "hello");
}

TEST_CASE("concurrent sends without a token share one token request") {
  connector_rig r;
  std::vector<std::future<bot::teams::connector_result>> results;
  for (int i = 0; i < 8; ++i)
    results.push_back(boost::asio::co_spawn(
        r.io, r.api.send(r.fake.service_url(), "a:u" + std::to_string(i), json::object{{"type", "message"}}),
        boost::asio::use_future));
  r.io.run_for(15s);
  for (auto& f : results)
    CHECK(f.get().ok);
  CHECK(r.fake.requests_to("token").size() == 1);
  CHECK(r.fake.requests_to("send").size() == 8);
}

TEST_CASE("a token is renewed shortly before it expires") {
  connector_rig r;
  r.fake.set_token_lifetime(2s); // short-lived: reused for half its life
  CHECK(r.send("a:1", "one").ok);
  CHECK(r.send("a:1", "two").ok);
  CHECK(r.fake.requests_to("token").size() == 1);
  std::this_thread::sleep_for(1100ms);
  CHECK(r.send("a:1", "three").ok);
  CHECK(r.fake.requests_to("token").size() == 2);
  const auto sends = r.fake.requests_to("send");
  CHECK(sends.back().authorization != sends.front().authorization);
}

TEST_CASE("a single-tenant app asks its own tenant for tokens") {
  connector_rig r([](bot::teams::connector_settings& s) {
    s.app_type = "SingleTenant";
    s.tenant_id = "tenant-42";
  });
  bot::teams::connector_settings production;
  production.app_type = "SingleTenant";
  production.tenant_id = "t-1";
  production.token_url = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";
  CHECK(bot::teams::effective_token_url(production) ==
        "https://login.microsoftonline.com/t-1/oauth2/v2.0/token");
  CHECK(r.send("a:1", "hi").ok);
  const auto tokens = r.fake.requests_to("token");
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].tenant == "tenant-42");
}

TEST_CASE("a single-tenant app without its tenant id, or without a password, makes no request") {
  connector_rig single([](bot::teams::connector_settings& s) { s.app_type = "SingleTenant"; });
  auto r = single.send("a:1", "hi");
  CHECK_FALSE(r.ok);
  CHECK(r.token_failed);
  CHECK(r.error == "MicrosoftAppTenantId is required for a SingleTenant app");
  connector_rig no_password([](bot::teams::connector_settings& s) { s.app_password.clear(); });
  CHECK_FALSE(no_password.send("a:1", "hi").ok);
  CHECK(single.fake.requests().empty());
  CHECK(no_password.fake.requests().empty());
}

TEST_CASE("the password never goes over plain http off loopback") {
  connector_rig r(
      [](bot::teams::connector_settings& s) { s.token_url = "http://login.invalid/botframework.com/token"; });
  CHECK_FALSE(r.api.configuration_error().empty());
  auto result = r.send("a:1", "hi");
  CHECK_FALSE(result.ok);
  CHECK(r.fake.requests().empty());
}

TEST_CASE("a bearer token never goes to a serviceUrl over plain http off loopback") {
  connector_rig r;
  auto result = test_support::run_coroutine(r.io, [&] {
    return r.api.send("http://smba.invalid/emea/", "a:1", json::object{{"type", "message"}});
  });
  CHECK_FALSE(result.ok);
  CHECK(result.error == "serviceUrl is not https");
  CHECK(r.fake.requests().empty());
}

TEST_CASE("a bearer token goes only to the Bot Connector, never to another serviceUrl") {
  connector_rig r;
  for (const char* elsewhere : {"https://smba.trafficmanager.net.attacker.example/teams/",
                                "https://attacker.example/teams/", "http://127.0.0.1:1/teams/"}) {
    CAPTURE(elsewhere);
    CHECK_FALSE(r.api.may_call(elsewhere));
    auto result = test_support::run_coroutine(r.io, [&] {
      return r.api.send(elsewhere, "a:1", json::object{{"type", "message"}});
    });
    CHECK_FALSE(result.ok);
    CHECK(result.not_allowed);
    CHECK(result.error == "serviceUrl is not the Bot Connector's");
  }
  CHECK(r.fake.requests().empty()); // not even a token was asked for
  // The configured (fake) Bot Framework's own origin is the Connector here.
  CHECK(r.api.may_call(r.fake.service_url()));
  CHECK(r.send("a:1", "hi").ok);
}

TEST_CASE("refused credentials fail the call with the endpoint's error code only") {
  connector_rig r;
  const std::string refusal = R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid )"
                              R"(client secret provided. Ensure the secret being sent is s3cret pass&word"})";
  r.fake.script("token", {401, refusal, {}});
  auto result = r.send("a:1", "hi");
  CHECK_FALSE(result.ok);
  CHECK(result.token_failed);
  CHECK(result.http_status == 401);
  CHECK(result.error == "token: http 401 invalid_client");
  CHECK(r.fake.requests_to("send").empty());
}

TEST_CASE("a 401 from the Connector drops the cached token") {
  connector_rig r;
  CHECK(r.send("a:1", "one").ok);
  r.fake.script("send", {401, R"({"message":"Authorization has been denied for this request."})", {}});
  auto refused = r.send("a:1", "two");
  CHECK(refused.http_status == 401);
  CHECK(r.send("a:1", "three").ok);
  CHECK(r.fake.requests_to("token").size() == 2);
}

TEST_CASE("Connector errors carry the status, the error code and Retry-After") {
  connector_rig r;
  r.fake.script("send", {403, R"({"error":{"code":"MessageWritesBlocked","message":"blocked"}})", {}});
  r.fake.script("send", {429, R"({"error":{"code":"Throttled"}})", {{"Retry-After", "3"}}});
  auto blocked = r.send("a:1", "one");
  CHECK(blocked.http_status == 403);
  CHECK(blocked.code == "MessageWritesBlocked");
  CHECK(blocked.error == "http 403 MessageWritesBlocked");
  auto throttled = r.send("a:1", "two");
  CHECK(throttled.http_status == 429);
  REQUIRE(throttled.retry_after);
  CHECK(*throttled.retry_after == 3s);
}

TEST_CASE("a 1:1 conversation is created with the bot, the one member and the tenant") {
  connector_rig r;
  auto created = test_support::run_coroutine(
      r.io, [&] { return r.api.create_conversation(r.fake.service_url(), "tenant-1", "28:app-1", "29:u1"); });
  REQUIRE(created.ok);
  CHECK(created.body.at("id") == "a:29:u1");
  const auto creates = r.fake.requests_to("create");
  REQUIRE(creates.size() == 1);
  const auto& body = creates[0].body;
  CHECK(body.at("isGroup") == false);
  CHECK(body.at("bot").at("id") == "28:app-1");
  REQUIRE(body.at("members").as_array().size() == 1);
  CHECK(body.at("members").at(0).at("id") == "29:u1");
  CHECK(body.at("tenantId") == "tenant-1");
  CHECK(body.at("channelData").at("tenant").at("id") == "tenant-1");
}

TEST_CASE("replies and updates address the activity, with ids percent-encoded in the path") {
  connector_rig r;
  const std::string channel = "19:abc@thread.tacv2;messageid=1700000000000";
  auto replied = test_support::run_coroutine(r.io, [&] {
    return r.api.reply(r.fake.service_url(), channel, "1700000000000", json::object{{"type", "message"}});
  });
  CHECK(replied.ok);
  auto updated = test_support::run_coroutine(r.io, [&] {
    return r.api.update(r.fake.service_url(), "a:1", "activity-9", json::object{{"type", "message"}});
  });
  CHECK(updated.ok);
  const auto replies = r.fake.requests_to("reply");
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].conversation_id == channel);
  CHECK(replies[0].activity_id == "1700000000000");
  CHECK(replies[0].target.find(";") == std::string::npos);
  const auto updates = r.fake.requests_to("update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].method == "PUT");
  CHECK(updates[0].activity_id == "activity-9");
  CHECK(updates[0].body.at("id") == "activity-9");
}

TEST_CASE("a member's profile gives their e-mail") {
  connector_rig r;
  r.fake.add_member("29:u1", "anna@firm.example");
  auto found =
      test_support::run_coroutine(r.io, [&] { return r.api.member(r.fake.service_url(), "a:1", "29:u1"); });
  REQUIRE(found.ok);
  CHECK(found.body.at("email") == "anna@firm.example");
  auto missing = test_support::run_coroutine(
      r.io, [&] { return r.api.member(r.fake.service_url(), "a:1", "29:nobody"); });
  CHECK(missing.http_status == 404);
  CHECK(missing.code == "MemberNotFoundInConversation");
}

TEST_CASE("only a member of the activity's own tenant vouches for the e-mail on their profile") {
  const auto member = [](std::string tenant, std::string role) {
    json::object m{
        {"id", "29:u1"}, {"email", "anna@firm.example"}, {"userPrincipalName", "anna@firm.example"}};
    if (!tenant.empty()) m["tenantId"] = tenant;
    if (!role.empty()) m["userRole"] = role;
    return m;
  };
  CHECK(bot::teams::profile_of(member("tenant-1", "user"), "tenant-1").email == "anna@firm.example");
  CHECK(bot::teams::profile_of(member("TENANT-1", ""), "tenant-1").email == "anna@firm.example");
  for (const auto& [tenant, role] : std::vector<std::pair<std::string, std::string>>{
           {"tenant-1", "guest"}, {"tenant-1", "anonymous"}, {"tenant-2", "user"}, {"", "user"}}) {
    CAPTURE(tenant, role);
    const auto profile = bot::teams::profile_of(member(tenant, role), "tenant-1");
    CHECK(profile.answered);
    CHECK(profile.email.empty());
  }
}
