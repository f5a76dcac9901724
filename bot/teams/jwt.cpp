#include "bot/teams/jwt.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <cmath>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

namespace bot::teams {

namespace json = boost::json;

namespace {

// Real tokens are about 1.5 KB; the header limit bounds them anyway.
constexpr std::size_t max_token_size = 16 * 1024;
constexpr int min_rsa_bits = 2048;
constexpr int max_rsa_bits = 8192;
constexpr std::size_t max_endorsements = 64;

struct bn_free {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct param_bld_free {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct param_free {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct pkey_ctx_free {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

std::optional<json::object> decode_json_part(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  auto value = json::parse(*bytes, ec, {}, options);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string_view string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

// NumericDate: seconds since the epoch, an integer or a JSON number with a fraction.
std::optional<double> numeric_date(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double() && std::isfinite(v->get_double())) return v->get_double();
  return std::nullopt;
}

bool audience_matches(const json::value* aud, std::string_view app_id) {
  if (!aud || app_id.empty()) return false;
  if (aud->is_string()) return aud->get_string() == app_id;
  if (aud->is_array()) {
    const auto& list = aud->get_array();
    return std::any_of(list.begin(), list.end(),
                       [&](const json::value& v) { return v.is_string() && v.get_string() == app_id; });
  }
  return false;
}

bool rs256_verifies(EVP_PKEY* key, std::string_view signed_part, std::string_view signature) {
  if (!key || signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(key))) return false;
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(signed_part.data()),
                          signed_part.size()) == 1;
}

std::unique_ptr<BIGNUM, bn_free> big_number(std::string_view base64url) {
  auto bytes = base64url_decode(base64url);
  if (!bytes || bytes->empty()) return nullptr;
  return std::unique_ptr<BIGNUM, bn_free>(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                                                    static_cast<int>(bytes->size()), nullptr));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

} // namespace

std::optional<signing_key> key_from_jwk(const json::object& jwk) {
  if (string_member(jwk, "kty") != "RSA") return std::nullopt;
  // A key published for encryption is not a signing key.
  if (const auto* use = jwk.if_contains("use"); use && !(use->is_string() && use->get_string() == "sig"))
    return std::nullopt;
  signing_key out;
  out.kid = std::string(string_member(jwk, "kid"));
  if (out.kid.empty()) return std::nullopt;

  auto n = big_number(string_member(jwk, "n"));
  auto e = big_number(string_member(jwk, "e"));
  if (!n || !e) return std::nullopt;
  const int bits = BN_num_bits(n.get());
  if (bits < min_rsa_bits || bits > max_rsa_bits) return std::nullopt;

  std::unique_ptr<OSSL_PARAM_BLD, param_bld_free> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return std::nullopt;
  std::unique_ptr<OSSL_PARAM, param_free> params(OSSL_PARAM_BLD_to_param(builder.get()));
  std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_free> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return std::nullopt;
  EVP_PKEY* key = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1 || !key) return std::nullopt;
  out.key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);

  if (const auto* endorsements = jwk.if_contains("endorsements")) {
    if (!endorsements->is_array() || endorsements->get_array().size() > max_endorsements) return std::nullopt;
    out.has_endorsements = true;
    for (const auto& v : endorsements->get_array())
      if (v.is_string()) out.endorsements.emplace_back(v.get_string());
  }
  return out;
}

std::string_view to_string(token_verdict v) {
  switch (v) {
  case token_verdict::ok:
    return "ok";
  case token_verdict::missing:
    return "missing";
  case token_verdict::malformed:
    return "malformed";
  case token_verdict::unsupported_algorithm:
    return "unsupported_algorithm";
  case token_verdict::unknown_key:
    return "unknown_key";
  case token_verdict::bad_signature:
    return "bad_signature";
  case token_verdict::wrong_issuer:
    return "wrong_issuer";
  case token_verdict::wrong_audience:
    return "wrong_audience";
  case token_verdict::expired:
    return "expired";
  case token_verdict::not_yet_valid:
    return "not_yet_valid";
  case token_verdict::wrong_service_url:
    return "wrong_service_url";
  case token_verdict::not_endorsed:
    return "not_endorsed";
  }
  return "unknown";
}

token_check verify_bearer(std::string_view authorization, const key_set& keys,
                          const token_requirements& expected, std::chrono::system_clock::time_point now) {
  token_check out;
  auto fail = [&](token_verdict v) {
    out.verdict = v;
    return out;
  };

  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size() || !iequals(authorization.substr(0, scheme.size()), scheme))
    return fail(token_verdict::missing);
  const auto token = authorization.substr(scheme.size());
  if (token.size() > max_token_size) return fail(token_verdict::malformed);

