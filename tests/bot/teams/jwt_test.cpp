#include "bot/teams/jwt.hpp"
#include "support/fake_botframework.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <openssl/hmac.h>

using bot::teams::token_verdict;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* jwt_app_id = "00000000-1111-2222-3333-444444444444";
constexpr const char* service_url = "https://smba.trafficmanager.net/emea/";
const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

// One key pair for the whole file: generating RSA keys is the slow part.
test_support::rsa_test_key& jwt_signing_key() {
  static test_support::rsa_test_key key("key-1");
  return key;
}

bot::teams::key_set keys_with(const test_support::rsa_test_key& key, std::vector<std::string> endorsements) {
  bot::teams::key_set keys;
  auto parsed = bot::teams::key_from_jwk(key.jwk(endorsements));
  REQUIRE(parsed);
  keys.emplace(key.kid(), std::move(*parsed));
  return keys;
}

json::object claims() {
  return test_support::bot_framework_claims(jwt_app_id, service_url, now);
}

token_verdict verify(const std::string& token, const bot::teams::key_set& keys,
                     std::string_view channel = "msteams", std::chrono::system_clock::time_point at = now) {
  return bot::teams::verify_token("Bearer " + token, keys, {jwt_app_id, service_url, channel}, at).verdict;
}

token_verdict verify(const std::string& token) {
  return verify(token, keys_with(jwt_signing_key(), {"msteams"}));
}

// The verdict on a signed token of the expected claims with `key` set to `value`.
token_verdict verdict_with(const char* key, json::value value) {
  auto c = claims();
  c[key] = std::move(value);
  return verify(jwt_signing_key().sign(c));
}

// The verdict on a signed token of the expected claims without `key`.
token_verdict verdict_without(const char* key) {
  auto c = claims();
  c.erase(key);
  return verify(jwt_signing_key().sign(c));
}

std::int64_t seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

} // namespace

TEST_CASE("a token signed by a published key with the expected claims is accepted") {
  CHECK(verify(jwt_signing_key().sign(claims())) == token_verdict::ok);
}

TEST_CASE("the Bearer scheme is required") {
  const auto keys = keys_with(jwt_signing_key(), {"msteams"});
  const auto token = jwt_signing_key().sign(claims());
  const bot::teams::token_expectations expected{jwt_app_id, service_url, "msteams"};
  CHECK(bot::teams::verify_token("", keys, expected, now).verdict == token_verdict::missing);
  CHECK(bot::teams::verify_token("Basic " + token, keys, expected, now).verdict == token_verdict::missing);
  CHECK(bot::teams::verify_token(token, keys, expected, now).verdict == token_verdict::missing);
  CHECK(bot::teams::verify_token("bearer " + token, keys, expected, now).verdict == token_verdict::ok);
}

TEST_CASE("an expired token is refused, one within five minutes of skew is not") {
  CHECK(verdict_with("exp", seconds(now) - 301) == token_verdict::expired);
  CHECK(verdict_with("exp", seconds(now) - 299) == token_verdict::ok);
}

TEST_CASE("a token not yet valid beyond the skew is refused") {
  CHECK(verdict_with("nbf", seconds(now) + 301) == token_verdict::not_yet_valid);
  CHECK(verdict_with("nbf", seconds(now) + 299) == token_verdict::ok);
}

TEST_CASE("a token without an expiry is refused") {
  CHECK(verdict_without("exp") == token_verdict::malformed);
}

TEST_CASE("a token for another bot is refused") {
  CHECK(verdict_with("aud", "99999999-1111-2222-3333-444444444444") == token_verdict::wrong_audience);
  CHECK(verdict_without("aud") == token_verdict::wrong_audience);
}

TEST_CASE("a token from another issuer is refused") {
  CHECK(verdict_with("iss", "https://sts.windows.net/some-tenant/") == token_verdict::wrong_issuer);
}

TEST_CASE("a token for another serviceUrl is refused") {
  CHECK(verdict_with("serviceurl", "https://attacker.example/") == token_verdict::wrong_service_url);
  CHECK(verdict_without("serviceurl") == token_verdict::wrong_service_url);
}

TEST_CASE("a token is verified from the header alone, then bound to its activity's serviceUrl") {
  const auto keys = keys_with(jwt_signing_key(), {"msteams", "webchat"});
  const auto token = "Bearer " + jwt_signing_key().sign(claims());
  const auto check = bot::teams::verify_bearer(token, keys, {jwt_app_id, "msteams"}, now);
  REQUIRE(check.ok());
  CHECK(check.service_url == service_url);
  CHECK(bot::teams::check_service_url(check, service_url) == token_verdict::ok);
  CHECK(bot::teams::check_service_url(check, "https://smba.trafficmanager.net/amer/") ==
        token_verdict::wrong_service_url);
  CHECK(bot::teams::check_service_url(check, "") == token_verdict::wrong_service_url);
  // A token that failed stays failed, whatever the activity says.
  const auto other_bot = bot::teams::verify_bearer(token, keys, {"someone-else", "msteams"}, now);
  CHECK(bot::teams::check_service_url(other_bot, service_url) == token_verdict::wrong_audience);
  // Without a serviceurl claim there is nothing to bind to: refused before the body.
  auto c = claims();
  c.erase("serviceurl");
  CHECK(bot::teams::verify_bearer("Bearer " + jwt_signing_key().sign(c), keys, {jwt_app_id, "msteams"}, now)
            .verdict == token_verdict::wrong_service_url);
}

