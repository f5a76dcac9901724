#pragma once
// Per-client credentials for Pleo's External API (DESIGN.md "Data in: the
// Pleo connector"). The store keeps them sealed: a nonce and AES-256-GCM
// ciphertext made and opened by the connector (pleo/secret_box.hpp); no
// clear secret ever passes through here. One credential per client; a
// client removed by an import takes its credential and sync state with it.
// Same threading rule as database: one thread at a time.

#include "store/database.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

enum class credential_kind { api_key, oauth };

std::string_view to_string(credential_kind k);
std::optional<credential_kind> parse_credential_kind(std::string_view s);

// Bytes, not text: the nonce and the ciphertext with its tag.
struct sealed_secret {
  std::string nonce;
  std::string ciphertext;
};

struct stored_credential {
  std::string client_id;
  credential_kind kind = credential_kind::api_key;
  sealed_secret secret;
  std::string company_id; // Pleo's company id once learned; empty before
  std::string created_at;
  std::string updated_at;
};

class credentials {
public:
  explicit credentials(database& db) : db_(db) {}

  bool client_exists(std::string_view client_id);
  // Adds or replaces the client's credential; a replaced one forgets the
  // company id and the sync state learned with the old one. False (and
  // nothing written) when there is no such client.
  bool put(std::string_view client_id, credential_kind kind, const sealed_secret& secret,
           std::string_view now_iso);
  // A rotated secret (an OAuth server's new refresh token) for the same credential.
  void replace_secret(std::string_view client_id, const sealed_secret& secret, std::string_view now_iso);
  // The same secret sealed anew (another associated data), written only
  // while the row still holds `was` under `kind`, so a credential added
  // meanwhile is never overwritten. False when the row changed.
  bool reseal(std::string_view client_id, credential_kind kind, const sealed_secret& was,
              const sealed_secret& sealed);
  void set_company_id(std::string_view client_id, std::string_view company_id);
  // Removes the credential and the client's sync state; false when it had none.
  bool remove(std::string_view client_id);

  std::optional<stored_credential> find(std::string_view client_id);
  // Every credential, by client id.
  std::vector<stored_credential> all();

private:
  database& db_;
};

} // namespace store
