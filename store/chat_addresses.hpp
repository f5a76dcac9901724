#pragma once
// Where a chat platform can reach someone or somewhere without being asked
// first: an opaque address (for example the service endpoint, tenant and ids
// a proactive message needs) that the platform adapter writes when a user
// talks to the bot or the app is installed, and reads back when it delivers
// a DM or a channel post. The store does not look inside the address.

#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace store {

struct chat_address {
  std::string platform;
  std::string workspace_id;
  // What `target` names: "user" or "channel" (as in outbox rows), or
  // "workspace": the workspace itself (target: its id), for what a platform
  // needs to start a conversation there with someone it has no address for.
  std::string kind;
  std::string target;  // the user, channel or workspace id
  std::string address; // the adapter's own serialization
  std::int64_t updated_ms = 0;
};

class chat_addresses {
public:
  explicit chat_addresses(database& db) : db_(db) {}

  // Stores or replaces the address; writes nothing when it is unchanged (this
  // runs on every inbound message). True when something was written.
  bool remember(const chat_address& a);
  std::optional<chat_address> find(std::string_view platform, std::string_view workspace_id,
                                   std::string_view kind, std::string_view target);

private:
  database& db_;
};

} // namespace store
