#pragma once
// The Slack endpoints: POST /slack/commands, /slack/interactions and
// /slack/events. Each verifies the signature before anything else (401
// otherwise), answers within Slack's 3 seconds and leaves calls to Slack
// (views.open, response_url posts, notices) to follow-up work.
// Single-threaded: the handlers run on the io_context's thread.

#include "bot/background.hpp"
#include "bot/http/message.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/context.hpp"
#include "store/database.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace bot::slack {

// What the Slack routes need; references must outlive the routes.
struct services {
  store::database& db;
  handlers::settings settings;
  web_api& api;
  bot::background& background;
  std::string signing_secret; // empty: every /slack/* request gets 503
  std::function<std::chrono::system_clock::time_point()> clock = [] { return std::chrono::system_clock::now(); };
  std::function<void()> outbox_wakeup = [] {};
};

struct route {
  boost::beast::http::verb method;
  std::string path;
  http::route_handler handler;
};

std::vector<route> make_routes(services s);

// What an unknown workspace is told (and nothing else happens).
inline constexpr const char* not_connected_text =
    "This Slack workspace is not connected to partnerbot, so there is nothing to show here. An administrator "
    "connects it by importing the firm's snapshot with this workspace's team id.";

} // namespace bot::slack
