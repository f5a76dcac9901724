#include "store/installations.hpp"

#include "store/sql_util.hpp"
#include "store/workspace_binding.hpp"

#include <array>

namespace store {
namespace {

#define STORE_INSTALLATION_COLUMNS                                                                           \
  "platform, enterprise_id, workspace_id, workspace_name, app_id, bot_user_id, scopes, installer, "          \
  "token_nonce, token, refresh_nonce, refresh_token, expires_ms, version, installed_at, "                    \
  "coalesce(uninstalled_at, '')"

constexpr const char* sql_save_installation =
    "INSERT INTO workspace_installations(platform, enterprise_id, workspace_id, workspace_name, app_id, "
    "bot_user_id, scopes, installer, token_nonce, token, refresh_nonce, refresh_token, expires_ms, version, "
    "installed_at, uninstalled_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, NULL) "
    "ON CONFLICT(platform, enterprise_id, workspace_id) DO UPDATE SET workspace_name = "
    "excluded.workspace_name, "
    "app_id = excluded.app_id, bot_user_id = excluded.bot_user_id, scopes = excluded.scopes, "
    "installer = excluded.installer, token_nonce = excluded.token_nonce, token = excluded.token, "
    "refresh_nonce = excluded.refresh_nonce, refresh_token = excluded.refresh_token, "
    "expires_ms = excluded.expires_ms, version = workspace_installations.version + 1, installed_at = "
    "excluded.installed_at, "
    "uninstalled_at = NULL";
// The workspace's own installation or its organisation's (the one named, or
// else the one its requests told), an installed one first, the workspace's
// own before the organisation's.
constexpr const char* sql_find_installation =
    "SELECT " STORE_INSTALLATION_COLUMNS " FROM workspace_installations "
    "WHERE platform = ?1 AND ((workspace_id = ?3 AND (?2 = '' OR enterprise_id = ?2)) "
    "OR (workspace_id = '' AND enterprise_id <> '' AND enterprise_id = CASE WHEN ?2 <> '' THEN ?2 ELSE "
    "(SELECT o.enterprise_id FROM workspace_organisations o WHERE o.platform = ?1 AND o.workspace_id = ?3) "
    "END)) "
    "ORDER BY uninstalled_at IS NULL DESC, workspace_id DESC LIMIT 1";
constexpr const char* sql_note_organisation =
    "INSERT INTO workspace_organisations(platform, workspace_id, enterprise_id) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(platform, workspace_id) DO UPDATE SET enterprise_id = excluded.enterprise_id "
    "WHERE enterprise_id <> excluded.enterprise_id";
constexpr const char* sql_replace_tokens =
    "UPDATE workspace_installations SET token_nonce = ?5, token = ?6, refresh_nonce = ?7, refresh_token = "
    "?8, "
    "expires_ms = ?9, version = version + 1 "
    "WHERE platform = ?1 AND enterprise_id = ?2 AND workspace_id = ?3 AND version = ?4 "
    "AND uninstalled_at IS NULL";
constexpr const char* sql_uninstall =
    "UPDATE workspace_installations SET token_nonce = ?5, token = ?5, refresh_nonce = ?5, "
    "refresh_token = ?5, expires_ms = 0, version = version + 1, uninstalled_at = ?4 "
    "WHERE platform = ?1 AND enterprise_id = ?2 AND workspace_id = ?3";
constexpr const char* sql_fail_pending_outbox =
    "UPDATE outbox SET status = 'failed', last_error = ?3 "
    "WHERE platform = ?1 AND workspace_id = ?2 AND status = 'pending'";
// An organisation's install served its workspaces that have none installed of their own.
constexpr const char* sql_fail_organisation_outbox =
    "UPDATE outbox SET status = 'failed', last_error = ?3 "
    "WHERE platform = ?1 AND status = 'pending' AND workspace_id IN (SELECT o.workspace_id FROM "
    "workspace_organisations o WHERE o.platform = ?1 AND o.enterprise_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
    "workspace_installations i WHERE i.platform = ?1 AND i.workspace_id = o.workspace_id AND "
    "i.uninstalled_at IS NULL))";
// Nobody is shown a home there any more.
constexpr const char* sql_forget_home_viewers =
    "DELETE FROM home_viewers WHERE platform = ?1 AND workspace_id = ?2";
constexpr const char* sql_forget_organisation_home_viewers =
    "DELETE FROM home_viewers WHERE platform = ?1 AND workspace_id IN (SELECT o.workspace_id FROM "
    "workspace_organisations o WHERE o.platform = ?1 AND o.enterprise_id = ?2 AND NOT EXISTS (SELECT 1 FROM "
    "workspace_installations i WHERE i.platform = ?1 AND i.workspace_id = o.workspace_id AND "
    "i.uninstalled_at IS NULL))";
constexpr const char* sql_bind_partner_exists = "SELECT 1 FROM partners WHERE id = ?1";
constexpr const char* sql_bind_owner =
    "SELECT partner_id FROM workspaces WHERE platform = ?1 AND workspace_id = ?2";
constexpr const char* sql_bind_partner_workspace =
    "SELECT workspace_id FROM workspaces WHERE platform = ?1 AND partner_id = ?2";
// Every workspace a snapshot named or an install brought, with its partner.
constexpr const char* sql_list_workspaces =
    "SELECT w.platform, coalesce(i.enterprise_id, ''), w.workspace_id, coalesce(i.workspace_name, ''), "
    "w.partner_id, p.name, CASE WHEN i.platform IS NULL THEN '' WHEN i.uninstalled_at IS NULL "
    "THEN 'installed' ELSE 'uninstalled' END "
    "FROM workspaces w JOIN partners p ON p.id = w.partner_id "
    "LEFT JOIN workspace_installations i ON i.platform = w.platform AND i.workspace_id = w.workspace_id "
    "UNION ALL "
    "SELECT i.platform, i.enterprise_id, i.workspace_id, i.workspace_name, '', '', "
    "CASE WHEN i.uninstalled_at IS NULL THEN 'installed' ELSE 'uninstalled' END "
    "FROM workspace_installations i WHERE NOT EXISTS (SELECT 1 FROM workspaces w "
    "WHERE w.platform = i.platform AND w.workspace_id = i.workspace_id) "
    "ORDER BY 1, 3, 2";
constexpr const char* sql_add_state = "INSERT INTO install_states(state, expires_ms) VALUES (?1, ?2)";
constexpr const char* sql_forget_expired_states = "DELETE FROM install_states WHERE expires_ms <= ?1";
constexpr const char* sql_consume_state = "DELETE FROM install_states WHERE state = ?1 AND expires_ms > ?2";

std::string installation_blob(sql::query& q, int column) {
  return q.is_null(column) ? std::string{} : q.blob(column);
}

installation read_installation(sql::query& q) {
  installation i;
  q.read_into(i.key.platform, i.key.enterprise_id, i.key.workspace_id, i.workspace_name, i.app_id,
              i.bot_user_id, i.scopes, i.installer);
  for (auto [column, blob] : {std::pair{8, &i.token.nonce}, std::pair{9, &i.token.ciphertext},
                              std::pair{10, &i.refresh.nonce}, std::pair{11, &i.refresh.ciphertext}})
    *blob = installation_blob(q, column);
  q.read_from(12, i.expires_ms, i.version, i.installed_at, i.uninstalled_at);
  return i;
}

} // namespace

std::string_view to_string(bind_result r) {
  // In the enum's order.
  static constexpr std::array<std::string_view, 5> texts{
      "bound", "already bound", "no such partner", "the workspace belongs to another partner",
      "the partner is on another workspace of that platform"};
  static_assert(static_cast<std::size_t>(bind_result::partner_has_other) + 1 == texts.size());
  const auto i = static_cast<std::size_t>(r);
  return i < texts.size() ? texts[i] : std::string_view{};
}

void installations::save(const installation& i) {
  sql::run(db_, sql_save_installation, i.key.platform, i.key.enterprise_id, i.key.workspace_id,
           i.workspace_name, i.app_id, i.bot_user_id, i.scopes, i.installer, sql::blob_value{i.token.nonce},
           sql::blob_value{i.token.ciphertext}, sql::blob_value{i.refresh.nonce},
           sql::blob_value{i.refresh.ciphertext}, i.expires_ms, i.installed_at);
}

std::optional<installation> installations::find(std::string_view platform, std::string_view enterprise_id,
                                                std::string_view workspace_id) {
  if (enterprise_id.empty() && workspace_id.empty()) return std::nullopt;
  sql::query q(db_, sql_find_installation);
  return q.bind_all(platform, enterprise_id, workspace_id).first(read_installation);
}

bool installations::replace_tokens(const installation_key& key, std::int64_t old_version,
                                   const sealed_secret& token, const sealed_secret& refresh,
                                   std::int64_t expires_ms) {
  return sql::run(db_, sql_replace_tokens, key.platform, key.enterprise_id, key.workspace_id, old_version,
                  sql::blob_value{token.nonce}, sql::blob_value{token.ciphertext},
                  sql::blob_value{refresh.nonce}, sql::blob_value{refresh.ciphertext}, expires_ms) == 1;
}

int installations::uninstall(const installation_key& key, std::string_view now_iso, std::string_view reason) {
  transaction tx(db_);
  if (sql::run(db_, sql_uninstall, key.platform, key.enterprise_id, key.workspace_id, now_iso,
               sql::blob_value{}) == 0)
    return 0;
  int ended = 0;
  // A workspace's own install, or else an organisation's.
  const bool own = !key.workspace_id.empty();
  if (own || !key.enterprise_id.empty()) {
    const auto& where = own ? key.workspace_id : key.enterprise_id;
    ended = sql::run(db_, own ? sql_fail_pending_outbox : sql_fail_organisation_outbox, key.platform, where,
                     reason);
    sql::run(db_, own ? sql_forget_home_viewers : sql_forget_organisation_home_viewers, key.platform, where);
  }
  tx.commit();
  return ended;
}

void installations::note_organisation(std::string_view platform, std::string_view workspace_id,
                                      std::string_view enterprise_id) {
  if (workspace_id.empty() || enterprise_id.empty()) return;
  sql::run(db_, sql_note_organisation, platform, workspace_id, enterprise_id);
}

bind_result installations::bind(std::string_view platform, std::string_view workspace_id,
                                std::string_view partner_id, bool replace) {
  transaction tx(db_);
  {
    sql::query q(db_, sql_bind_partner_exists);
    if (!q.bind_all(partner_id).step()) return bind_result::no_such_partner;
  }
  {
    sql::query q(db_, sql_bind_owner);
    if (q.bind_all(platform, workspace_id).step())
      return q.text(0) == partner_id ? bind_result::already_bound : bind_result::workspace_taken;
  }
  {
    sql::query q(db_, sql_bind_partner_workspace);
    if (q.bind_all(platform, partner_id).step() && !replace) return bind_result::partner_has_other;
  }
  sql::place_partner_workspace(db_, platform, partner_id, workspace_id);
  tx.commit();
  return bind_result::bound;
}

std::vector<workspace_listing> installations::list() {
  sql::query q(db_, sql_list_workspaces);
  return q.rows([](sql::query& r) {
    workspace_listing w;
    r.read_into(w.platform, w.enterprise_id, w.workspace_id, w.workspace_name, w.partner_id, w.partner_name,
                w.state);
    return w;
  });
}

void installations::add_state(std::string_view state, std::int64_t expires_ms) {
  sql::run(db_, sql_add_state, state, expires_ms);
}

bool installations::consume_state(std::string_view state, std::int64_t now_ms) {
  transaction tx(db_);
  const bool consumed = sql::run(db_, sql_consume_state, state, now_ms) == 1;
  sql::run(db_, sql_forget_expired_states, now_ms);
  tx.commit();
  return consumed;
}

} // namespace store
