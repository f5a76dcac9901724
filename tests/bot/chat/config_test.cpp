#include "bot/chat/config.hpp"
#include "support/config_env.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace {

bool mentions(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors)
    if (e.find(text) != std::string::npos) return true;
  return false;
}

} // namespace

TEST_CASE("an empty environment gives the documented defaults") {
  auto r = test_support::config_from({});
  REQUIRE(r.errors.empty());
  REQUIRE(r.value);
  CHECK(r.value->listen_host == "127.0.0.1");
  CHECK(r.value->listen_port == 3000);
  CHECK(r.value->db_path == "partnerbot.db");
  CHECK(r.value->portal_url == "https://app.pleo.io/partner/clients/{client_id}");
  CHECK(r.value->slack_api_url == "https://slack.com/api/");
  CHECK_FALSE(r.value->slack_configured());
}

TEST_CASE("every variable is read from the environment") {
  auto r = test_support::config_from({{"PARTNERBOT_LISTEN", "0.0.0.0:8080"},
                                      {"PARTNERBOT_DB", "/var/lib/partnerbot/bot.db"},
                                      {"PARTNERBOT_PORTAL_URL", "https://portal.example/c/{client_id}?tab=x"},
                                      {"SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5"},
                                      {"SLACK_BOT_TOKEN", "xoxb-1-2-abc"},
                                      {"SLACK_API_URL", "http://127.0.0.1:9999/api"},
                                      {"MicrosoftAppId", "00000000-0000-0000-0000-000000000001"},
                                      {"MicrosoftAppPassword", "pa55"},
                                      {"MicrosoftAppTenantId", "tenant.example"},
                                      {"MicrosoftAppType", "singletenant"},
                                      {"BOTFRAMEWORK_OPENID_METADATA", "https://login.example/openid"},
                                      {"BOTFRAMEWORK_TOKEN_URL", "https://login.example/token"}});
  REQUIRE(r.errors.empty());
  const auto& c = *r.value;
  CHECK(c.listen_host == "0.0.0.0");
  CHECK(c.listen_port == 8080);
  CHECK(c.db_path == "/var/lib/partnerbot/bot.db");
  CHECK(c.portal_url == "https://portal.example/c/{client_id}?tab=x");
  CHECK(c.slack_signing_secret == "8f742231b10e8888abcd99yyyzzz85a5");
  CHECK(c.slack_configured());
  CHECK(c.slack_bot_token == "xoxb-1-2-abc");
  CHECK(c.slack_api_url == "http://127.0.0.1:9999/api/"); // trailing slash added
  CHECK(c.microsoft_app_id == "00000000-0000-0000-0000-000000000001");
  CHECK(c.microsoft_app_password == "pa55");
  CHECK(c.microsoft_app_tenant_id == "tenant.example");
  CHECK(c.microsoft_app_type == "SingleTenant");
  CHECK(c.botframework_openid_metadata == "https://login.example/openid");
  CHECK(c.botframework_token_url == "https://login.example/token");
}

TEST_CASE("the listen address takes IPv4, bracketed IPv6, localhost and port 0") {
  auto v6 = test_support::config_from({{"PARTNERBOT_LISTEN", "[::1]:3000"}});
  REQUIRE(v6.value);
  CHECK(v6.value->listen_host == "::1");
  CHECK(v6.value->listen_port == 3000);

  auto any = test_support::config_from({{"PARTNERBOT_LISTEN", "[::]:0"}});
  REQUIRE(any.value);
  CHECK(any.value->listen_host == "::");
  CHECK(any.value->listen_port == 0);

  auto local = test_support::config_from({{"PARTNERBOT_LISTEN", "localhost:4000"}});
  REQUIRE(local.value);
  CHECK(local.value->listen_host == "127.0.0.1");
  CHECK(local.value->listen_port == 4000);
}

TEST_CASE("a bad listen address is refused naming the variable") {
  for (const char* bad :
       {"3000", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:30a0", "::1:3000",
        "[::1]3000", "[127.0.0.1]:3000", "example.com:3000", ":3000"}) {
    INFO(bad);
    auto r = test_support::config_from({{"PARTNERBOT_LISTEN", bad}});
    CHECK_FALSE(r.value);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].rfind("PARTNERBOT_LISTEN: ", 0) == 0);
  }
}

TEST_CASE("portal and API URLs must be http(s) URLs") {
  for (const char* bad :
       {"ftp://portal.example/{client_id}", "portal.example/{client_id}", "https://", "not a url"}) {
    INFO(bad);
    auto r = test_support::config_from({{"PARTNERBOT_PORTAL_URL", bad}});
    CHECK_FALSE(r.value);
    CHECK(mentions(r.errors, "PARTNERBOT_PORTAL_URL: "));
  }
  for (const char* bad : {"slack.com/api", "file:///tmp/api", "https:///api/"}) {
    INFO(bad);
    auto r = test_support::config_from({{"SLACK_API_URL", bad}});
    CHECK_FALSE(r.value);
    CHECK(mentions(r.errors, "SLACK_API_URL: "));
  }
  auto r = test_support::config_from(
      {{"BOTFRAMEWORK_OPENID_METADATA", "nope"}, {"BOTFRAMEWORK_TOKEN_URL", "ftp://x/"}});
  CHECK(mentions(r.errors, "BOTFRAMEWORK_OPENID_METADATA: "));
  CHECK(mentions(r.errors, "BOTFRAMEWORK_TOKEN_URL: "));
}

