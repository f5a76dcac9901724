#include "store/credentials.hpp"

#include "store/sql_util.hpp"

namespace store {
namespace {

constexpr const char* sql_client_exists = "SELECT 1 FROM clients WHERE id = ?1";
constexpr const char* sql_put =
    "INSERT INTO pleo_credentials(client_id, kind, nonce, secret, company_id, created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, '', ?5, ?5) "
    "ON CONFLICT(client_id) DO UPDATE SET kind = excluded.kind, nonce = excluded.nonce, secret = "
    "excluded.secret, "
    "company_id = '', updated_at = excluded.updated_at";
constexpr const char* sql_forget_state = "DELETE FROM pleo_sync_state WHERE client_id = ?1";
constexpr const char* sql_replace_secret =
    "UPDATE pleo_credentials SET nonce = ?2, secret = ?3, updated_at = ?4 WHERE client_id = ?1";
constexpr const char* sql_reseal = "UPDATE pleo_credentials SET nonce = ?5, secret = ?6 WHERE client_id = ?1 "
                                   "AND kind = ?2 AND nonce = ?3 AND secret = ?4";
constexpr const char* sql_set_company = "UPDATE pleo_credentials SET company_id = ?2 WHERE client_id = ?1";
constexpr const char* sql_remove = "DELETE FROM pleo_credentials WHERE client_id = ?1";
constexpr const char* sql_find_credential =
    "SELECT client_id, kind, nonce, secret, company_id, created_at, updated_at FROM pleo_credentials "
    "WHERE client_id = ?1";
constexpr const char* sql_all =
    "SELECT client_id, kind, nonce, secret, company_id, created_at, updated_at FROM pleo_credentials "
    "ORDER BY client_id";

std::string blob(sql::query& q, int column) {
  return q.blob(column);
}

stored_credential read_credential(sql::query& q) {
  stored_credential c;
  c.client_id = q.text(0);
  c.kind = parse_credential_kind(q.text(1)).value_or(credential_kind::api_key);
  c.secret.nonce = blob(q, 2);
  c.secret.ciphertext = blob(q, 3);
  c.company_id = q.text(4);
  c.created_at = q.text(5);
  c.updated_at = q.text(6);
  return c;
}

} // namespace

std::string_view to_string(credential_kind k) {
  return k == credential_kind::oauth ? "oauth" : "api_key";
}

std::optional<credential_kind> parse_credential_kind(std::string_view s) {
  if (s == "api_key") return credential_kind::api_key;
  if (s == "oauth") return credential_kind::oauth;
  return std::nullopt;
}

bool credentials::client_exists(std::string_view client_id) {
  sql::query q(db_, sql_client_exists);
  q.bind(1, client_id);
  return q.step();
}

bool credentials::put(std::string_view client_id, credential_kind kind, const sealed_secret& secret,
                      std::string_view now_iso) {
  transaction tx(db_);
  if (!client_exists(client_id)) return false;
  {
    sql::query q(db_, sql_put);
    q.bind(1, client_id).bind(2, to_string(kind)).bind_blob(3, secret.nonce).bind_blob(4, secret.ciphertext);
    q.bind(5, now_iso);
    q.exec();
  }
  sql::query forget(db_, sql_forget_state);
  forget.bind(1, client_id);
  forget.exec();
  tx.commit();
  return true;
}

void credentials::replace_secret(std::string_view client_id, const sealed_secret& secret,
                                 std::string_view now_iso) {
  sql::query q(db_, sql_replace_secret);
  q.bind(1, client_id).bind_blob(2, secret.nonce).bind_blob(3, secret.ciphertext).bind(4, now_iso);
  q.exec();
}

bool credentials::reseal(std::string_view client_id, credential_kind kind, const sealed_secret& was,
                         const sealed_secret& sealed) {
  sql::query q(db_, sql_reseal);
  q.bind(1, client_id).bind(2, to_string(kind)).bind_blob(3, was.nonce).bind_blob(4, was.ciphertext);
  q.bind_blob(5, sealed.nonce).bind_blob(6, sealed.ciphertext);
  return q.exec() > 0;
}

void credentials::set_company_id(std::string_view client_id, std::string_view company_id) {
  sql::query q(db_, sql_set_company);
  q.bind(1, client_id).bind(2, company_id);
  q.exec();
}

bool credentials::remove(std::string_view client_id) {
  transaction tx(db_);
  sql::query q(db_, sql_remove);
  q.bind(1, client_id);
  const bool removed = q.exec() > 0;
  sql::query forget(db_, sql_forget_state);
  forget.bind(1, client_id);
  forget.exec();
  tx.commit();
  return removed;
}

std::optional<stored_credential> credentials::find(std::string_view client_id) {
  sql::query q(db_, sql_find_credential);
  q.bind(1, client_id);
  if (!q.step()) return std::nullopt;
  return read_credential(q);
}

std::vector<stored_credential> credentials::all() {
  sql::query q(db_, sql_all);
  std::vector<stored_credential> out;
  while (q.step())
    out.push_back(read_credential(q));
  return out;
}

} // namespace store
