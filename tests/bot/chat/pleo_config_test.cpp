// The connector's settings from the environment.

#include "bot/chat/config.hpp"
#include "pleo/secret_box.hpp"
#include "support/config_env.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <string>

namespace {

std::string errors_of(const bot::config_result& r) {
  std::string out;
  for (const auto& e : r.errors)
    out += e + "\n";
  return out;
}

} // namespace

TEST_CASE("the Pleo settings default as DESIGN.md says") {
  const auto r = test_support::config_from({});
  REQUIRE(r.value);
  CHECK(r.value->pleo_api_url == "https://external.pleo.io");
  CHECK(r.value->pleo_sync_interval == std::chrono::minutes(15));
  CHECK(r.value->pleo_requests_per_minute == 300);
  CHECK(r.value->pleo_requests_in_flight == 16);
  CHECK(r.value->secret_key.empty());
}

TEST_CASE("the Pleo settings are read from the environment") {
  const auto key = pleo::base64_encode(std::string(32, 'k'));
  const auto r = test_support::config_from({{"PLEO_API_URL", "http://127.0.0.1:8080/"},
                                            {"PLEO_SYNC_INTERVAL", "1h30m"},
                                            {"PLEO_REQUESTS_PER_MINUTE", "120"},
                                            {"PLEO_REQUESTS_IN_FLIGHT", "4"},
                                            {"PARTNERBOT_SECRET_KEY", key},
                                            {"PLEO_OAUTH_CLIENT_ID", "partnerbot"},
                                            {"PLEO_OAUTH_CLIENT_SECRET", "s3cret"}});
  INFO(errors_of(r));
  REQUIRE(r.value);
  CHECK(r.value->pleo_api_url == "http://127.0.0.1:8080");
  CHECK(r.value->pleo_sync_interval == std::chrono::minutes(90));
  CHECK(r.value->pleo_requests_per_minute == 120);
  CHECK(r.value->pleo_requests_in_flight == 4);
  CHECK(r.value->secret_key == key);
  CHECK(r.value->pleo_oauth_client_id == "partnerbot");
  CHECK(r.value->pleo_oauth_client_secret == "s3cret");
}

TEST_CASE("sync intervals read as 30s, 15m, 1h or combinations, from a second to a day") {
  CHECK(bot::parse_interval("30s") == std::chrono::seconds(30));
  CHECK(bot::parse_interval("15m") == std::chrono::minutes(15));
  CHECK(bot::parse_interval("1h") == std::chrono::hours(1));
  CHECK(bot::parse_interval("1h15m30s") == std::chrono::seconds(4530));
  for (const char* bad : {"", "15", "m", "15 m", "1d", "0s", "25h", "-5m", "1.5h", "15mm"}) {
    INFO(bad);
    CHECK_FALSE(bot::parse_interval(bad));
  }
}

TEST_CASE("bad Pleo settings are each reported, and the key is never shown") {
  const std::string bad_key = "c2hvcnQta2V5LXRoYXQtbGVha3M=";
  const auto r = test_support::config_from({{"PLEO_API_URL", "http://pleo.example.com"},
                                            {"PLEO_SYNC_INTERVAL", "soon"},
                                            {"PLEO_REQUESTS_PER_MINUTE", "0"},
                                            {"PLEO_REQUESTS_IN_FLIGHT", "1000"},
                                            {"PARTNERBOT_SECRET_KEY", bad_key}});
  CHECK_FALSE(r.value);
  const auto text = errors_of(r);
  CHECK_THAT(
      text,
      Catch::Contains(
          "PLEO_API_URL: \"http://pleo.example.com\" would send the clients' Pleo credentials unencrypted"));
  CHECK_THAT(text, Catch::Contains("PLEO_SYNC_INTERVAL: \"soon\" is not a duration"));
  CHECK_THAT(text, Catch::Contains("PLEO_REQUESTS_PER_MINUTE: \"0\" is not a whole number"));
  CHECK_THAT(text, Catch::Contains("PLEO_REQUESTS_IN_FLIGHT: \"1000\" is not a whole number from 1 to 256"));
  CHECK_THAT(text, Catch::Contains("PARTNERBOT_SECRET_KEY: not the base64 of 32 bytes (value not shown"));
  CHECK(text.find(bad_key) == std::string::npos);
  CHECK(r.errors.size() == 5);
}

TEST_CASE("plain http reaches Pleo's API only on this machine") {
  for (const char* ok :
       {"http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000", "https://pleo.example"}) {
    INFO(ok);
    CHECK(test_support::config_from({{"PLEO_API_URL", ok}}).value);
  }
  for (const char* bad :
       {"http://10.0.0.1", "ftp://127.0.0.1", "https://external.pleo.io?x=1", "external.pleo.io"}) {
    INFO(bad);
    CHECK_FALSE(test_support::config_from({{"PLEO_API_URL", bad}}).value);
  }
}
