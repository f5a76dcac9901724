#pragma once
// Digest subscriptions: per (member, client) and per (channel, partner).

#include "store/database.hpp"
#include "store/types.hpp"

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace store {

class subscriptions {
public:
  explicit subscriptions(database& db) : db_(db) {}

  // Insert or change frequency (a change keeps created_at only if the frequency is unchanged).
  void set(const subscription& s);
  void remove(std::string_view member_id, std::string_view client_id);
  std::optional<subscription> get(std::string_view member_id, std::string_view client_id);
  std::vector<subscription> of_member(std::string_view member_id);

  void set_channel(const channel_subscription& s);
  bool remove_channel(std::string_view platform, std::string_view workspace_id, std::string_view channel_id);
  std::vector<channel_subscription> channels_of(std::string_view partner_id);

  // Every member subscription of every partner, ordered by member id, streamed.
  void for_each(const std::function<void(const subscription&)>& visit);
  std::vector<channel_subscription> all_channels();

private:
  database& db_;
};

// Which (subscriber, slot) pairs were already enqueued: the exactly-once record.
class digest_slots {
public:
  explicit digest_slots(database& db) : db_(db) {}
  // True when newly claimed; false when that subscriber's slot was already claimed.
  bool claim(std::string_view subscriber_key, std::string_view slot_iso);

private:
  database& db_;
};

} // namespace store
