#pragma once
// The audit trail of "Notify the bookkeepers" reminders.

#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct reminder_recipient {
  std::string member_id;
  std::string name;
  std::string outcome; // "queued", "sent", "unreachable: no chat identity", "failed: ..."
};

struct reminder {
  std::int64_t id = 0;
  std::string partner_id;
  std::string client_id;
  std::string sender_member_id;
  std::string sender_name;
  std::string created_at;         // ISO 8601 UTC
  std::vector<std::string> tasks; // "missing_receipts", "wallet_balance", "ready_for_export"
  std::string comment;
  std::vector<reminder_recipient> recipients;
};

class reminders {
public:
  explicit reminders(database& db) : db_(db) {}

  // Records it; nullopt when `submission_key` was already recorded (a double submit).
  std::optional<std::int64_t> record(const reminder& r, std::string_view submission_key);
  void set_outcome(std::int64_t reminder_id, std::string_view member_id, std::string_view outcome);
  // One reminder's recipients with their outcomes so far, by name.
  std::vector<reminder_recipient> recipients_of(std::int64_t reminder_id);
  std::vector<reminder> latest_for_client(std::string_view client_id, int limit);

private:
  database& db_;
};

} // namespace store
