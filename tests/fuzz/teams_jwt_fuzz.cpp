// The Bot Framework bearer token -> the verifier, against a key set built
// from a key generated when the harness starts, so that both the decoding
// and the signature and claims checks run. First byte even: the rest is the
// token as sent after "Bearer ". First byte odd: the rest is a header and a
// claims JSON text on two lines, signed here with that key, so the fuzzer
// reaches the claims checks, which only ever read signed bytes.

#include "bot/teams/jwt.hpp"

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view app_id = "00000000-1111-2222-3333-444444444444";
constexpr std::string_view service_url = "https://smba.trafficmanager.net/emea/";
const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

struct fixture {
  std::shared_ptr<EVP_PKEY> private_key;
  bot::teams::key_set keys;
};

std::string big_endian(const EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) std::abort();
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

// The key twice: endorsed for Teams only ("fuzz-key") and without any
// endorsements ("fuzz-key-open"), through the same JWK reader the bot uses.
const fixture& the_fixture() {
  static const fixture f = [] {
    fixture out;
    // A fresh key per run: the odd-byte inputs are signed here, so a corpus
    // reaches the same checks whatever the key.
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) std::abort();
    out.private_key = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
    const auto n = bot::teams::base64url_encode(big_endian(key, OSSL_PKEY_PARAM_RSA_N));
    const auto e = bot::teams::base64url_encode(big_endian(key, OSSL_PKEY_PARAM_RSA_E));
    boost::json::object endorsed{{"kty", "RSA"}, {"use", "sig"}, {"kid", "fuzz-key"},
                                 {"n", n},       {"e", e},       {"endorsements", {"msteams"}}};
    boost::json::object open{{"kty", "RSA"}, {"kid", "fuzz-key-open"}, {"n", n}, {"e", e}};
    for (const auto& jwk : {endorsed, open}) {
      auto parsed = bot::teams::key_from_jwk(jwk);
      if (!parsed) std::abort();
      out.keys.emplace(parsed->kid, std::move(*parsed));
    }
    return out;
  }();
  return f;
}

std::string rs256_sign(EVP_PKEY* key, std::string_view signed_part) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, nullptr, 0) != 1)
    std::abort();
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) != 1)
    std::abort();
  signature.resize(size);
  return signature;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& f = the_fixture();
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string token;
  if (data[0] & 1) {
    const auto newline = rest.find('\n');
    if (newline == std::string_view::npos) return 0;
    const auto signed_part = bot::teams::base64url_encode(rest.substr(0, newline)) + "." +
                             bot::teams::base64url_encode(rest.substr(newline + 1));
    token = signed_part + "." + bot::teams::base64url_encode(rs256_sign(f.private_key.get(), signed_part));
  } else {
    token = std::string(rest);
  }
  (void)bot::teams::verify_token("Bearer " + token, f.keys, {app_id, service_url, "msteams"}, now);
  return 0;
}
