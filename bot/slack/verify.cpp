#include "bot/slack/verify.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <optional>

namespace bot::slack {

namespace {

constexpr std::string_view version_prefix = "v0=";
constexpr std::size_t digest_size = 32;
// Seconds since 1970 fit in 12 digits until the year 33658.
constexpr std::size_t max_timestamp_digits = 12;

std::array<unsigned char, digest_size> hmac_sha256(std::string_view key, std::string_view timestamp,
                                                   std::string_view body) {
  std::string base;
  base.reserve(3 + timestamp.size() + 1 + body.size());
  base.append("v0:").append(timestamp).append(":").append(body);
  std::array<unsigned char, digest_size> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(base.data()), base.size(), out.data(), &len);
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
  if (CRYPTO_memcmp(expected.data(), given->data(), digest_size) != 0) return verdict::bad_signature;
  return verdict::ok;
}

std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body) {
  static constexpr char digits[] = "0123456789abcdef";
  auto mac = hmac_sha256(signing_secret, timestamp, body);
  std::string out(version_prefix);
  for (auto b : mac) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

} // namespace bot::slack
