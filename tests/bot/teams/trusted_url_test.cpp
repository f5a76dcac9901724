#include "bot/teams/trusted_url.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using bot::teams::is_bot_connector_url;

TEST_CASE("the bearer token goes only to the Bot Connector's hosts in each cloud") {
  const std::vector<std::string> none;
  for (const char* url : {
           "https://smba.trafficmanager.net/teams/",
           "https://smba.trafficmanager.net/emea/56653e9d-2158-46ee-90d7-675c39642038/",
           "https://SMBA.TrafficManager.NET/amer/",
           "https://smba.trafficmanager.net:443/teams/",
           "https://smba.onyx.prod.teams.trafficmanager.net/teams/",
           "https://webchat.botframework.com/",
           "https://europe.directline.botframework.com/v3/",
           "https://smba.infra.gcc.teams.microsoft.com/gcc/",
           "https://smba.infra.gov.teams.microsoft.us/",
           "https://smba.infra.dod.teams.microsoft.us/",
           "https://api.botframework.us/",
           "https://api.botframework.azure.us/",
           "https://api.botframework.azure.cn/",
           "https://frontend.botapi.msg.infra.teams.microsoftonline.cn/",
       }) {
    CAPTURE(url);
    CHECK(is_bot_connector_url(url, none));
  }
  for (const char* url : {
           "http://smba.trafficmanager.net/teams/",             // not https
           "https://smba.trafficmanager.net:8443/teams/",       // another port
           "https://smba.trafficmanager.net.attacker.example/", // a lookalike
           "https://attacker.example/smba.trafficmanager.net/", // the name only in the path
           "https://evilbotframework.com/",                     // not a subdomain
           "https://botframework.com/",                         // the bare domain
           "https://botframework.com.attacker.example/",        // a suffix of another name
           "https://user@smba.trafficmanager.net/teams/",       // user info
           "https://smba.trafficmanager.net./teams/",           // a trailing dot
           "https://trafficmanager.net/",                       // another Azure customer
           "https://other.trafficmanager.net/",                 // another Azure customer
           "https://52.113.194.132/teams/",                     // an address
           "https://127.0.0.1/teams/",                          // loopback, not configured
           "smba.trafficmanager.net/teams/",                    // not absolute
           "",
       }) {
    CAPTURE(url);
    CHECK_FALSE(is_bot_connector_url(url, none));
  }
}

TEST_CASE("a configured Bot Framework on loopback is a Connector origin, and nothing beside it") {
  const auto origin = bot::teams::loopback_origin("http://127.0.0.1:4711/botframework.com/oauth2/v2.0/token");
  REQUIRE(origin);
  CHECK(*origin == "http://127.0.0.1:4711");
  CHECK(bot::teams::loopback_origin("http://[::1]:80/keys") == std::optional<std::string>("http://[::1]:80"));
  CHECK_FALSE(
      bot::teams::loopback_origin("https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"));
  CHECK_FALSE(bot::teams::loopback_origin("http://10.0.0.1:4711/token"));

  const std::vector<std::string> local{*origin};
  CHECK(is_bot_connector_url("http://127.0.0.1:4711/teams/", local));
  CHECK_FALSE(is_bot_connector_url("http://127.0.0.1:4712/teams/", local));
  CHECK_FALSE(is_bot_connector_url("https://127.0.0.1:4711/teams/", local));
  CHECK_FALSE(is_bot_connector_url("http://localhost:4711/teams/", local));
}

TEST_CASE("a URL is logged by its origin only") {
  CHECK(bot::teams::origin_of("https://Attacker.example:8443/tenant-1/secret?x=1#y") ==
        "https://attacker.example:8443");
  CHECK(bot::teams::origin_of("https://user:pw@attacker.example/") == "(unusable URL)");
  CHECK(bot::teams::origin_of("javascript:alert(1)") == "(unusable URL)");
}
