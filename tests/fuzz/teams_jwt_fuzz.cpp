// The Bot Framework bearer token -> the verifier, against a fixed key set
// built from a private key that lives only here, so that both the decoding
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
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string>
#include <string_view>

namespace {

// A throwaway test key: the bot only ever trusts keys from the Bot
// Framework's JWKS, never this one.
constexpr std::string_view private_key_pem = R"(
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCWFSIMtNNdBu//
Az8Nt7J7Y08etdRDQIgnnoG4BT4bBWuHrux0A/HzuJtvnhdJIenhZRNs8cb7GsXC
j1HQIa5L0BRLv1AoyWCZn0I1ju84BDYio+5cYyDckRcSUrqJaJYZdXqIQONXlvm4
FhEHLMqUxWd3JsOCOnJ3JxndoxHDWTfdUGd9oODWZ9mupu3+iMTLt8cUGV940Xf8
QlS4fDjHllVo3vAi2TCLs4o/TkoR3giJo8zASUdgX12vEi9BA3HJba5Kz/PC6vHQ
cD/Uvk287bIHam5e1tngq586VTRedqBG4w3yCdY3YM8BYVYZ6sCLFaN+q68gXDMZ
SGLi1NCFAgMBAAECggEABxh/sB8agSLzVNi38fOV7ix/UKHjI7zY0xq04ljpG0jx
0QvtpPyMw2ueebP9QNloH95yASwbLsMQx4aUJSV6gp4XX49vgEYpGYpEjJix6bGV
R6T9f4O2SYdYkmaz6Aw4UILT5L5AoWMDcncknfS5rTf6ENGV28HcqJKCMA7mJ5it
McNlOW8YgbnYB9TgDYw0WWMt8OwcWgE9LbGMJusBpRoRKzCWWeW60ynJlXD//ii+
2z+2MBMhBv86y3lEERyWDmz2d+EJXG6UNPfgPL5UWYwv16gBcQx28ljacvKaCpBP
exC5YJXTSghIrkNr3MPZFCejydiGWFLo21DZSTuvXwKBgQDPNYrrd2mt1AguGHyC
tt3EmMPNtgb+TSg12BlJDgtdrT9CnIJmRUSmLPOL4dmcefNm7pFurEZA276yfY1S
z606E2qDLGE8nQ+Y9T7K7irWoxTtB3o5LaDIxiLzHFN76mn/VIHG5C38lxitEy10
LbR2+sszC+9ohXHeT01rQy2HTwKBgQC5bAd/1sPTD2YX7dV+nprbYkrSkZTbMRC5
vXxMcXX5IGUt4GrJhqgabZIzjcgr8tIiCjtvZ6OXGABm5AQNXT9RXRxq9NUlKOsy
412kRhR4Ofuvkpo7odSy4/Ar6A0fgkW3Q76PnFzUzfcF1eddjI+yHqtboQS34/jm
GZwRrwX16wKBgGWm98LybxbG+Uhb3OFngr5Kz2wgy6eABKT9odH0IOFQ98Le8x3n
B3mafdR29QHN1fn+ObyYqVJyO0hnTah9l5bxJYS6he1tg9RfI/H8C2oG0WJDE9Pv
LXyxrz2i/NXCt0N6mrwO/vx2x7VIvjjLn0frWzpstYOKS8VrFCj16OUDAoGBAJ5C
z4/UviWqUgiAjiXZt/EiTxy092my0kTGr44LlZcCiHmEv4Cst1R/SzdHf5/LTIGT
XDF1MxLmgIlRewfxG/cVUwkTWc2yxDUWDToGOrh3PRQZPB1DvmjF1puTH4hSR7Dp
WH/5BN75wSqw7R5St99fAAFgSMewBCRZnXUWfy7rAoGARYwBU100KqWyayppyihx
T6GRKTZi4CY9peDyCg45QV2uLfucuRq3oN1Dk0FAHXbenjSGUcloMz1iPVu8/x+k
15jSQ+vAJTTwanuUpnOOhE26crRRf1CVnM66+gOE6sA5eD9TuIe9PDlW3GMSaRGn
dEozGMQPCnYcE09PvXMMSVw=
-----END PRIVATE KEY-----
)";

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
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), BIO_free);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
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
