#include "bot/slack/verify.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <optional>
#include <stdexcept>
#include <string>

namespace bot::slack {

namespace {

constexpr std::string_view version_prefix = "v0=";
constexpr std::size_t digest_size = 32;
// Seconds since 1970 fit in 12 digits until the year 33658.
constexpr std::size_t max_timestamp_digits = 12;

// An HMAC-SHA256 context kept per thread and keyed once per secret: a
// one-shot HMAC() fetches the digest and builds three contexts per call,
// some dozen allocations on every request.
class keyed_hmac {
public:
  keyed_hmac()
      : mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)), ctx_(mac_ ? EVP_MAC_CTX_new(mac_) : nullptr) {}
  ~keyed_hmac() {
    EVP_MAC_CTX_free(ctx_);
    EVP_MAC_free(mac_);
  }
  keyed_hmac(const keyed_hmac&) = delete;
  keyed_hmac& operator=(const keyed_hmac&) = delete;

  // Starts a MAC under `key`; false when OpenSSL refuses.
  bool start(std::string_view key) {
    if (!ctx_) return false;
    if (keyed_ && key == key_) return EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    keyed_ = EVP_MAC_init(ctx_, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) == 1;
    key_ = keyed_ ? std::string(key) : std::string();
    return keyed_;
  }
  bool add(std::string_view part) {
    return EVP_MAC_update(ctx_, reinterpret_cast<const unsigned char*>(part.data()), part.size()) == 1;
  }
  bool finish(std::array<unsigned char, digest_size>& out) {
    std::size_t len = 0;
    return EVP_MAC_final(ctx_, out.data(), &len, out.size()) == 1 && len == out.size();
  }

private:
  EVP_MAC* mac_;
  EVP_MAC_CTX* ctx_;
  std::string key_;
  bool keyed_ = false;
};

// Slack's base string is "v0:<timestamp>:<body>"; fed in parts, never copied.
// Nothing when OpenSSL fails (then no signature matches).
std::optional<std::array<unsigned char, digest_size>>
hmac_sha256(std::string_view key, std::string_view timestamp, std::string_view body) {
  thread_local keyed_hmac hmac;
  std::array<unsigned char, digest_size> out{};
  if (!hmac.start(key) || !hmac.add("v0:") || !hmac.add(timestamp) || !hmac.add(":") || !hmac.add(body) ||
      !hmac.finish(out))
    return std::nullopt;
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::array<unsigned char, digest_size>> decode_signature(std::string_view signature) {
  if (!signature.starts_with(version_prefix)) return std::nullopt;
  auto hex = signature.substr(version_prefix.size());
  if (hex.size() != 2 * digest_size) return std::nullopt;
  std::array<unsigned char, digest_size> out{};
  for (std::size_t i = 0; i < digest_size; ++i) {
    int hi = hex_value(hex[2 * i]);
    int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return out;
}

std::optional<std::int64_t> parse_timestamp(std::string_view ts) {
  if (ts.empty() || ts.size() > max_timestamp_digits) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), value);
  if (ec != std::errc() || end != ts.data() + ts.size() || value < 0) return std::nullopt;
  return value;
}

} // namespace

std::string_view to_string(verdict v) {
  switch (v) {
  case verdict::ok:
    return "ok";
  case verdict::missing_header:
    return "missing_header";
  case verdict::malformed:
    return "malformed";
  case verdict::stale:
    return "stale";
  case verdict::bad_signature:
    return "bad_signature";
  }
  return "unknown";
}

verdict verify_request(std::string_view signing_secret, std::string_view timestamp,
                       std::string_view signature, std::string_view body,
                       std::chrono::system_clock::time_point now) {
  if (timestamp.empty() || signature.empty()) return verdict::missing_header;
  auto ts = parse_timestamp(timestamp);
  auto given = decode_signature(signature);
  if (!ts || !given) return verdict::malformed;
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto skew = now_s > *ts ? now_s - *ts : *ts - now_s;
  if (skew > max_clock_skew.count()) return verdict::stale;
  if (signing_secret.empty()) return verdict::bad_signature;
  auto expected = hmac_sha256(signing_secret, timestamp, body);
  if (!expected || CRYPTO_memcmp(expected->data(), given->data(), digest_size) != 0)
    return verdict::bad_signature;
  return verdict::ok;
}

std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto mac = hmac_sha256(signing_secret, timestamp, body);
  if (!mac) throw std::runtime_error("HMAC-SHA256 is not available");
  std::string out(version_prefix);
  for (auto b : *mac) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

} // namespace bot::slack