  const auto first_dot = token.find('.');
  const auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos)
    return fail(token_verdict::malformed);
  const auto header_part = token.substr(0, first_dot);
  const auto payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const auto signature_part = token.substr(second_dot + 1);
  if (header_part.empty() || payload_part.empty()) return fail(token_verdict::malformed);

  auto header = decode_json_part(header_part);
  if (!header) return fail(token_verdict::malformed);
  // The algorithm is fixed here, never taken from the token: "none" and HMAC
  // (a public key used as a shared secret) are the classic forgeries.
  if (string_member(*header, "alg") != "RS256") return fail(token_verdict::unsupported_algorithm);
  if (header->contains("crit")) return fail(token_verdict::unsupported_algorithm);
  out.kid = std::string(string_member(*header, "kid"));
  if (out.kid.empty()) return fail(token_verdict::malformed);

  auto key = keys.find(out.kid);
  if (key == keys.end()) return fail(token_verdict::unknown_key);
  auto signature = base64url_decode(signature_part);
  if (!signature) return fail(token_verdict::malformed);
  if (!rs256_verifies(key->second.key.get(), token.substr(0, second_dot), *signature))
    return fail(token_verdict::bad_signature);

  // Only signed bytes are read from here on.
  auto claims = decode_json_part(payload_part);
  if (!claims) return fail(token_verdict::malformed);
  if (string_member(*claims, "iss") != bot_framework_issuer) return fail(token_verdict::wrong_issuer);
  if (!audience_matches(claims->if_contains("aud"), expected.app_id))
    return fail(token_verdict::wrong_audience);

  const double now_s = std::chrono::duration<double>(now.time_since_epoch()).count();
  const double skew = static_cast<double>(max_clock_skew.count());
  const auto exp = numeric_date(*claims, "exp");
  if (!exp) return fail(token_verdict::malformed);
  if (now_s > *exp + skew) return fail(token_verdict::expired);
  if (claims->contains("nbf")) {
    const auto nbf = numeric_date(*claims, "nbf");
    if (!nbf) return fail(token_verdict::malformed);
    if (now_s + skew < *nbf) return fail(token_verdict::not_yet_valid);
  }

  // Compared with the activity's serviceUrl once the body is read.
  const auto service_url = string_member(*claims, "serviceurl");
  if (service_url.empty()) return fail(token_verdict::wrong_service_url);

  if (key->second.has_endorsements) {
    const auto& list = key->second.endorsements;
    if (expected.channel_id.empty() || std::find(list.begin(), list.end(), expected.channel_id) == list.end())
      return fail(token_verdict::not_endorsed);
  }
  out.service_url = std::string(service_url);
  return fail(token_verdict::ok);
}

token_verdict check_service_url(const token_check& verified, std::string_view activity_service_url) {
  if (!verified.ok()) return verified.verdict;
  if (verified.service_url.empty() || verified.service_url != activity_service_url)
    return token_verdict::wrong_service_url;
  return token_verdict::ok;
}

token_check verify_token(std::string_view authorization, const key_set& keys,
                         const token_expectations& expected, std::chrono::system_clock::time_point now) {
  auto check = verify_bearer(authorization, keys, {expected.app_id, expected.channel_id}, now);
  check.verdict = check_service_url(check, expected.service_url);
  return check;
}

} // namespace bot::teams
