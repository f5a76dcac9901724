#pragma once
// The Bot Framework endpoint, POST /api/messages. Every activity's bearer
// token is verified first, from the Authorization header alone
// (bot/teams/jwt.hpp; 401 and nothing else when it fails: the body is not
// even parsed). Then the activity is parsed (400 when malformed) and must
// match its token: the `serviceurl` claim is its serviceUrl (else 401). Only
// Teams speaks for a Teams user: an activity from any other channel
// (webchat, directline, ...) gets 403, and so does one whose serviceUrl is
// not the Bot Connector's (bot/teams/trusted_url.hpp), before anything is
// looked up, stored or sent. Then the conversation references it reveals
// are stored, and messages and card actions become neutral chat requests
// for the request service:
//   - typed text (the bot's @mention removed) and Action.Submit presses are
//     acknowledged at once; the answer follows as a message through the
//     outbox: in a personal chat a reply there, or the card a control was on
//     updated in place; from a channel or group chat to the user's 1:1 chat,
//     since answers about clients are for the asker only;
//   - an Action.Execute press (an adaptiveCard/action invoke) is answered in
//     the invoke response with the updated card;
//   - a form (the reminder) is a card of its own, sent through the outbox;
//   - the app installed for a user (installationUpdate "add", or the bot
//     added to their personal chat): a welcome with their home, once;
//   - the app added to a team (conversationUpdate or installationUpdate):
//     the team's roster is read in the background and each member's
//     reference stored, so that they can be sent DMs at once.
// Without MicrosoftAppId every request gets 503. /metrics counts the bodies
// parsed and the activities refused, by reason.
// Single-threaded: the handlers run on the io_context's thread.

#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/net/background.hpp"
#include "bot/net/message.hpp"
#include "bot/net/metrics.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/openid_keys.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bot::teams {

// What the Teams route needs; references must outlive the routes.
struct services {
  chat_requests& requests;
  store_thread& store;
  connector& api;
  openid_keys& keys;
  bot::background& background;
  std::function<void()> outbox_wakeup;
  std::string app_id;            // MicrosoftAppId, the tokens' audience; empty: 503
  bot::metrics* stats = nullptr; // where the route's counters are shown, when given
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  // Teams waits 15 seconds for the acknowledgement of an activity; the
  // answer to a message goes as a message of its own anyway.
  std::chrono::milliseconds deadline{5000};
  // An Action.Execute press waits for its card in the invoke response.
  std::chrono::milliseconds invoke_deadline{4000};
};

struct route {
  boost::beast::http::verb method;
  std::string path;
  http::route_handler handler;
};

std::vector<route> make_routes(services s);

} // namespace bot::teams
