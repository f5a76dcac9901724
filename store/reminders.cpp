#include "store/reminders.hpp"

#include "store/sql_util.hpp"

namespace store {
namespace {

constexpr const char* sql_insert =
    "INSERT INTO reminders(submission_key, partner_id, client_id, sender_member_id, sender_name, "
    "created_at, tasks, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING RETURNING id";
constexpr const char* sql_insert_recipient =
    "INSERT INTO reminder_recipients(reminder_id, member_id, name, outcome) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(reminder_id, member_id) DO UPDATE SET name = excluded.name, outcome = excluded.outcome";
constexpr const char* sql_set_outcome =
    "UPDATE reminder_recipients SET outcome = ?3 WHERE reminder_id = ?1 AND member_id = ?2";
constexpr const char* sql_latest =
    "SELECT id, partner_id, client_id, sender_member_id, sender_name, created_at, tasks, comment "
    "FROM reminders WHERE client_id = ?1 ORDER BY id DESC LIMIT ?2";
// Every recipient of the same latest reminders in one query (no query per reminder).
constexpr const char* sql_latest_recipients =
    "SELECT reminder_id, member_id, name, outcome FROM reminder_recipients WHERE reminder_id IN "
    "(SELECT id FROM reminders WHERE client_id = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY reminder_id, name, "
    "member_id";
constexpr const char* sql_recipients = "SELECT member_id, name, outcome FROM reminder_recipients WHERE "
                                       "reminder_id = ?1 ORDER BY name, member_id";

std::string join_tasks(const std::vector<std::string>& tasks) {
  std::string out;
  for (const auto& t : tasks) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> split_tasks(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

} // namespace

std::optional<std::int64_t> reminders::record(const reminder& r, std::string_view submission_key) {
  transaction tx(db_);
  std::int64_t id = 0;
  {
    // A second submission with the same key (another instance's too) inserts nothing.
    sql::query q(db_, sql_insert);
    q.bind(1, submission_key).bind(2, r.partner_id).bind(3, r.client_id).bind(4, r.sender_member_id);
    q.bind(5, r.sender_name).bind(6, r.created_at).bind(7, join_tasks(r.tasks)).bind(8, r.comment);
    if (!q.step()) return std::nullopt;
    id = q.int64(0);
  }
  for (const auto& rc : r.recipients) {
    sql::query q(db_, sql_insert_recipient);
    q.bind(1, id).bind(2, rc.member_id).bind(3, rc.name).bind(4, rc.outcome);
    q.exec();
  }
  tx.commit();
  return id;
}

void reminders::set_outcome(std::int64_t reminder_id, std::string_view member_id, std::string_view outcome) {
  sql::query q(db_, sql_set_outcome);
  q.bind(1, reminder_id).bind(2, member_id).bind(3, outcome);
  q.exec();
}

std::vector<reminder_recipient> reminders::recipients_of(std::int64_t reminder_id) {
  sql::query q(db_, sql_recipients);
  q.bind(1, reminder_id);
  std::vector<reminder_recipient> out;
  while (q.step())
    out.push_back({q.text(0), q.text(1), q.text(2)});
  return out;
}

std::vector<reminder> reminders::latest_for_client(std::string_view client_id, int limit) {
  std::vector<reminder> out;
  {
    sql::query q(db_, sql_latest);
    q.bind(1, client_id).bind(2, limit);
    while (q.step()) {
      reminder r;
      r.id = q.int64(0);
      r.partner_id = q.text(1);
      r.client_id = q.text(2);
      r.sender_member_id = q.text(3);
      r.sender_name = q.text(4);
      r.created_at = q.text(5);
      r.tasks = split_tasks(q.text(6));
      r.comment = q.text(7);
      out.push_back(std::move(r));
    }
  }
  if (out.empty()) return out;
  sql::query q(db_, sql_latest_recipients);
  q.bind(1, client_id).bind(2, limit);
  while (q.step()) {
    const auto id = q.int64(0);
    for (auto& r : out)
      if (r.id == id) r.recipients.push_back({q.text(1), q.text(2), q.text(3)});
  }
  return out;
}

} // namespace store
