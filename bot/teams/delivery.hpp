#pragma once
// Outbox rows to Teams, through the Bot Connector (bot/teams/connector.hpp)
// at the serviceUrl of a stored conversation reference
// (bot/teams/references.hpp):
//   "user"      recipient: the user's aadObjectId. Creates (or finds: the
//               call is idempotent) the 1:1 conversation, then posts there
//               with a notification in the activity feed.
//   "channel"   recipient: a conversation id. Posts to it (a channel gets a
//               new post).
//   "ephemeral" recipient: "conversation|aadObjectId", an answer for one
//               user. Posted in a personal chat; from a channel or group
//               chat it goes to the user's 1:1 chat instead, since Teams
//               cannot show a message to one member of a channel.
//   "update"    recipient: "conversation|activityId". Replaces that message.
// The payload is a neutral view rendered by the given renderer into a
// message activity. Answers become sent, retry (transport, 401, 412, 429
// with its Retry-After, 5xx) or permanent (403: blocked or not installed,
// 404: no such conversation, other 4xx); a missing conversation reference
// is permanent ("unreachable: ...").
// Single-threaded: use from the io_context's thread only.

#include "bot/outbox_worker.hpp"
#include "bot/teams/connector.hpp"
#include "handlers/view.hpp"
#include "store/database.hpp"

#include <boost/json/object.hpp>
#include <functional>

namespace bot::teams {

class delivery : public bot::delivery {
public:
  // A view as a message activity (bot/teams/cards.hpp: card_activity(render_card(v), v.summary)).
  using renderer = std::function<boost::json::object(const handlers::view&)>;

  delivery(connector& api, store::database& db, renderer render)
      : api_(api), db_(db), render_(std::move(render)) {}

  boost::asio::awaitable<delivery_result> deliver(const store::outbound_message& m) override;
  std::string pacing_key(const store::outbound_message& m) const override;

private:
  boost::asio::awaitable<delivery_result> direct_message(std::string tenant_id, std::string aad_object_id,
                                                         boost::json::object activity);

  connector& api_;
  store::database& db_;
  renderer render_;
};

// How the outbox treats one Connector answer (exposed for tests).
delivery_result classify(const connector_result& r);

} // namespace bot::teams
