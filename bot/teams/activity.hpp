#pragma once
// A Bot Framework activity (its token already verified: bot/teams/jwt.hpp) as a plain
// struct: what kind it is, where it came from and where answers go, who sent
// it, and what they typed or pressed. The bot's own @mention is removed from
// the text using the activity's `entities`, never by guessing at the markup.
// Nothing throws: a malformed or oversized body gives an error saying what
// is wrong (the route answers 400). Pure; safe from any thread.

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::teams {

enum class activity_kind {
  message,             // text typed to the bot, or an Action.Submit (with `value`)
  card_action,         // invoke "adaptiveCard/action": an Action.Execute press
  conversation_update, // members added or removed, the bot installed in a team
  installation_update, // the app installed or removed (action "add" / "remove")
  other,               // typing, messageReaction, other invokes, ...: acknowledged, nothing else
                       // (only type, name, serviceUrl and channelId are read)
};

struct account {
  std::string id;            // Teams user id "29:..." or bot id "28:<app id>"
  std::string aad_object_id; // the user's Entra object id (absent for bots)
  std::string name;
};

struct conversation_ref {
  std::string id;   // "a:..." (personal), "19:...@thread.tacv2[;messageid=N]" (channel)
  std::string type; // "personal", "channel", "groupChat"
  bool is_group = false;

  // The conversation without a thread suffix: where a new channel post goes.
  std::string without_thread() const;
};

// "19:...@thread.tacv2;messageid=N" -> "19:...@thread.tacv2"; other ids unchanged.
std::string without_thread(std::string_view conversation_id);

// Another user @mentioned in the text. Their markup ("<at>Bo Berg</at>")
// becomes the grammar's neutral mention of their Entra object id
// (handlers::mention_token), or of their Teams id when the entity does not
// carry the Entra id: the route swaps that for the Entra id it looks up.
struct mention {
  std::string user_id;       // "29:..."
  std::string aad_object_id; // when Teams sent it
};

struct activity {
  activity_kind kind = activity_kind::other;
  std::string type; // as sent: "message", "invoke", ...
  std::string name; // invokes: "adaptiveCard/action", ...
  std::string id;
  std::string service_url;
  std::string channel_id; // "msteams"
  std::string tenant_id;  // channelData.tenant.id, else conversation.tenantId
  std::string team_id;    // channelData.team.id (channel conversations)
  conversation_ref conversation;
  account from;
  account recipient; // the bot
  std::string locale;
  std::string text;          // the bot's @mention removed, others neutral, entities decoded, trimmed
  bool mentions_bot = false; // the text mentioned the bot
  std::vector<mention> mentions;
  std::string reply_to_id; // Action.Submit: the message the card is on
  // Action.Submit: the activity's `value` (card data merged with the inputs);
  // Action.Execute: `value.action.data`. Null when there is none.
  boost::json::value value;
  std::string verb;   // Action.Execute's verb
  std::string action; // installationUpdate: "add", "remove", "add-upgrade", ...
  std::vector<account> members_added;
  std::vector<account> members_removed;
};

boost::system::result<activity, std::string> parse_activity(std::string_view body);

} // namespace bot::teams