TEST_CASE("a token naming a key not in the set is reported as an unknown key") {
  test_support::rsa_test_key other("key-2");
  const auto check =
      bot::teams::verify_token("Bearer " + other.sign(claims()), keys_with(jwt_signing_key(), {"msteams"}),
                               {jwt_app_id, service_url, "msteams"}, now);
  CHECK(check.verdict == token_verdict::unknown_key);
  CHECK(check.kid == "key-2");
}

TEST_CASE("a token signed by another key under a published kid is refused") {
  test_support::rsa_test_key impostor("key-1");
  CHECK(verify(impostor.sign(claims())) == token_verdict::bad_signature);
}

TEST_CASE("alg none is refused") {
  const auto header = bot::teams::base64url_encode(R"({"alg":"none","typ":"JWT","kid":"key-1"})");
  const auto payload = bot::teams::base64url_encode(json::serialize(claims()));
  CHECK(verify(header + "." + payload + ".") == token_verdict::unsupported_algorithm);
  CHECK(verify(header + "." + payload) == token_verdict::malformed);
}

TEST_CASE("an HS256 token keyed with the public key is refused") {
  // The classic confusion attack: the RSA public key used as an HMAC secret.
  const auto public_jwk = json::serialize(jwt_signing_key().jwk({}));
  const auto signed_part = bot::teams::base64url_encode(R"({"alg":"HS256","typ":"JWT","kid":"key-1"})") +
                           "." + bot::teams::base64url_encode(json::serialize(claims()));
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), public_jwk.data(), static_cast<int>(public_jwk.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac, &length);
  const auto token = signed_part + "." +
                     bot::teams::base64url_encode(std::string_view(reinterpret_cast<char*>(mac), length));
  CHECK(verify(token) == token_verdict::unsupported_algorithm);
}

TEST_CASE("RS384, RS512 and critical header extensions are refused") {
  for (const char* alg : {"RS384", "RS512", "PS256", "ES256"}) {
    CAPTURE(alg);
    CHECK(verify(jwt_signing_key().sign(json::object{{"alg", alg}, {"kid", "key-1"}}, claims())) ==
          token_verdict::unsupported_algorithm);
  }
  CHECK(verify(jwt_signing_key().sign(
            json::object{{"alg", "RS256"}, {"kid", "key-1"}, {"crit", json::array{"exp"}}}, claims())) ==
        token_verdict::unsupported_algorithm);
}

TEST_CASE("a tampered payload is refused") {
  const auto token = jwt_signing_key().sign(claims());
  auto c = claims();
  c["aud"] = jwt_app_id;
  c["exp"] = seconds(now) + 999999; // a longer life, same signature
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const auto tampered =
      token.substr(0, first + 1) + bot::teams::base64url_encode(json::serialize(c)) + token.substr(second);
  CHECK(verify(tampered) == token_verdict::bad_signature);
  // One flipped bit in the signature as well.
  auto flipped = token;
  flipped[second + 5] = flipped[second + 5] == 'A' ? 'B' : 'A';
  CHECK(verify(flipped) == token_verdict::bad_signature);
}

TEST_CASE("a key endorsed for other channels cannot sign for Teams") {
  const auto token = jwt_signing_key().sign(claims());
  CHECK(verify(token, keys_with(jwt_signing_key(), {"skype", "webchat"})) == token_verdict::not_endorsed);
  CHECK(verify(token, keys_with(jwt_signing_key(), {"skype", "msteams"})) == token_verdict::ok);
  CHECK(verify(token, keys_with(jwt_signing_key(), {"msteams"}), "") == token_verdict::not_endorsed);
  // A key that lists no endorsements at all makes no claim about channels.
  CHECK(verify(token, keys_with(jwt_signing_key(), {})) == token_verdict::ok);
}

TEST_CASE("garbage in place of a token is malformed, never accepted") {
  for (const char* token : {"a.b.c", "...", "x", "eyJhbGciOiJSUzI1NiJ9..", "e30.e30.e30", "!!.@@.##"}) {
    CAPTURE(token);
    CHECK(verify(token) != token_verdict::ok);
  }
  const std::string huge(20000, 'A');
  CHECK(verify(huge + "." + huge + "." + huge) == token_verdict::malformed);
}

TEST_CASE("JWKs that are not RSA signing keys of at least 2048 bits are not keys") {
  auto jwk = jwt_signing_key().jwk({});
  CHECK(bot::teams::key_from_jwk(jwk));
  auto ec = jwk;
  ec["kty"] = "EC";
  CHECK_FALSE(bot::teams::key_from_jwk(ec));
  auto encryption = jwk;
  encryption["use"] = "enc";
  CHECK_FALSE(bot::teams::key_from_jwk(encryption));
  auto small = jwk;
  small["n"] = bot::teams::base64url_encode(std::string(128, '\xC5')); // 1024 bits
  CHECK_FALSE(bot::teams::key_from_jwk(small));
  auto no_kid = jwk;
  no_kid.erase("kid");
  CHECK_FALSE(bot::teams::key_from_jwk(no_kid));
}

TEST_CASE("base64url round-trips and refuses padding and foreign characters") {
  for (std::string_view s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\xfd"}) {
    CAPTURE(s);
    auto decoded = bot::teams::base64url_decode(bot::teams::base64url_encode(s));
    REQUIRE(decoded);
    CHECK(*decoded == s);
  }
  CHECK(bot::teams::base64url_encode("\xfb\xff") == "-_8");
  CHECK_FALSE(bot::teams::base64url_decode("Zg=="));
  CHECK_FALSE(bot::teams::base64url_decode("Zm9v+A"));
  CHECK_FALSE(bot::teams::base64url_decode("Z"));
}
