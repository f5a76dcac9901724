#pragma once
// Sealing of stored Pleo credentials: AES-256-GCM (OpenSSL EVP) under the
// key from PARTNERBOT_SECRET_KEY, a fresh random 12-byte nonce per secret,
// and `v1|client id|kind` as associated data, so a sealed secret copied to
// another client's row, or a row whose kind was changed, does not open.
// Pure functions; safe from any thread.

#include "store/credentials.hpp"
#include "text/base64.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace pleo {

// The 32 key bytes; wiped when destroyed.
class secret_key {
public:
  static constexpr std::size_t size = 32;
  // Standard base64 (with padding) of exactly 32 bytes; surrounding
  // whitespace is ignored. nullopt for anything else.
  static std::optional<secret_key> from_base64(std::string_view text);

  secret_key(const secret_key& other) = default;
  secret_key& operator=(const secret_key& other) = default;
  ~secret_key();
  const unsigned char* data() const { return bytes_.data(); }

private:
  secret_key() = default;
  std::array<unsigned char, size> bytes_{};
};

// What to tell a user whose PARTNERBOT_SECRET_KEY is missing.
inline constexpr std::string_view missing_key_message =
    "PARTNERBOT_SECRET_KEY is not set: Pleo credentials are stored encrypted under it "
    "(base64 of 32 random bytes, e.g. from `openssl rand -base64 32`)";

store::sealed_secret seal(const secret_key& key, std::string_view plaintext,
                          std::string_view associated_data);
// nullopt when the key, the associated data or the bytes do not match.
std::optional<std::string> open(const secret_key& key, const store::sealed_secret& sealed,
                                std::string_view associated_data);

// A stored credential's associated data: "v1|c-acme|api_key".
std::string credential_context(std::string_view client_id, store::credential_kind kind);
store::sealed_secret seal_credential(const secret_key& key, std::string_view plaintext,
                                     std::string_view client_id, store::credential_kind kind);

struct opened_credential {
  std::string secret;
  // Sealed before the kind was bound in (the client id alone as associated
  // data): seal it again, the current way.
  bool old_format = false;
};
// nullopt when it opens neither the current way nor the old way.
std::optional<opened_credential> open_credential(const secret_key& key, const store::sealed_secret& sealed,
                                                 std::string_view client_id, store::credential_kind kind);

// Base64 as the keys are written (text/base64.hpp).
using text::base64_decode;
using text::base64_encode;

// Overwrites a string's bytes before it is freed (keys, tokens).
void wipe(std::string& s);

} // namespace pleo
