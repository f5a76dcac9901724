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

stored_credential read_credential(sql::query& q) {
  stored_credential c;
  std::string kind;
  q.read_into(c.client_id, kind);
  c.kind = parse_credential_kind(kind).value_or(credential_kind::api_key);
  c.secret = {q.blob(2), q.blob(3)};
  q.read_from(4, c.company_id, c.created_at, c.updated_at);
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
  return q.bind_all(client_id).step();
}

bool credentials::put(std::string_view client_id, credential_kind kind, const sealed_secret& secret,
                      std::string_view now_iso) {
  transaction tx(db_);
  if (!client_exists(client_id)) return false;
  sql::run(db_, sql_put, client_id, to_string(kind), sql::blob_value{secret.nonce},
           sql::blob_value{secret.ciphertext}, now_iso);
  sql::run(db_, sql_forget_state, client_id);
  tx.commit();
  return true;
}

void credentials::replace_secret(std::string_view client_id, const sealed_secret& secret,
                                 std::string_view now_iso) {
  sql::run(db_, sql_replace_secret, client_id, sql::blob_value{secret.nonce},
           sql::blob_value{secret.ciphertext}, now_iso);
}

bool credentials::reseal(std::string_view client_id, credential_kind kind, const sealed_secret& was,
                         const sealed_secret& sealed) {
  return sql::run(db_, sql_reseal, client_id, to_string(kind), sql::blob_value{was.nonce},
                  sql::blob_value{was.ciphertext}, sql::blob_value{sealed.nonce},
                  sql::blob_value{sealed.ciphertext}) > 0;
}

void credentials::set_company_id(std::string_view client_id, std::string_view company_id) {
  sql::run(db_, sql_set_company, client_id, company_id);
}

bool credentials::remove(std::string_view client_id) {
  transaction tx(db_);
  const bool removed = sql::run(db_, sql_remove, client_id) > 0;
  sql::run(db_, sql_forget_state, client_id);
  tx.commit();
  return removed;
}

std::optional<stored_credential> credentials::find(std::string_view client_id) {
  sql::query q(db_, sql_find_credential);
  return q.bind_all(client_id).first(read_credential);
}

std::vector<stored_credential> credentials::all() {
  sql::query q(db_, sql_all);
  return q.rows(read_credential);
}

} // namespace store
