#pragma once
// The Slack endpoints: POST /slack/commands, /slack/interactions and
// /slack/events. Each verifies the signature before anything else (401
// otherwise), parses Slack's payload into a neutral chat request, hands it
// to the request service with Slack's deadline, and renders what comes
// back; modals open after the answer (their trigger is short-lived).
// Single-threaded: the handlers run on the io_context's thread.

#include "bot/chat/homes.hpp"
#include "bot/chat/requests.hpp"
#include "bot/net/background.hpp"
#include "bot/net/message.hpp"
#include "bot/slack/install.hpp"
#include "bot/slack/web_api.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bot::slack {

// What the Slack routes need; references must outlive the routes.
struct services {
  chat_requests& requests;
  web_api& api;
  bot::background& background;
  std::string signing_secret; // empty: every /slack/* request gets 503
  // Install from Slack (null: single-workspace mode): the install pages,
  // and the workspaces' own tokens, forgotten on app_uninstalled.
  std::shared_ptr<installer> install;
  // Keeps opened Home tabs up to date (null: they are published when opened only).
  home_registry* homes = nullptr; // opened homes kept up to date; may be null
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
  // Slack wants its answer within 3 seconds; this leaves room for the network.
  std::chrono::milliseconds deadline{2500};
};

struct route {
  boost::beast::http::verb method;
  std::string path;
  http::route_handler handler;
};

std::vector<route> make_routes(services s);

} // namespace bot::slack
