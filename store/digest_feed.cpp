#include "store/digest_feed.hpp"

#include "store/rows.hpp"
#include "store/sql_util.hpp"

namespace store {
namespace {

// Ordered by the subscriptions primary key, so rows stream without a full
// sort; only each member's few rows are sorted by name.
constexpr const char* sql_feed =
    "SELECT s.member_id, s.client_id, s.frequency, s.platform, s.created_at, "
    "       m.partner_id, m.name, m.email, m.role, "
    "       c.name, c.status, cm.balance_minor, cm.currency, cm.missing_receipts, cm.ready_for_export, "
    "       cm.synced_at, "
    "       (m.role = 'admin' OR (c.status IN ('onboarding', 'active') AND EXISTS ("
    "          SELECT 1 FROM assignments a WHERE a.client_id = s.client_id AND a.member_id = s.member_id))), "
    "       ci.workspace_id, ci.user_id "
    "FROM subscriptions s "
    "JOIN members m ON m.id = s.member_id "
    "JOIN clients c ON c.id = s.client_id AND c.partner_id = m.partner_id "
    "LEFT JOIN client_metrics cm ON cm.client_id = c.id "
    "LEFT JOIN chat_identities ci ON ci.member_id = s.member_id AND ci.platform = s.platform "
    "ORDER BY s.member_id, c.sort_key";

constexpr const char* sql_outstanding_totals =
    "SELECT count(*), coalesce(sum(cm.missing_receipts), 0), coalesce(sum(cm.ready_for_export), 0) "
    "FROM clients c JOIN client_metrics cm ON cm.client_id = c.id "
    "WHERE c.partner_id = ? AND (cm.missing_receipts > 0 OR cm.ready_for_export > 0)";

constexpr const char* sql_outstanding_top =
    "SELECT c.id, c.partner_id, c.name, c.status, cm.balance_minor, cm.currency, cm.missing_receipts, "
    "       cm.ready_for_export, cm.synced_at "
    "FROM clients c JOIN client_metrics cm ON cm.client_id = c.id "
    "WHERE c.partner_id = ? AND (cm.missing_receipts > 0 OR cm.ready_for_export > 0) "
    "ORDER BY cm.missing_receipts DESC, cm.ready_for_export DESC, c.sort_key LIMIT ?";

// Failed rows are few, so the (status, next_attempt_ms) index finds them.
constexpr const char* sql_failed =
    "SELECT o.member_id, m.name, o.last_error, max(o.created_ms) "
    "FROM outbox o JOIN members m ON m.id = o.member_id "
    "WHERE o.status = 'failed' AND o.origin = 'digest' AND o.created_ms >= ? AND m.partner_id = ? "
    "GROUP BY o.member_id ORDER BY m.name LIMIT ?";
// PostgreSQL has no bare columns beside max(): the newest failure of each
// member by DISTINCT ON, then the members by name.
constexpr const char* sql_failed_postgres =
    "SELECT member_id, name, last_error, created_ms FROM ("
    "  SELECT DISTINCT ON (o.member_id) o.member_id, m.name, o.last_error, o.created_ms "
    "  FROM outbox o JOIN members m ON m.id = o.member_id "
    "  WHERE o.status = 'failed' AND o.origin = 'digest' AND o.created_ms >= ?1 AND m.partner_id = ?2 "
    "  ORDER BY o.member_id, o.created_ms DESC, o.id DESC) newest "
    "ORDER BY name LIMIT ?3";

} // namespace

void digest_feed::for_each(const std::function<void(const digest_feed_row&)>& visit) {
  // Not the statement cache: a visitor may run a pass of its own.
  auto stmt = db_.connection().fresh(sql_feed);
  auto& q = *stmt;
  const auto text = [&q](int column) { return q.text(column); };
  digest_feed_row row;
  while (q.step()) {
    row.sub.member_id = text(0);
    row.sub.client_id = text(1);
    row.sub.frequency = parse_frequency(text(2)).value_or(frequency::weekly);
    row.sub.platform = text(3);
    row.sub.created_at = text(4);
    row.subscriber.id = row.sub.member_id;
    row.subscriber.partner_id = text(5);
    row.subscriber.name = text(6);
    row.subscriber.email = text(7);
    row.subscriber.role = parse_role(text(8)).value_or(role::bookkeeper);
    row.details.id = row.sub.client_id;
    row.details.partner_id = row.subscriber.partner_id;
    row.details.name = text(9);
    row.sub.client_name = row.details.name;
    row.details.status = parse_client_status(text(10)).value_or(client_status::active);
    row.details.wallet_balance.minor = q.int64(11);
    row.details.wallet_balance.currency = text(12);
    row.details.missing_receipts = static_cast<int>(q.int64(13));
    row.details.ready_for_export = static_cast<int>(q.int64(14));
    row.details.synced_at = text(15);
    row.visible = q.int64(16) != 0;
    if (q.is_null(18)) {
      row.identity.reset();
    } else {
      row.identity = chat_identity{row.sub.platform, text(17), text(18), row.sub.member_id};
    }
    visit(row);
  }
}

firm_outstanding digest_feed::outstanding(std::string_view partner_id, int limit) {
  firm_outstanding out;
  {
    sql::query q(db_, sql_outstanding_totals);
    if (q.bind_all(partner_id).step()) q.read_into(out.clients, out.missing_receipts, out.ready_for_export);
  }
  sql::query q(db_, sql_outstanding_top);
  out.top = q.bind_all(partner_id, limit).rows(sql::read_client);
  return out;
}

std::vector<failed_delivery> digest_feed::failed_deliveries(std::string_view partner_id,
                                                            std::int64_t since_ms, int limit) {
  std::vector<failed_delivery> out;
  sql::query q(db_, db_.engine_kind() == engine::kind::postgres ? sql_failed_postgres : sql_failed);
  q.bind(1, since_ms);
  q.bind(2, partner_id);
  q.bind(3, limit);
  while (q.step())
    out.push_back({q.text(0), q.text(1), q.text(2), q.int64(3)});
  return out;
}

} // namespace store
