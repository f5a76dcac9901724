#pragma once
// Install from Slack, the browser half (Bolt's InstallProvider and state
// store): GET /slack/install sends the browser to Slack's authorize page
// with a fresh state, single-use and valid ten minutes, bound to the
// browser by a cookie; GET /slack/oauth_redirect checks state and cookie,
// exchanges the code at oauth.v2.access, stores the installation (tokens
// sealed) and binds the workspace to its firm: the firm whose workspace it
// already is, or the one firm the installer (by their verified Slack
// e-mail) is an admin of. Anything wrong gets a small HTML page with a 4xx
// status and stores nothing.
//
// Also what the Events API's app_uninstalled and tokens_revoked do: forget
// the workspace's tokens and end its pending outbox rows ("uninstalled").
// Single-threaded: the handlers run on the io_context's thread.

#include "bot/chat/config.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/net/background.hpp"
#include "bot/net/message.hpp"
#include "bot/slack/oauth.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace bot::slack {

struct install_services {
  const bot::config& cfg;
  store_thread& store;
  web_api& api;
  installation_tokens& tokens;
  std::function<std::chrono::system_clock::time_point()> clock = [] {
    return std::chrono::system_clock::now();
  };
};

inline constexpr std::string_view state_cookie = "slack-app-oauth-state";
inline constexpr std::chrono::minutes state_lifetime{10};

class installer {
public:
  explicit installer(install_services s);

  boost::asio::awaitable<http::response> start(const http::request& req);
  boost::asio::awaitable<http::response> finish(const http::request& req);

  // app_uninstalled / tokens_revoked for the workspace (or, with
  // `whole_organisation`, the organisation's install).
  boost::asio::awaitable<void> uninstalled(std::string enterprise_id, std::string team_id,
                                           bool whole_organisation);

  // A team's organisation, as a request told it: remembered in memory and,
  // the first time, in the store (for outbox rows after a restart, and an
  // organisation's uninstall).
  void learn(const std::string& team_id, const std::string& enterprise_id, bot::background& later);

  installation_tokens& tokens() { return svc_.tokens; }

private:
  install_services svc_;
};

// The routes GET /slack/install and GET /slack/oauth_redirect.
struct install_route {
  boost::beast::http::verb method;
  std::string path;
  http::route_handler handler;
};
std::vector<install_route> make_install_routes(std::shared_ptr<installer> i);

} // namespace bot::slack
