#include "store/sync_state.hpp"

#include "store/sql_util.hpp"
#include "text/danish.hpp"

namespace store {
namespace {

// The upsert changes a row only when the lease is free, run out or ours;
// a row it leaves alone counts as no change on both engines.
constexpr const char* sql_take_lease =
    "INSERT INTO pleo_sync_leases(client_id, holder, until_ms) VALUES (?1, ?2, ?4) "
    "ON CONFLICT(client_id) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms "
    "WHERE pleo_sync_leases.until_ms <= ?3 OR pleo_sync_leases.holder = excluded.holder";
constexpr const char* sql_release_lease = "DELETE FROM pleo_sync_leases WHERE client_id = ?1 AND holder = ?2";

constexpr const char* sql_client_exists = "SELECT 1 FROM clients WHERE id = ?1";
// The name only when it changed: an unchanged row keeps the caches warm.
constexpr const char* sql_rename_client = "UPDATE clients SET name = ?2, sort_key = ?3, name_fold = ?4, "
                                          "name_ascii = ?5 WHERE id = ?1 AND name IS DISTINCT FROM ?2";
// The balance keeps the snapshot's value and, from the first Pleo figures
// on, its own time. Figures newer than this sync's stay.
constexpr const char* sql_write_figures =
    "INSERT INTO client_metrics(client_id, balance_minor, currency, missing_receipts, ready_for_export, "
    "synced_at, "
    "export_total_minor, export_total_currency, export_unpriced, source) "
    "VALUES (?1, 0, '', ?2, ?3, ?4, ?5, ?6, ?7, 'pleo') "
    "ON CONFLICT(client_id) DO UPDATE SET missing_receipts = excluded.missing_receipts, "
    "ready_for_export = excluded.ready_for_export, export_total_minor = excluded.export_total_minor, "
    "export_total_currency = excluded.export_total_currency, export_unpriced = excluded.export_unpriced, "
    "balance_at = coalesce(client_metrics.balance_at, client_metrics.synced_at), source = 'pleo', "
    "synced_at = excluded.synced_at "
    "WHERE client_metrics.synced_at <= excluded.synced_at";
constexpr const char* sql_record_ok =
    "INSERT INTO pleo_sync_state(client_id, last_attempt_at, last_ok_at, failing_since, last_error, "
    "company_name) "
    "VALUES (?1, ?2, ?2, NULL, '', nullif(?3, '')) "
    "ON CONFLICT(client_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, "
    "last_ok_at = excluded.last_ok_at, failing_since = NULL, last_error = '', "
    "company_name = coalesce(excluded.company_name, pleo_sync_state.company_name)";
constexpr const char* sql_record_failure =
    "INSERT INTO pleo_sync_state(client_id, last_attempt_at, last_ok_at, failing_since, last_error) "
    "SELECT ?1, ?2, NULL, ?2, ?3 WHERE EXISTS (SELECT 1 FROM clients WHERE id = ?1) "
    "ON CONFLICT(client_id) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, "
    "failing_since = coalesce(pleo_sync_state.failing_since, excluded.failing_since), "
    "last_error = excluded.last_error";
constexpr const char* sql_find_sync_state =
    "SELECT last_attempt_at, coalesce(last_ok_at, ''), coalesce(failing_since, ''), last_error "
    "FROM pleo_sync_state WHERE client_id = ?1";
constexpr const char* sql_origin =
    "SELECT m.synced_at, m.source, coalesce(m.balance_at, ''), m.export_total_minor, "
    "coalesce(m.export_total_currency, ''), m.export_unpriced, s.last_attempt_at, coalesce(s.last_ok_at, "
    "''), "
    "coalesce(s.failing_since, ''), coalesce(s.last_error, '') "
    "FROM client_metrics m LEFT JOIN pleo_sync_state s ON s.client_id = m.client_id WHERE m.client_id = ?1";
constexpr const char* sql_overview =
    "SELECT p.client_id, c.name, p.kind, coalesce(m.synced_at, ''), s.last_attempt_at, "
    "coalesce(s.last_ok_at, ''), "
    "coalesce(s.failing_since, ''), coalesce(s.last_error, '') "
    "FROM pleo_credentials p JOIN clients c ON c.id = p.client_id "
    "LEFT JOIN client_metrics m ON m.client_id = p.client_id "
    "LEFT JOIN pleo_sync_state s ON s.client_id = p.client_id ORDER BY p.client_id";
constexpr const char* sql_summary =
    "SELECT count(*), count(s.failing_since), coalesce(min(m.synced_at), '') "
    "FROM pleo_credentials p LEFT JOIN client_metrics m ON m.client_id = p.client_id "
    "LEFT JOIN pleo_sync_state s ON s.client_id = p.client_id";

// Columns first..first+3: last_attempt_at (NULL: never), last_ok_at, failing_since, last_error.
std::optional<sync_status> read_status(sql::query& q, int first) {
  if (q.is_null(first)) return std::nullopt;
  return sync_status{q.text(first), q.text(first + 1), q.text(first + 2), q.text(first + 3)};
}

} // namespace

bool sync_states::record_success(std::string_view client_id, const synced_figures& f,
                                 std::string_view synced_at) {
  transaction tx(db_);
  {
    sql::query exists(db_, sql_client_exists);
    if (!exists.bind_all(client_id).step()) return false;
  }
  if (!f.company_name.empty())
    sql::run(db_, sql_rename_client, client_id, f.company_name,
             sql::blob_value{text::danish_sort_key(f.company_name)}, text::fold_case(f.company_name),
             text::fold_ascii(f.company_name));
  {
    sql::query q(db_, sql_write_figures);
    q.bind(1, client_id).bind(2, f.missing_receipts).bind(3, f.ready_for_export).bind(4, synced_at);
    if (f.ready_for_export_total) {
      q.bind(5, f.ready_for_export_total->minor).bind(6, f.ready_for_export_total->currency);
    } else {
      q.bind_null(5).bind_null(6);
    }
    q.bind(7, f.ready_for_export_unpriced);
    q.exec();
  }
  sql::run(db_, sql_record_ok, client_id, synced_at, f.company_name);
  tx.commit();
  return true;
}

bool sync_states::record_failure(std::string_view client_id, std::string_view error, std::string_view at) {
  return sql::run(db_, sql_record_failure, client_id, at, error) > 0;
}

bool sync_states::take_lease(std::string_view client_id, std::string_view holder, std::int64_t now_ms,
                             std::int64_t until_ms) {
  return sql::run(db_, sql_take_lease, client_id, holder, now_ms, until_ms) == 1;
}

void sync_states::release_lease(std::string_view client_id, std::string_view holder) {
  sql::run(db_, sql_release_lease, client_id, holder);
}

std::optional<sync_status> sync_states::find(std::string_view client_id) {
  sql::query q(db_, sql_find_sync_state);
  if (!q.bind_all(client_id).step()) return std::nullopt;
  return read_status(q, 0);
}

std::optional<figures_origin> sync_states::origin(std::string_view client_id) {
  sql::query q(db_, sql_origin);
  if (!q.bind_all(client_id).step()) return std::nullopt;
  figures_origin o;
  o.synced_at = q.text(0);
  o.from_pleo = q.text(1) == "pleo";
  if (o.from_pleo) o.balance_at = q.text(2);
  if (!q.is_null(3)) o.ready_for_export_total = money{q.int64(3), q.text(4)};
  o.ready_for_export_unpriced = q.integer(5);
  o.sync = read_status(q, 6);
  return o;
}

std::vector<credential_overview> sync_states::overview() {
  sql::query q(db_, sql_overview);
  return q.rows([](sql::query& r) {
    credential_overview row;
    std::string kind;
    r.read_into(row.client_id, row.client_name, kind, row.figures_at);
    row.kind = parse_credential_kind(kind).value_or(credential_kind::api_key);
    row.sync = read_status(r, 4);
    return row;
  });
}

sync_summary sync_states::summary() {
  sql::query q(db_, sql_summary);
  sync_summary s;
  if (q.step()) q.read_into(s.credentials, s.failing, s.oldest_figures_at);
  return s;
}

} // namespace store
