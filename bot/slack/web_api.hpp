#pragma once
// Slack Web API calls: JSON body, bot token as Bearer, ok:false surfaced.
// A call for a workspace takes that workspace's token from the token source
// (its installation, or SLACK_BOT_TOKEN for a workspace without one) and,
// when Slack says the token expired, asks the source for a fresh one once.
// Single-threaded: use from the io_context's thread only. Tokens are
// never logged.

#include "bot/net/http_client.hpp"

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace bot::slack {

struct api_result {
  bool ok = false;
  std::string error; // Slack's error code, or "transport: ...", "http 500"
  int http_status = 0;
  std::optional<int> retry_after_seconds; // on 429
  bool retryable = false;                 // transport errors, 5xx, 429
  boost::json::object body;
};

// Which Slack workspace a call is for (Enterprise Grid: its organisation too).
struct workspace_ref {
  std::string enterprise_id; // empty: unknown or none
  std::string team_id;
};

// Where a workspace's bot token comes from (see bot/slack/oauth.hpp).
class token_source {
public:
  struct lookup {
    std::string token;        // empty: none
    bool uninstalled = false; // the workspace removed the app: call nothing
  };
  virtual ~token_source() = default;
  virtual boost::asio::awaitable<lookup> token_for(const workspace_ref& w) = 0;
  // Slack refused `refused` (token_expired, invalid_auth): a newer token, or empty.
  virtual boost::asio::awaitable<std::string> refresh(const workspace_ref& w, std::string refused) = 0;
};

// api_result errors a call gets without asking Slack.
inline constexpr std::string_view no_token_error = "no_token";       // nothing to call with
inline constexpr std::string_view uninstalled_error = "uninstalled"; // the workspace removed the app

class web_api {
public:
  web_api(http_client& client, std::string base_url, std::string token);
  // Per-workspace tokens from now on (must outlive this); without one,
  // every call uses the token given at construction.
  void use_tokens(token_source& tokens) { tokens_ = &tokens; }
  // method: "chat.postMessage", ... Read methods that Slack does not accept
  // JSON for (users.info, ...) are sent form-encoded.
  boost::asio::awaitable<api_result> call(workspace_ref workspace, std::string method,
                                          boost::json::object args,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // With the token given at construction (single-workspace mode).
  boost::asio::awaitable<api_result> call(std::string method, boost::json::object args,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // With this token (empty: no Authorization header, as oauth.v2.access
  // takes the client's credentials in its arguments).
  boost::asio::awaitable<api_result>
  call_with_token(std::string token, std::string method, boost::json::object args,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // POST to a response_url (no token).
  boost::asio::awaitable<api_result> post_to_response_url(std::string url, boost::json::object body);

  bool has_token() const { return !token_.empty() || tokens_ != nullptr; }

private:
  http_client& client_;
  token_source* tokens_ = nullptr;
  std::string base_url_;
  std::string token_;
};

// Classifies an HTTP exchange with Slack (shared by call and response_url).
api_result interpret_response(const outbound_response& res);

} // namespace bot::slack
