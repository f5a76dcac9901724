#include "store/digest_feed.hpp"

namespace store {
namespace {

std::string text(SQLite::Statement& q, int column) {
  const auto c = q.getColumn(column);
  return c.isNull() ? std::string{} : c.getString();
}

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

} // namespace

void digest_feed::for_each(const std::function<void(const digest_feed_row&)>& visit) {
  // Not the statement cache: a visitor may run a pass of its own.
  SQLite::Statement q(db_.sql(), sql_feed);
  digest_feed_row row;
  while (q.executeStep()) {
    row.sub.member_id = text(q, 0);
    row.sub.client_id = text(q, 1);
    row.sub.frequency = parse_frequency(text(q, 2)).value_or(frequency::weekly);
    row.sub.platform = text(q, 3);
    row.sub.created_at = text(q, 4);
    row.subscriber.id = row.sub.member_id;
    row.subscriber.partner_id = text(q, 5);
    row.subscriber.name = text(q, 6);
    row.subscriber.email = text(q, 7);
    row.subscriber.role = parse_role(text(q, 8)).value_or(role::bookkeeper);
    row.details.id = row.sub.client_id;
    row.details.partner_id = row.subscriber.partner_id;
    row.details.name = text(q, 9);
    row.sub.client_name = row.details.name;
    row.details.status = parse_client_status(text(q, 10)).value_or(client_status::active);
    row.details.wallet_balance.minor = q.getColumn(11).getInt64();
    row.details.wallet_balance.currency = text(q, 12);
    row.details.missing_receipts = q.getColumn(13).getInt();
    row.details.ready_for_export = q.getColumn(14).getInt();
    row.details.synced_at = text(q, 15);
    row.visible = q.getColumn(16).getInt() != 0;
    if (q.getColumn(18).isNull()) {
      row.identity.reset();
    } else {
      row.identity = chat_identity{row.sub.platform, text(q, 17), text(q, 18), row.sub.member_id};
    }
    visit(row);
  }
}

firm_outstanding digest_feed::outstanding(std::string_view partner_id, int limit) {
  firm_outstanding out;
  {
    auto& q = db_.cached(sql_outstanding_totals);
    q.bind(1, std::string{partner_id});
    if (q.executeStep()) {
      out.clients = q.getColumn(0).getInt();
      out.missing_receipts = q.getColumn(1).getInt64();
      out.ready_for_export = q.getColumn(2).getInt64();
    }
    q.reset();
  }
  auto& q = db_.cached(sql_outstanding_top);
  q.bind(1, std::string{partner_id});
  q.bind(2, limit);
  while (q.executeStep()) {
    client c;
    c.id = text(q, 0);
    c.partner_id = text(q, 1);
    c.name = text(q, 2);
    c.status = parse_client_status(text(q, 3)).value_or(client_status::active);
    c.wallet_balance.minor = q.getColumn(4).getInt64();
    c.wallet_balance.currency = text(q, 5);
    c.missing_receipts = q.getColumn(6).getInt();
    c.ready_for_export = q.getColumn(7).getInt();
    c.synced_at = text(q, 8);
    out.top.push_back(std::move(c));
  }
  q.reset();
  return out;
}

std::vector<failed_delivery> digest_feed::failed_deliveries(std::string_view partner_id,
                                                            std::int64_t since_ms, int limit) {
  std::vector<failed_delivery> out;
  auto& q = db_.cached(sql_failed);
  q.bind(1, since_ms);
  q.bind(2, std::string{partner_id});
  q.bind(3, limit);
  while (q.executeStep())
    out.push_back({text(q, 0), text(q, 1), text(q, 2), q.getColumn(3).getInt64()});
  q.reset();
  return out;
}

} // namespace store
