#include "store/installations.hpp"

#include "store/sql_util.hpp"

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
constexpr const char* sql_bind_clear = "DELETE FROM workspaces WHERE platform = ?1 AND partner_id = ?2";
constexpr const char* sql_bind_insert =
    "INSERT INTO workspaces(platform, workspace_id, partner_id) VALUES (?1, ?2, ?3)";
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
  i.key.platform = q.text(0);
  i.key.enterprise_id = q.text(1);
  i.key.workspace_id = q.text(2);
  i.workspace_name = q.text(3);
  i.app_id = q.text(4);
  i.bot_user_id = q.text(5);
  i.scopes = q.text(6);
  i.installer = q.text(7);
  i.token.nonce = installation_blob(q, 8);
  i.token.ciphertext = installation_blob(q, 9);
  i.refresh.nonce = installation_blob(q, 10);
  i.refresh.ciphertext = installation_blob(q, 11);
  i.expires_ms = q.int64(12);
  i.version = q.int64(13);
  i.installed_at = q.text(14);
  i.uninstalled_at = q.text(15);
  return i;
}

} // namespace

std::string_view to_string(bind_result r) {
  switch (r) {
  case bind_result::bound:
    return "bound";
  case bind_result::already_bound:
    return "already bound";
  case bind_result::no_such_partner:
    return "no such partner";
  case bind_result::workspace_taken:
    return "the workspace belongs to another partner";
  case bind_result::partner_has_other:
    return "the partner is on another workspace of that platform";
  }
  return "";
}

void installations::save(const installation& i) {
  sql::query q(db_, sql_save_installation);
  q.bind(1, i.key.platform).bind(2, i.key.enterprise_id).bind(3, i.key.workspace_id);
  q.bind(4, i.workspace_name).bind(5, i.app_id).bind(6, i.bot_user_id).bind(7, i.scopes).bind(8, i.installer);
  q.bind_blob(9, i.token.nonce).bind_blob(10, i.token.ciphertext);
  q.bind_blob(11, i.refresh.nonce).bind_blob(12, i.refresh.ciphertext);
  q.bind(13, i.expires_ms).bind(14, i.installed_at);
  q.exec();
}

std::optional<installation> installations::find(std::string_view platform, std::string_view enterprise_id,
                                                std::string_view workspace_id) {
  if (enterprise_id.empty() && workspace_id.empty()) return std::nullopt;
  sql::query q(db_, sql_find_installation);
  q.bind(1, platform).bind(2, enterprise_id).bind(3, workspace_id);
  if (!q.step()) return std::nullopt;
  return read_installation(q);
}

bool installations::replace_tokens(const installation_key& key, std::int64_t old_version,
                                   const sealed_secret& token, const sealed_secret& refresh,
                                   std::int64_t expires_ms) {
  sql::query q(db_, sql_replace_tokens);
  q.bind(1, key.platform).bind(2, key.enterprise_id).bind(3, key.workspace_id).bind(4, old_version);
  q.bind_blob(5, token.nonce).bind_blob(6, token.ciphertext);
  q.bind_blob(7, refresh.nonce).bind_blob(8, refresh.ciphertext).bind(9, expires_ms);
  return q.exec() == 1;
}

int installations::uninstall(const installation_key& key, std::string_view now_iso, std::string_view reason) {
  transaction tx(db_);
  sql::query q(db_, sql_uninstall);
  q.bind(1, key.platform).bind(2, key.enterprise_id).bind(3, key.workspace_id).bind(4, now_iso);
  q.bind_blob(5, std::string_view{});
  if (q.exec() == 0) return 0;
  int ended = 0;
  if (!key.workspace_id.empty()) {
    sql::query fail(db_, sql_fail_pending_outbox);
    fail.bind(1, key.platform).bind(2, key.workspace_id).bind(3, reason);
    ended = fail.exec();
    sql::query forget(db_, sql_forget_home_viewers);
    forget.bind(1, key.platform).bind(2, key.workspace_id);
    forget.exec();
  } else if (!key.enterprise_id.empty()) {
    sql::query fail(db_, sql_fail_organisation_outbox);
    fail.bind(1, key.platform).bind(2, key.enterprise_id).bind(3, reason);
    ended = fail.exec();
    sql::query forget(db_, sql_forget_organisation_home_viewers);
    forget.bind(1, key.platform).bind(2, key.enterprise_id);
    forget.exec();
  }
  tx.commit();
  return ended;
}

void installations::note_organisation(std::string_view platform, std::string_view workspace_id,
                                      std::string_view enterprise_id) {
  if (workspace_id.empty() || enterprise_id.empty()) return;
  sql::query q(db_, sql_note_organisation);
  q.bind(1, platform).bind(2, workspace_id).bind(3, enterprise_id);
  q.exec();
}

bind_result installations::bind(std::string_view platform, std::string_view workspace_id,
                                std::string_view partner_id, bool replace) {
  transaction tx(db_);
  {
    sql::query q(db_, sql_bind_partner_exists);
    q.bind(1, partner_id);
    if (!q.step()) return bind_result::no_such_partner;
  }
  {
    sql::query q(db_, sql_bind_owner);
    q.bind(1, platform).bind(2, workspace_id);
    if (q.step()) return q.text(0) == partner_id ? bind_result::already_bound : bind_result::workspace_taken;
  }
  {
    sql::query q(db_, sql_bind_partner_workspace);
    q.bind(1, platform).bind(2, partner_id);
    if (q.step() && !replace) return bind_result::partner_has_other;
  }
  {
    sql::query clear(db_, sql_bind_clear);
    clear.bind(1, platform).bind(2, partner_id);
    clear.exec();
  }
  sql::query add(db_, sql_bind_insert);
  add.bind(1, platform).bind(2, workspace_id).bind(3, partner_id);
  add.exec();
  tx.commit();
  return bind_result::bound;
}

std::vector<workspace_listing> installations::list() {
  sql::query q(db_, sql_list_workspaces);
  std::vector<workspace_listing> out;
  while (q.step()) {
    workspace_listing w;
    w.platform = q.text(0);
    w.enterprise_id = q.text(1);
    w.workspace_id = q.text(2);
    w.workspace_name = q.text(3);
    w.partner_id = q.text(4);
    w.partner_name = q.text(5);
    w.state = q.text(6);
    out.push_back(std::move(w));
  }
  return out;
}

void installations::add_state(std::string_view state, std::int64_t expires_ms) {
  sql::query q(db_, sql_add_state);
  q.bind(1, state).bind(2, expires_ms);
  q.exec();
}

bool installations::consume_state(std::string_view state, std::int64_t now_ms) {
  transaction tx(db_);
  sql::query q(db_, sql_consume_state);
  q.bind(1, state).bind(2, now_ms);
  const bool consumed = q.exec() == 1;
  sql::query forget(db_, sql_forget_expired_states);
  forget.bind(1, now_ms);
  forget.exec();
  tx.commit();
  return consumed;
}

} // namespace store
