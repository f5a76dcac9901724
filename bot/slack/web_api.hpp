#pragma once
// Slack Web API calls: JSON body, bot token as Bearer, ok:false surfaced.
// Single-threaded: use from the io_context's thread only. The token is
// never logged.

#include "bot/http_client.hpp"

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

class web_api {
public:
  web_api(http_client& client, std::string base_url, std::string token);
  // method: "chat.postMessage", ... Read methods that Slack does not accept
  // JSON for (users.info, ...) are sent form-encoded.
  boost::asio::awaitable<api_result> call(std::string method, boost::json::object args,
                                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // POST to a response_url (no token).
  boost::asio::awaitable<api_result> post_to_response_url(std::string url, boost::json::object body);

  bool has_token() const { return !token_.empty(); }

private:
  http_client& client_;
  std::string base_url_;
  std::string token_;
};

// Classifies an HTTP exchange with Slack (shared by call and response_url).
api_result interpret_response(const outbound_response& res);

} // namespace bot::slack
