#include "store/subscriptions.hpp"

#include "store/sql_util.hpp"

namespace store {
namespace {

// A changed frequency restarts the schedule (created_at); the same one keeps it.
constexpr const char* sql_set =
    "INSERT INTO subscriptions(member_id, client_id, frequency, platform, created_at) VALUES (?1, ?2, ?3, "
    "?4, ?5) "
    "ON CONFLICT(member_id, client_id) DO UPDATE SET "
    "created_at = CASE WHEN subscriptions.frequency = excluded.frequency THEN subscriptions.created_at "
    "ELSE excluded.created_at END, "
    "frequency = excluded.frequency, platform = excluded.platform";
constexpr const char* sql_remove = "DELETE FROM subscriptions WHERE member_id = ?1 AND client_id = ?2";
constexpr const char* sql_get =
    "SELECT s.member_id, s.client_id, c.name, s.frequency, s.platform, s.created_at "
    "FROM subscriptions s JOIN clients c ON c.id = s.client_id WHERE s.member_id = ?1 AND s.client_id = ?2";
constexpr const char* sql_of_member =
    "SELECT s.member_id, s.client_id, c.name, s.frequency, s.platform, s.created_at "
    "FROM subscriptions s JOIN clients c ON c.id = s.client_id WHERE s.member_id = ?1 ORDER BY c.sort_key, "
    "c.pk";
constexpr const char* sql_for_each =
    "SELECT s.member_id, s.client_id, c.name, s.frequency, s.platform, s.created_at "
    "FROM subscriptions s JOIN clients c ON c.id = s.client_id ORDER BY s.member_id, c.sort_key, c.pk";

constexpr const char* sql_set_channel =
    "INSERT INTO channel_subscriptions(partner_id, platform, workspace_id, channel_id, frequency, "
    "created_by, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(platform, workspace_id, channel_id) DO UPDATE SET "
    "created_at = CASE WHEN channel_subscriptions.frequency = excluded.frequency "
    "  AND channel_subscriptions.partner_id = excluded.partner_id "
    "  THEN channel_subscriptions.created_at ELSE excluded.created_at END, "
    "partner_id = excluded.partner_id, frequency = excluded.frequency, created_by = excluded.created_by";
constexpr const char* sql_remove_channel =
    "DELETE FROM channel_subscriptions WHERE platform = ?1 AND workspace_id = ?2 AND channel_id = ?3";
constexpr const char* sql_channels_of =
    "SELECT partner_id, platform, workspace_id, channel_id, frequency, created_by, created_at "
    "FROM channel_subscriptions WHERE partner_id = ?1 ORDER BY platform, workspace_id, channel_id";
constexpr const char* sql_all_channels =
    "SELECT partner_id, platform, workspace_id, channel_id, frequency, created_by, created_at "
    "FROM channel_subscriptions ORDER BY partner_id, platform, workspace_id, channel_id";

constexpr const char* sql_claim_slot =
    "INSERT INTO digest_slots(subscriber_key, slot) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

subscription read_subscription(sql::query& q) {
  subscription s;
  std::string freq;
  q.read_into(s.member_id, s.client_id, s.client_name, freq, s.platform, s.created_at);
  s.frequency = parse_frequency(freq).value_or(frequency::weekly);
  return s;
}

channel_subscription read_channel(sql::query& q) {
  channel_subscription s;
  std::string freq;
  q.read_into(s.partner_id, s.platform, s.workspace_id, s.channel_id, freq, s.created_by, s.created_at);
  s.frequency = parse_frequency(freq).value_or(frequency::weekly);
  return s;
}

} // namespace

void subscriptions::set(const subscription& s) {
  sql::run(db_, sql_set, s.member_id, s.client_id, to_string(s.frequency), s.platform, s.created_at);
}

void subscriptions::remove(std::string_view member_id, std::string_view client_id) {
  sql::run(db_, sql_remove, member_id, client_id);
}

std::optional<subscription> subscriptions::get(std::string_view member_id, std::string_view client_id) {
  sql::query q(db_, sql_get);
  return q.bind_all(member_id, client_id).first(read_subscription);
}

std::vector<subscription> subscriptions::of_member(std::string_view member_id) {
  sql::query q(db_, sql_of_member);
  return q.bind_all(member_id).rows(read_subscription);
}

void subscriptions::set_channel(const channel_subscription& s) {
  sql::run(db_, sql_set_channel, s.partner_id, s.platform, s.workspace_id, s.channel_id,
           to_string(s.frequency), s.created_by, s.created_at);
}

bool subscriptions::remove_channel(std::string_view platform, std::string_view workspace_id,
                                   std::string_view channel_id) {
  return sql::run(db_, sql_remove_channel, platform, workspace_id, channel_id) > 0;
}

std::vector<channel_subscription> subscriptions::channels_of(std::string_view partner_id) {
  sql::query q(db_, sql_channels_of);
  return q.bind_all(partner_id).rows(read_channel);
}

void subscriptions::for_each(const std::function<void(const subscription&)>& visit) {
  // Its own statement, not the cache: the visitor may call back into the store.
  auto stmt = db_.connection().fresh(sql_for_each);
  while (stmt->step()) {
    subscription s{stmt->text(0),     stmt->text(1), stmt->text(2),
                   frequency::weekly, stmt->text(4), stmt->text(5)};
    s.frequency = parse_frequency(stmt->text(3)).value_or(frequency::weekly);
    visit(s);
  }
}

std::vector<channel_subscription> subscriptions::all_channels() {
  sql::query q(db_, sql_all_channels);
  return q.rows(read_channel);
}

bool digest_slots::claim(std::string_view subscriber_key, std::string_view slot_iso) {
  return sql::run(db_, sql_claim_slot, subscriber_key, slot_iso) == 1;
}

} // namespace store
