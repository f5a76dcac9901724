#pragma once
// The Bot Framework's bearer token on every inbound activity: an RS256 JWT
// signed with a key from the Bot Framework's JWKS (bot/teams/openid_keys.hpp).
// It must name the Bot Framework as issuer and this bot's app id as audience,
// be within its validity window (5 minutes of skew either way), carry a
// `serviceurl` claim, and come from a key that, when it lists endorsements,
// is endorsed for the one channel the bot accepts. All of that needs no
// body (verify_bearer), so a request is refused before its body is read;
// only then is the activity parsed and its serviceUrl compared with the
// claim (check_service_url).
// Only RS256 is accepted: `alg: none`, HMAC and every other algorithm are
// refused before any key is looked at.
// Pure: token, keys, expected values and the clock in, verdict out; safe
// from any thread (the keys are only read).

#include "text/base64.hpp"

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <openssl/types.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::teams {

inline constexpr std::string_view bot_framework_issuer = "https://api.botframework.com";
inline constexpr std::chrono::seconds max_clock_skew{300};

// A public signing key from a JWKS, with the channels it is endorsed for.
struct signing_key {
  std::string kid;
  std::shared_ptr<EVP_PKEY> key;
  bool has_endorsements = false; // the JWK listed endorsements (possibly none)
  std::vector<std::string> endorsements;
};

using key_set = std::map<std::string, signing_key, std::less<>>;

// An RSA JWK ({"kty":"RSA","kid","n","e",["endorsements"]}) as a key;
// nullopt for anything else (other key types, moduli under 2048 bits,
// malformed base64url).
std::optional<signing_key> key_from_jwk(const boost::json::object& jwk);

enum class token_verdict {
  ok,
  missing,               // no "Authorization: Bearer <token>"
  malformed,             // not three base64url parts of JSON objects
  unsupported_algorithm, // alg other than RS256 (none, HS256, ...) or critical extensions
  unknown_key,           // kid not in the key set: refresh the keys, then try once more
  bad_signature,
  wrong_issuer,
  wrong_audience,
  expired,
  not_yet_valid,
  wrong_service_url,
  not_endorsed, // the key's endorsements do not include the activity's channel
};

std::string_view to_string(token_verdict v);

// What the token must assert before the body is read.
struct token_requirements {
  std::string_view app_id;     // MicrosoftAppId: the audience
  std::string_view channel_id; // the channel the bot accepts ("msteams"): the key must be endorsed for it
};

// What the token must assert about the activity it came with.
struct token_expectations {
  std::string_view app_id;      // MicrosoftAppId: the audience
  std::string_view service_url; // the activity's serviceUrl
  std::string_view channel_id;  // the activity's channelId ("msteams")
};

struct token_check {
  token_verdict verdict = token_verdict::malformed;
  std::string kid;         // the header's key id, once the header could be read
  std::string service_url; // the signed `serviceurl` claim, once the signature held

  bool ok() const { return verdict == token_verdict::ok; }
};

// Everything that needs no body: scheme, form, algorithm, key, signature,
// issuer, audience, times, a `serviceurl` claim, endorsements.
// authorization: the Authorization header value as received ("" when absent).
token_check verify_bearer(std::string_view authorization, const key_set& keys,
                          const token_requirements& required, std::chrono::system_clock::time_point now);

// A verified token's `serviceurl` claim against the activity's serviceUrl
// (an exact compare): ok, or wrong_service_url; a failed check stays failed.
token_verdict check_service_url(const token_check& verified, std::string_view activity_service_url);

// Both at once, for a caller that has the activity at hand.
token_check verify_token(std::string_view authorization, const key_set& keys,
                         const token_expectations& expected, std::chrono::system_clock::time_point now);

// RFC 4648 base64url without padding (JWS compact serialization); decoding
// refuses padding, whitespace and characters outside the alphabet.
using text::base64url_decode;
using text::base64url_encode;

} // namespace bot::teams
