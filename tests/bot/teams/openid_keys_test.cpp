#include "bot/net/http_client.hpp"
#include "bot/teams/openid_keys.hpp"
#include "support/fake_botframework.hpp"
#include "support/run_coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <thread>

using bot::teams::token_verdict;
using namespace std::chrono_literals;

namespace {

constexpr const char* keys_app_id = "app-1";

struct keys_rig {
  test_support::fake_botframework fake;
  boost::asio::io_context io;
  bot::http_client http{io};
  bot::teams::openid_keys keys;

  explicit keys_rig(bot::teams::openid_options options = {}) : keys(io, http, fake.metadata_url(), options) {}

  token_verdict authenticate(const std::string& token) {
    const auto check = test_support::run_coroutine(io, [&] {
      return bot::teams::authenticate(keys, "Bearer " + token, {keys_app_id, "msteams"},
                                      std::chrono::system_clock::now());
    });
    return bot::teams::check_service_url(check, fake.service_url());
  }
  std::string token_from(const test_support::rsa_test_key& key) {
    return key.sign(test_support::bot_framework_claims(keys_app_id, fake.service_url(),
                                                       std::chrono::system_clock::now()));
  }
};

} // namespace

TEST_CASE("keys come from the JWKS the OpenID metadata points to, with their endorsements") {
  keys_rig r;
  test_support::rsa_test_key teams_key("teams-key");
  test_support::rsa_test_key skype_key("skype-key");
  r.fake.publish(teams_key, {"msteams", "webchat"});
  r.fake.publish(skype_key, {"skype"});
  test_support::run_coroutine(r.io, [&] { return r.keys.ensure_fresh(); });

  REQUIRE(r.keys.keys().size() == 2);
  CHECK(r.keys.keys().at("teams-key").endorsements == std::vector<std::string>{"msteams", "webchat"});
  CHECK(r.fake.requests_to("metadata").size() == 1);
  CHECK(r.fake.requests_to("keys").size() == 1);
  CHECK(r.authenticate(r.token_from(teams_key)) == token_verdict::ok);
  CHECK(r.authenticate(r.token_from(skype_key)) == token_verdict::not_endorsed);
  // Both answered from the cache.
  CHECK(r.keys.fetches() == 1);
}

TEST_CASE("an unknown kid refreshes the keys once, then the token is refused") {
  keys_rig r;
  test_support::rsa_test_key known("known");
  test_support::rsa_test_key stranger("stranger");
  r.fake.publish(known);
  CHECK(r.authenticate(r.token_from(known)) == token_verdict::ok);
  REQUIRE(r.keys.fetches() == 1);

  CHECK(r.authenticate(r.token_from(stranger)) == token_verdict::unknown_key);
  CHECK(r.keys.fetches() == 2);
  // Within the refresh interval another unknown kid fetches nothing.
  CHECK(r.authenticate(r.token_from(stranger)) == token_verdict::unknown_key);
  CHECK(r.keys.fetches() == 2);
  CHECK(r.fake.requests_to("keys").size() == 2);
}

TEST_CASE("a rotated-in key is found by the refresh an unknown kid causes") {
  keys_rig r(bot::teams::openid_options{.min_refresh_interval = 0ms});
  test_support::rsa_test_key old_key("old");
  test_support::rsa_test_key new_key("new");
  r.fake.publish(old_key);
  CHECK(r.authenticate(r.token_from(old_key)) == token_verdict::ok);
  r.fake.publish(new_key);
  CHECK(r.authenticate(r.token_from(new_key)) == token_verdict::ok);
  CHECK(r.keys.fetches() == 2);
}

TEST_CASE("unknown kids refresh at most once per interval") {
  keys_rig r(bot::teams::openid_options{.min_refresh_interval = 2s});
  test_support::rsa_test_key known("known");
  r.fake.publish(known);
  test_support::run_coroutine(r.io, [&] { return r.keys.ensure_fresh(); });
  REQUIRE(r.keys.fetches() == 1);
  std::vector<std::string> forged;
  for (int i = 0; i < 5; ++i) {
    test_support::rsa_test_key key("forged-" + std::to_string(i));
    forged.push_back(r.token_from(key));
  }
  const auto started = std::chrono::steady_clock::now();
  for (const auto& token : forged)
    CHECK(r.authenticate(token) == token_verdict::unknown_key);
  REQUIRE(std::chrono::steady_clock::now() - started < 2s);
  CHECK(r.keys.fetches() == 2);
  std::this_thread::sleep_until(started + 2100ms);
  CHECK(r.authenticate(forged[0]) == token_verdict::unknown_key);
  CHECK(r.keys.fetches() == 3);
}

TEST_CASE("concurrent first requests share one key fetch") {
  keys_rig r;
  test_support::rsa_test_key key("k");
  r.fake.publish(key);
  const auto token = r.token_from(key);
  std::vector<std::future<bot::teams::token_check>> results;
  for (int i = 0; i < 5; ++i)
    results.push_back(
        boost::asio::co_spawn(r.io,
                              bot::teams::authenticate(r.keys, "Bearer " + token, {keys_app_id, "msteams"},
                                                       std::chrono::system_clock::now()),
                              boost::asio::use_future));
  r.io.run_for(15s);
  for (auto& f : results)
    CHECK(f.get().verdict == token_verdict::ok);
  CHECK(r.keys.fetches() == 1);
  CHECK(r.fake.requests_to("keys").size() == 1);
}

TEST_CASE("a failed fetch keeps the keys already held") {
  keys_rig r(bot::teams::openid_options{.min_refresh_interval = 0ms});
  test_support::rsa_test_key key("k");
  r.fake.publish(key);
  CHECK(r.authenticate(r.token_from(key)) == token_verdict::ok);
  r.fake.script("keys", {503, "down", {}});
  test_support::rsa_test_key other("other");
  CHECK(r.authenticate(r.token_from(other)) == token_verdict::unknown_key);
  CHECK(r.keys.fetches() == 2);
  CHECK(r.authenticate(r.token_from(key)) == token_verdict::ok);
}

TEST_CASE("a JWKS reached over plain http off loopback is never fetched") {
  keys_rig r;
  test_support::rsa_test_key key("k");
  r.fake.publish(key);
  r.fake.script("metadata", {200, R"({"jwks_uri":"http://keys.invalid/keys"})", {}});
  test_support::run_coroutine(r.io, [&] { return r.keys.ensure_fresh(); });
  CHECK(r.keys.keys().empty());
  CHECK(r.fake.requests_to("keys").empty());
}

TEST_CASE("parse_jwks skips keys it cannot use and refuses what is not a JWKS") {
  test_support::rsa_test_key key("good");
  boost::json::object doc{{"keys", boost::json::array{key.jwk({"msteams"}),
                                                      boost::json::object{{"kty", "EC"}}, "not an object"}}};
  auto keys = bot::teams::parse_jwks(boost::json::serialize(doc));
  REQUIRE(keys);
  CHECK(keys->size() == 1);
  CHECK(keys->contains("good"));
  CHECK_FALSE(bot::teams::parse_jwks("[]"));
  CHECK_FALSE(bot::teams::parse_jwks(R"({"keys":{}})"));
  CHECK_FALSE(bot::teams::parse_jwks("{"));
}
