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
    q.bind_all(submission_key, r.partner_id, r.client_id, r.sender_member_id, r.sender_name, r.created_at,
               join_tasks(r.tasks), r.comment);
    if (!q.step()) return std::nullopt;
    id = q.int64(0);
  }
  for (const auto& rc : r.recipients)
    sql::run(db_, sql_insert_recipient, id, rc.member_id, rc.name, rc.outcome);
  tx.commit();
  return id;
}

void reminders::set_outcome(std::int64_t reminder_id, std::string_view member_id, std::string_view outcome) {
  sql::run(db_, sql_set_outcome, reminder_id, member_id, outcome);
}

std::vector<reminder_recipient> reminders::recipients_of(std::int64_t reminder_id) {
  sql::query q(db_, sql_recipients);
  return q.bind_all(reminder_id).rows([](sql::query& r) {
    return reminder_recipient{r.text(0), r.text(1), r.text(2)};
  });
}

std::vector<reminder> reminders::latest_for_client(std::string_view client_id, int limit) {
  std::vector<reminder> out;
  {
    sql::query q(db_, sql_latest);
    out = q.bind_all(client_id, limit).rows([](sql::query& row) {
      reminder r;
      std::string tasks;
      row.read_into(r.id, r.partner_id, r.client_id, r.sender_member_id, r.sender_name, r.created_at, tasks,
                    r.comment);
      r.tasks = split_tasks(tasks);
      return r;
    });
  }
  if (out.empty()) return out;
  sql::query q(db_, sql_latest_recipients);
  q.bind_all(client_id, limit);
  while (q.step()) {
    const auto id = q.int64(0);
    for (auto& r : out)
      if (r.id == id) r.recipients.push_back({q.text(1), q.text(2), q.text(3)});
  }
  return out;
}

} // namespace store
