#pragma once
// Slack Web API calls: JSON body, bot token as Bearer, ok:false surfaced.

#include "bot/http_client.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace bot::slack {

struct api_result {
  bool ok = false;
  std::string error;            // Slack's error code, or "transport: ...", "http 500"
  int http_status = 0;
  std::optional<int> retry_after_seconds; // on 429
  bool retryable = false;       // transport errors, 5xx, 429
  boost::json::object body;
};

class web_api {
public:
  web_api(http_client& client, std::string base_url, std::string token);
  // method: "chat.postMessage", ...
  boost::asio::awaitable<api_result> call(std::string method, boost::json::object args);
  // POST to a response_url (no token).
  boost::asio::awaitable<api_result> post_to_response_url(std::string url, boost::json::object body);

private:
  http_client& client_;
  std::string base_url_;
  std::string token_;
};

} // namespace bot::slack
