#include "bot/slack/verify.hpp"

#include <catch2/catch.hpp>

using bot::slack::compute_signature;
using bot::slack::verdict;
using bot::slack::verify_request;
using namespace std::chrono_literals;

namespace {

// Slack's published example ("Verifying requests from Slack").
constexpr const char* example_secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr const char* example_timestamp = "1531420618";
constexpr const char* example_body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_"
    "name="
    "foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%"
    "2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id="
    "398738663015."
    "47445629121.803a0bc887a14d10d2c447fce8b6703c";
constexpr const char* example_signature =
    "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

} // namespace

TEST_CASE("Slack's published example request verifies") {
  CHECK(compute_signature(example_secret, example_timestamp, example_body) == example_signature);
  CHECK(verify_request(example_secret, example_timestamp, example_signature, example_body, at(1531420618)) ==
        verdict::ok);
}

TEST_CASE("a signature in upper-case hex verifies too") {
  std::string upper = example_signature;
  for (std::size_t i = 3; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  CHECK(verify_request(example_secret, example_timestamp, upper, example_body, at(1531420618)) ==
        verdict::ok);
}

TEST_CASE("a request without the timestamp or signature header is refused as missing") {
  CHECK(verify_request(example_secret, "", example_signature, example_body, at(1531420618)) ==
        verdict::missing_header);
  CHECK(verify_request(example_secret, example_timestamp, "", example_body, at(1531420618)) ==
        verdict::missing_header);
}

TEST_CASE("malformed timestamps and signatures are refused as malformed") {
  auto now = at(1531420618);
  for (const char* ts : {"abc", "-1531420618", "1531420618.5", " 1531420618", "99999999999999999999"})
    CHECK(verify_request(example_secret, ts, example_signature, example_body, now) == verdict::malformed);
  std::string sig = example_signature;
  for (std::string bad : {sig.substr(3), "v1=" + sig.substr(3), sig.substr(0, sig.size() - 1), sig + "0",
                          sig.substr(0, sig.size() - 1) + "g"})
    CHECK(verify_request(example_secret, example_timestamp, bad, example_body, now) == verdict::malformed);
}

TEST_CASE("a timestamp more than five minutes from now is stale, either way") {
  CHECK(verify_request(example_secret, example_timestamp, example_signature, example_body,
                       at(1531420618 + 300)) == verdict::ok);
  CHECK(verify_request(example_secret, example_timestamp, example_signature, example_body,
                       at(1531420618 - 300)) == verdict::ok);
  CHECK(verify_request(example_secret, example_timestamp, example_signature, example_body,
                       at(1531420618 + 301)) == verdict::stale);
  CHECK(verify_request(example_secret, example_timestamp, example_signature, example_body,
                       at(1531420618 - 301)) == verdict::stale);
}

TEST_CASE("a changed body, secret or timestamp fails the signature") {
  auto now = at(1531420618);
  std::string body = example_body;
  CHECK(verify_request(example_secret, example_timestamp, example_signature, body + "&x=1", now) ==
        verdict::bad_signature);
  CHECK(verify_request("another-secret", example_timestamp, example_signature, body, now) ==
        verdict::bad_signature);
  CHECK(verify_request(example_secret, "1531420619", example_signature, body, now) == verdict::bad_signature);
  CHECK(verify_request("", example_timestamp, example_signature, body, now) == verdict::bad_signature);
}
