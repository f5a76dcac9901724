#pragma once
// Conversation references: what a proactive message to a Teams user or
// channel needs (the serviceUrl, tenant, the user's Teams id or the
// conversation id, and the bot's id), kept in the store as chat addresses
// (store/chat_addresses.hpp). They are written when a user talks to the
// bot, when the app is installed, and when members join a conversation the
// bot is in; the delivery reads them back.
// Users are keyed by their Entra object id (aadObjectId, what identities
// link to members), channels by their conversation id without a thread.
// Use from the thread that owns the database connection.

#include "bot/teams/activity.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bot::teams {

inline constexpr std::string_view user_target = "user";
inline constexpr std::string_view channel_target = "channel";
// The tenant: the serviceUrl and bot id seen last in it, for creating a 1:1
// chat with a member known only by their aadObjectId.
inline constexpr std::string_view tenant_target = "workspace";

struct conversation_reference {
  std::string service_url;
  std::string tenant_id;
  std::string bot_id;
  std::string user_id;           // users: the Teams user id ("29:...")
  std::string aad_object_id;     // users; a personal chat: the user whose chat it is
  std::string conversation_id;   // channels and other conversations
  std::string conversation_type; // "personal", "channel", "groupChat"

  std::string to_json() const;
  static std::optional<conversation_reference> from_json(std::string_view text);
};

// Stores the references an activity reveals: its sender, the members it
// says were added (not the bot), the conversation itself, and the tenant's
// serviceUrl. Writes only what changed. Returns how many were written.
int remember_references(store::database& db, const activity& a, std::int64_t now_ms);
// A user's reference, once the app knows how to reach them: from a team's
// roster (user_id set) or a 1:1 chat it created by aadObjectId
// (conversation_id set). Needs service_url, tenant_id and aad_object_id.
bool remember_user(store::database& db, const conversation_reference& ref, std::int64_t now_ms);
// The tenant's serviceUrl and the bot's id there, from any activity seen in it.
std::optional<conversation_reference> tenant_reference(store::database& db, std::string_view tenant_id);
// Whether this activity added the app to a team (so the team's roster should be read).
bool added_to_team(const activity& a);

std::optional<conversation_reference> user_reference(store::database& db, std::string_view tenant_id,
                                                     std::string_view aad_object_id);
// A thread's conversation id finds its channel's reference.
std::optional<conversation_reference>
conversation_reference_of(store::database& db, std::string_view tenant_id, std::string_view conversation_id);

} // namespace bot::teams
