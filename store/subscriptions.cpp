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
  s.member_id = q.text(0);
  s.client_id = q.text(1);
  s.client_name = q.text(2);
  s.frequency = parse_frequency(q.text(3)).value_or(frequency::weekly);
  s.platform = q.text(4);
  s.created_at = q.text(5);
  return s;
}

channel_subscription read_channel(sql::query& q) {
  channel_subscription s;
  s.partner_id = q.text(0);
  s.platform = q.text(1);
  s.workspace_id = q.text(2);
  s.channel_id = q.text(3);
  s.frequency = parse_frequency(q.text(4)).value_or(frequency::weekly);
  s.created_by = q.text(5);
  s.created_at = q.text(6);
  return s;
}

} // namespace

void subscriptions::set(const subscription& s) {
  sql::query q(db_, sql_set);
  q.bind(1, s.member_id).bind(2, s.client_id).bind(3, to_string(s.frequency)).bind(4, s.platform);
  q.bind(5, s.created_at);
  q.exec();
}

void subscriptions::remove(std::string_view member_id, std::string_view client_id) {
  sql::query q(db_, sql_remove);
  q.bind(1, member_id).bind(2, client_id);
  q.exec();
}

std::optional<subscription> subscriptions::get(std::string_view member_id, std::string_view client_id) {
  sql::query q(db_, sql_get);
  q.bind(1, member_id).bind(2, client_id);
  if (!q.step()) return std::nullopt;
  return read_subscription(q);
}

std::vector<subscription> subscriptions::of_member(std::string_view member_id) {
  sql::query q(db_, sql_of_member);
  q.bind(1, member_id);
  std::vector<subscription> out;
  while (q.step())
    out.push_back(read_subscription(q));
  return out;
}

void subscriptions::set_channel(const channel_subscription& s) {
  sql::query q(db_, sql_set_channel);
  q.bind(1, s.partner_id).bind(2, s.platform).bind(3, s.workspace_id).bind(4, s.channel_id);
  q.bind(5, to_string(s.frequency)).bind(6, s.created_by).bind(7, s.created_at);
  q.exec();
}

bool subscriptions::remove_channel(std::string_view platform, std::string_view workspace_id,
                                   std::string_view channel_id) {
  sql::query q(db_, sql_remove_channel);
  q.bind(1, platform).bind(2, workspace_id).bind(3, channel_id);
  return q.exec() > 0;
}

std::vector<channel_subscription> subscriptions::channels_of(std::string_view partner_id) {
  sql::query q(db_, sql_channels_of);
  q.bind(1, partner_id);
  std::vector<channel_subscription> out;
  while (q.step())
    out.push_back(read_channel(q));
  return out;
}

void subscriptions::for_each(const std::function<void(const subscription&)>& visit) {
  // Its own statement, not the cache: the visitor may call back into the store.
  auto stmt = db_.connection().fresh(sql_for_each);
  while (stmt->step()) {
    subscription s;
    s.member_id = stmt->text(0);
    s.client_id = stmt->text(1);
    s.client_name = stmt->text(2);
    s.frequency = parse_frequency(stmt->text(3)).value_or(frequency::weekly);
    s.platform = stmt->text(4);
    s.created_at = stmt->text(5);
    visit(s);
  }
}

std::vector<channel_subscription> subscriptions::all_channels() {
  sql::query q(db_, sql_all_channels);
  std::vector<channel_subscription> out;
  while (q.step())
    out.push_back(read_channel(q));
  return out;
}

bool digest_slots::claim(std::string_view subscriber_key, std::string_view slot_iso) {
  sql::query q(db_, sql_claim_slot);
  q.bind(1, subscriber_key).bind(2, slot_iso);
  return q.exec() == 1;
}

} // namespace store
