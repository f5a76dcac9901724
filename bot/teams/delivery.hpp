#pragma once
// Outbox rows to Teams, through the Bot Connector (bot/teams/connector.hpp)
// at the serviceUrl of a stored conversation reference
// (bot/teams/references.hpp). Recipient kinds (store/outbox.hpp):
//   user     the user's aadObjectId. Creates (or finds: the call is
//            idempotent) the 1:1 conversation, then posts there with an
//            activity-feed notification. A user the bot never met is named
//            by aadObjectId at the tenant's last seen serviceUrl, and the
//            chat made is remembered for the next message.
//   channel  a conversation id. Posts to it (a channel gets a new post).
//   private  "conversation|aadObjectId", for that user's eyes only: posted
//            in the conversation only when it is that very user's personal
//            chat (its stored reference names them); any other conversation
//            (a channel, a group chat, someone else's chat) gives a DM, since
//            Teams cannot show a message to one member of a channel.
//   reply    a reply address (reply_address below): posts in its conversation.
//   replace  a reply address: replaces its activity (the card a control was on).
// The payload is a neutral view, rendered by the given renderer into a
// message activity, or a form (handlers::form_to_json), sent as its card.
// Answers become sent, retry (transport, 401, 412, 429 with its
// Retry-After, 5xx) or permanent (other 4xx; no reference or serviceUrl to
// send with; a serviceUrl the token may not go to). Only a 403 (the app is
// not installed for the user, or they blocked it) is "unreachable: ...",
// which the reminder's confirmation reports as "has not got the app".
// Single-threaded: use from the io_context's thread only; references are
// read on the store thread.

#include "bot/chat/delivery.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/references.hpp"
#include "handlers/view.hpp"

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bot::teams {

// Where an answer to an activity goes: its conversation and the activity
// (the message a card control was on, for replace).
std::string reply_address(std::string_view conversation_id, std::string_view activity_id);
struct reply_target {
  std::string conversation_id;
  std::string activity_id;
};
std::optional<reply_target> parse_reply_address(std::string_view address);

class delivery : public bot::delivery {
public:
  // A view as a message activity (bot/teams/cards.hpp: card_activity(render_card(v), v.summary)).
  using renderer = std::function<boost::json::object(const handlers::view&)>;

  delivery(connector& api, store_thread& store, renderer render)
      : api_(api), store_(store), render_(std::move(render)) {}

  boost::asio::awaitable<delivery_result> deliver(const store::outbound_message& m) override;
  std::string pacing_key(const store::outbound_message& m) const override;

private:
  boost::asio::awaitable<delivery_result> direct_message(std::string tenant_id, std::string aad_object_id,
                                                         boost::json::object activity);
  // A conversation's serviceUrl and type, when the app has been there.
  boost::asio::awaitable<std::optional<conversation_reference>> conversation(std::string tenant_id,
                                                                             std::string conversation_id);

  connector& api_;
  store_thread& store_;
  renderer render_;
};

// How the outbox treats one Connector answer (exposed for tests).
delivery_result classify(const connector_result& r);

} // namespace bot::teams
