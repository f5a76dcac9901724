#pragma once
// Workspace installations: what a chat platform handed over when a
// workspace installed the app (its bot token, the bot's user id, the scopes,
// who installed it, and with token rotation a refresh token and expiry),
// keyed by (platform, enterprise id, workspace id). An organisation-wide
// install has an empty workspace id. Tokens are sealed by the caller
// (AES-256-GCM, see pleo/secret_box.hpp); no clear token passes through here.
//
// Also the single-use install states that tie an install's redirect to the
// browser that started it, and the binding of a workspace to its partner.
// Same threading rule as database: one thread at a time.

#include "store/credentials.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

struct installation_key {
  std::string platform;
  std::string enterprise_id; // empty: not part of an organisation
  std::string workspace_id;  // empty: installed for the whole organisation
};

struct installation {
  installation_key key;
  std::string workspace_name;
  std::string app_id;
  std::string bot_user_id;
  std::string scopes;          // as granted, comma-separated
  std::string installer;       // the installing user's id
  sealed_secret token;         // empty after an uninstall
  sealed_secret refresh;       // empty without token rotation
  std::int64_t expires_ms = 0; // when the token expires (unix ms); 0: never
  std::int64_t version = 0;    // bumped by every change of the tokens
  std::string installed_at;
  std::string uninstalled_at; // empty while installed

  bool installed() const { return uninstalled_at.empty() && !token.ciphertext.empty(); }
};

// A workspace of any platform, whether installed or only named by a snapshot.
struct workspace_listing {
  std::string platform;
  std::string enterprise_id;
  std::string workspace_id;
  std::string workspace_name;
  std::string partner_id; // empty: bound to no partner
  std::string partner_name;
  std::string state; // "installed", "uninstalled" or "" (no installation)
};

enum class bind_result { bound, already_bound, no_such_partner, workspace_taken, partner_has_other };

class installations {
public:
  explicit installations(database& db) : db_(db) {}

  // Adds or replaces the installation (a reinstall after an uninstall too);
  // the version moves on.
  void save(const installation& i);
  // The installation serving a workspace: its own, or its organisation's
  // (an installed one before an uninstalled one). With an empty enterprise
  // id, the workspace's own installation in any organisation (a workspace id
  // is unique on its platform), else the install of the organisation that
  // note_organisation recorded for it.
  std::optional<installation> find(std::string_view platform, std::string_view enterprise_id,
                                   std::string_view workspace_id);
  // Stores a refreshed token pair only if the row is still at `old_version`
  // (nobody refreshed meanwhile); false and nothing written otherwise.
  bool replace_tokens(const installation_key& key, std::int64_t old_version, const sealed_secret& token,
                      const sealed_secret& refresh, std::int64_t expires_ms);
  // Forgets the tokens (the row stays, marked uninstalled), ends the pending
  // outbox rows of the workspace (for an organisation's install: of its
  // workspaces without an install of their own) as failed with `reason`, and
  // forgets who opened their home there. Returns how many outbox rows ended;
  // nothing happens when there is no installation.
  int uninstall(const installation_key& key, std::string_view now_iso, std::string_view reason);

  // Records the organisation a workspace belongs to (as its requests say).
  void note_organisation(std::string_view platform, std::string_view workspace_id,
                         std::string_view enterprise_id);

  // Binds a workspace to a partner (the snapshot's table of workspaces).
  // partner_has_other: the partner is already on another workspace of that
  // platform; with `replace` the binding moves instead.
  bind_result bind(std::string_view platform, std::string_view workspace_id, std::string_view partner_id,
                   bool replace);
  std::vector<workspace_listing> list();

  // Install states: single-use, each valid until `expires_ms`.
  void add_state(std::string_view state, std::int64_t expires_ms);
  // True once for a state that exists and has not expired; it is gone after.
  bool consume_state(std::string_view state, std::int64_t now_ms);

private:
  database& db_;
};

std::string_view to_string(bind_result r);

} // namespace store