TEST_CASE("a malformed secret is refused without echoing it") {
  for (const char* name : {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "MicrosoftAppPassword"}) {
    INFO(name);
    auto r = test_support::config_from({{name, "super secret value\n"}});
    CHECK_FALSE(r.value);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].rfind(std::string(name) + ": ", 0) == 0);
    CHECK(r.errors[0].find("super") == std::string::npos);
  }
}

TEST_CASE("an unknown Bot Framework app type is refused") {
  auto r = test_support::config_from({{"MicrosoftAppType", "Tenantless"}});
  CHECK_FALSE(r.value);
  CHECK(mentions(r.errors, "MicrosoftAppType: "));
}

TEST_CASE("every bad value is reported, one line each") {
  auto r = test_support::config_from({{"PARTNERBOT_LISTEN", "nowhere"},
                                      {"PARTNERBOT_PORTAL_URL", "gopher://x"},
                                      {"SLACK_API_URL", "x"},
                                      {"SLACK_BOT_TOKEN", "xoxb tab\t"}});
  CHECK_FALSE(r.value);
  CHECK(r.errors.size() == 4);
}

TEST_CASE("an empty variable counts as unset") {
  auto r = test_support::config_from(
      {{"PARTNERBOT_LISTEN", ""}, {"SLACK_SIGNING_SECRET", ""}, {"PARTNERBOT_DB", ""}});
  REQUIRE(r.value);
  CHECK(r.value->listen_port == 3000);
  CHECK(r.value->db_path == "partnerbot.db");
  CHECK_FALSE(r.value->slack_configured());
}

TEST_CASE("URLs that carry secrets may be http only to a loopback host") {
  for (const char* name : {"SLACK_API_URL", "BOTFRAMEWORK_OPENID_METADATA", "BOTFRAMEWORK_TOKEN_URL"}) {
    for (const char* ok : {"https://slack.example/api/", "http://127.0.0.1:9999/api/", "http://127.8.9.10/x",
                           "http://[::1]:8080/api/", "http://localhost:1234/", "http://LocalHost/"}) {
      INFO(name << " = " << ok);
      auto r = test_support::config_from({{name, ok}});
      CHECK(r.errors.empty());
      CHECK(r.value);
    }
    for (const char* bad :
         {"http://slack.com/api/", "http://10.0.0.1/api/", "http://[::2]/", "http://localhost.example.com/",
          "http://2130706433/api/", "http://0x7f000001/", "http://[::ffff:10.0.0.1]/"}) {
      INFO(name << " = " << bad);
      auto r = test_support::config_from({{name, bad}});
      CHECK_FALSE(r.value);
      REQUIRE(r.errors.size() == 1);
      CHECK(r.errors[0].rfind(std::string(name) + ": ", 0) == 0);
      CHECK_THAT(r.errors[0], Catch::Contains("use https"));
    }
    // Boost.URL reads this host as 127.0.0.1; other parsers do not.
    auto ambiguous = test_support::config_from({{name, "http://127.0.0.1.example.com/"}});
    CHECK_FALSE(ambiguous.value);
  }
}

TEST_CASE("the secret-carrying rule is one helper for every such URL") {
  CHECK(bot::may_carry_secrets("https://external.pleo.io"));
  CHECK(bot::may_carry_secrets("http://127.0.0.1:8080/"));
  CHECK_FALSE(bot::may_carry_secrets("http://external.pleo.io"));
  CHECK_FALSE(bot::may_carry_secrets("http://user@localhost.attacker.example/"));
  CHECK_FALSE(bot::may_carry_secrets("ftp://127.0.0.1/"));
  CHECK_FALSE(bot::may_carry_secrets("not a url"));
}

TEST_CASE("the connection cap is read from PARTNERBOT_MAX_CONNECTIONS") {
  CHECK(test_support::config_from({}).value->max_connections == 1024);
  auto r = test_support::config_from({{"PARTNERBOT_MAX_CONNECTIONS", "64"}});
  REQUIRE(r.value);
  CHECK(r.value->max_connections == 64);
  for (const char* bad : {"0", "-1", "ten", "12x", "1000001", "99999999999999999999999"}) {
    INFO(bad);
    auto refused = test_support::config_from({{"PARTNERBOT_MAX_CONNECTIONS", bad}});
    CHECK_FALSE(refused.value);
    CHECK(mentions(refused.errors, "PARTNERBOT_MAX_CONNECTIONS: "));
  }
}

TEST_CASE("a value echoed in an error cannot forge a log line") {
  auto r = test_support::config_from({{"PARTNERBOT_LISTEN", "bad\n2026-01-01 info forged line\x1b[31m"}});
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].find('\n') == std::string::npos);
  CHECK(r.errors[0].find('\x1b') == std::string::npos);
  CHECK_THAT(r.errors[0], Catch::Contains("bad\\n2026-01-01 info forged line\\x1b[31m"));
}
