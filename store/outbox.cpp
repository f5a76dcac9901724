#include "store/outbox.hpp"

#include "store/db_figures.hpp"
#include "store/sql_util.hpp"

#include <atomic>
#include <limits>

namespace store {
namespace {

// A held row is pending with no next attempt: the largest time, which no
// deliverer's clock reaches, so no query needs to know about holding.
constexpr std::int64_t held_ms = std::numeric_limits<std::int64_t>::max();

constexpr const char* sql_enqueue =
    "INSERT INTO outbox(idempotency_key, platform, workspace_id, recipient_kind, recipient, "
    "member_id, "
    "payload, origin, next_attempt_ms, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) "
    "ON CONFLICT DO NOTHING";

#define STORE_OUTBOX_COLUMNS                                                                                 \
  "id, idempotency_key, platform, workspace_id, recipient_kind, recipient, member_id, payload, origin, "     \
  "attempts, "                                                                                               \
  "next_attempt_ms, status, last_error"

constexpr const char* sql_due =
    "SELECT " STORE_OUTBOX_COLUMNS " FROM outbox "
    "WHERE status = 'pending' AND next_attempt_ms <= ?1 ORDER BY next_attempt_ms, id "
    "LIMIT ?2";
// Fair order: every conversation's first due row before any second one, and
// among the first rows each workspace's oldest before any workspace's
// second, so that a read of any size holds every workspace's next message.
constexpr const char* sql_due_heads =
    "WITH due AS (SELECT id, platform, workspace_id, next_attempt_ms, "
    "  row_number() OVER (PARTITION BY platform, workspace_id, recipient ORDER BY next_attempt_ms, id) "
    "    AS in_conversation "
    "  FROM outbox WHERE status = 'pending' AND next_attempt_ms <= ?1), "
    "turns AS (SELECT id, in_conversation, next_attempt_ms, "
    "  row_number() OVER (PARTITION BY platform, workspace_id, in_conversation "
    "    ORDER BY next_attempt_ms, id) AS in_workspace FROM due) "
    "SELECT o.id, o.idempotency_key, o.platform, o.workspace_id, o.recipient_kind, o.recipient, o.member_id, "
    "'', o.origin, o.attempts, o.next_attempt_ms, o.status, o.last_error "
    "FROM turns JOIN outbox o ON o.id = turns.id "
    "ORDER BY turns.in_conversation, turns.in_workspace, turns.next_attempt_ms, turns.id LIMIT ?2";
constexpr const char* sql_by_id = "SELECT " STORE_OUTBOX_COLUMNS " FROM outbox WHERE id = ?1";
constexpr const char* sql_next_due_after = "SELECT min(next_attempt_ms) FROM outbox "
                                           "WHERE status = 'pending' AND next_attempt_ms > ?1 AND "
                                           "next_attempt_ms < ?2";
constexpr const char* sql_claim = "UPDATE outbox SET next_attempt_ms = ?3 "
                                  "WHERE id = ?1 AND status = 'pending' AND next_attempt_ms <= ?2";
constexpr const char* sql_next_due =
    "SELECT min(next_attempt_ms) FROM outbox WHERE status = 'pending' AND next_attempt_ms < ?1";
constexpr const char* sql_enqueue_held =
    "INSERT INTO outbox(idempotency_key, platform, workspace_id, recipient_kind, recipient, "
    "member_id, payload, origin, next_attempt_ms, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, "
    "?9) ON CONFLICT DO NOTHING";
constexpr const char* sql_release =
    "UPDATE outbox SET payload = ?2, next_attempt_ms = ?3 "
    "WHERE idempotency_key = ?1 AND status = 'pending' AND next_attempt_ms = ?4";
constexpr const char* sql_mark_sent =
    "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_ms = ?2, last_error = '' "
    "WHERE id = ?1 AND status = 'pending'";
constexpr const char* sql_mark_retry =
    "UPDATE outbox SET attempts = attempts + 1, retries = retries + 1, next_attempt_ms = ?2, last_error = ?3 "
    "WHERE id = ?1 AND status = 'pending'";
constexpr const char* sql_mark_failed = "UPDATE outbox SET status = 'failed', attempts = attempts + 1, "
                                        "last_error = ?2 WHERE id = ?1 AND status = 'pending'";
constexpr const char* sql_by_key = "SELECT " STORE_OUTBOX_COLUMNS " FROM outbox WHERE idempotency_key = ?1";
constexpr const char* sql_by_origin =
    "SELECT " STORE_OUTBOX_COLUMNS " FROM outbox WHERE origin = ?1 ORDER BY id";
// Each count from the (status, next_attempt_ms) index; the retry total is a plain sum.
constexpr const char* sql_counts = "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending'), "
                                   "(SELECT count(*) FROM outbox WHERE status = 'sent'), "
                                   "(SELECT count(*) FROM outbox WHERE status = 'failed'), "
                                   "(SELECT coalesce(sum(retries), 0) FROM outbox)";

std::atomic<std::uint64_t> claims_won{0};
std::atomic<std::uint64_t> claims_lost{0};

outbox_row read_row(sql::query& q) {
  outbox_row r;
  auto& m = r.message;
  q.read_into(r.id, m.idempotency_key, m.platform, m.workspace_id, m.recipient_kind, m.recipient, m.member_id,
              m.payload, m.origin, r.attempts, r.next_attempt_ms, r.status, r.last_error);
  r.held = r.status == "pending" && r.next_attempt_ms == held_ms;
  return r;
}

} // namespace

std::optional<address_pair> address_pair::parse(std::string_view recipient) {
  const auto bar = recipient.rfind('|');
  if (bar == std::string_view::npos || bar == 0 || bar + 1 == recipient.size()) return std::nullopt;
  return address_pair{std::string(recipient.substr(0, bar)), std::string(recipient.substr(bar + 1))};
}

outbox_claim_totals outbox_claims() {
  return {claims_won.load(), claims_lost.load()};
}

bool outbox::enqueue(const outbound_message& m, std::int64_t now_ms) {
  return sql::run(db_, sql_enqueue, m.idempotency_key, m.platform, m.workspace_id, m.recipient_kind,
                  m.recipient, m.member_id, m.payload, m.origin, now_ms) == 1;
}

bool outbox::enqueue_held(const outbound_message& m, std::int64_t now_ms) {
  return sql::run(db_, sql_enqueue_held, m.idempotency_key, m.platform, m.workspace_id, m.recipient_kind,
                  m.recipient, m.member_id, m.payload, m.origin, now_ms, held_ms) == 1;
}

bool outbox::release(std::string_view idempotency_key, std::string_view payload, std::int64_t now_ms) {
  return sql::run(db_, sql_release, idempotency_key, payload, now_ms, held_ms) == 1;
}

std::vector<outbox_row> outbox::due(std::int64_t now_ms, int limit) {
  sql::query q(db_, sql_due);
  return q.bind_all(now_ms, limit).rows(read_row);
}

std::vector<outbox_row> outbox::due_heads(std::int64_t now_ms, int limit) {
  sql::query q(db_, sql_due_heads);
  return q.bind_all(now_ms, limit).rows(read_row);
}

std::vector<outbox_row> outbox::claim_rows(const std::vector<std::int64_t>& ids, std::int64_t now_ms,
                                           std::int64_t lease_ms) {
  std::vector<outbox_row> rows;
  for (const auto id : claim(ids, now_ms, lease_ms)) {
    sql::query q(db_, sql_by_id);
    if (auto row = q.bind_all(id).first(read_row)) rows.push_back(std::move(*row));
  }
  return rows;
}

std::vector<std::int64_t> outbox::claim(const std::vector<std::int64_t>& ids, std::int64_t now_ms,
                                        std::int64_t lease_ms) {
  std::vector<std::int64_t> claimed;
  const auto claim_each = [&] {
    for (const auto id : ids) {
      if (sql::run(db_, sql_claim, id, now_ms, now_ms + lease_ms) == 1) claimed.push_back(id);
    }
  };
  if (db_.engine_kind() == engine::kind::postgres && !db_.in_transaction()) {
    // Each conditional update is atomic on its own: a row another instance
    // claimed meanwhile no longer matches. One transaction over several rows
    // would only add lock waits (and deadlocks between instances).
    claim_each();
  } else {
    // SQLite: one write lock for the batch instead of one per row.
    transaction tx(db_);
    claim_each();
    tx.commit();
  }
  claims_won += claimed.size();
  claims_lost += ids.size() - claimed.size();
  return claimed;
}

std::optional<std::int64_t> outbox::next_due_ms() {
  sql::query q(db_, sql_next_due);
  q.bind(1, held_ms);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

std::optional<std::int64_t> outbox::next_due_after(std::int64_t now_ms) {
  sql::query q(db_, sql_next_due_after);
  q.bind_all(now_ms, held_ms);
  if (!q.step() || q.is_null(0)) return std::nullopt;
  return q.int64(0);
}

void outbox::mark_sent(std::int64_t id, std::int64_t now_ms) {
  sql::run(db_, sql_mark_sent, id, now_ms);
}

void outbox::mark_retry(std::int64_t id, std::int64_t next_attempt_ms, std::string_view error) {
  sql::run(db_, sql_mark_retry, id, next_attempt_ms, error);
}

void outbox::mark_failed(std::int64_t id, std::string_view error) {
  sql::run(db_, sql_mark_failed, id, error);
}

std::optional<outbox_row> outbox::by_key(std::string_view idempotency_key) {
  sql::query q(db_, sql_by_key);
  return q.bind_all(idempotency_key).first(read_row);
}

std::vector<outbox_row> outbox::by_origin(std::string_view origin) {
  sql::query q(db_, sql_by_origin);
  return q.bind_all(origin).rows(read_row);
}

outbox_counts outbox::counts() {
  sql::query q(db_, sql_counts);
  outbox_counts c;
  if (q.step()) q.read_into(c.pending, c.sent, c.failed, c.retried);
  return c;
}

} // namespace store
