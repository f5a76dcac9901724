#pragma once
// The Bot Connector REST API at a conversation's serviceUrl: send to a
// conversation, reply to an activity, update an activity in place, create a
// 1:1 conversation, read a member's profile. Every call carries a bearer
// token from the client-credentials flow (BOTFRAMEWORK_TOKEN_URL with the
// app id and password; a single-tenant app asks its own tenant), fetched
// once and reused until five minutes before it expires; concurrent calls
// share one token request. A 401 from the Connector drops the cached token.
// The password goes only to https URLs or http on loopback, the bearer
// token only to the Bot Connector's own hosts or the configured
// BOTFRAMEWORK_* origin when that is on loopback (bot/teams/trusted_url.hpp);
// neither is ever logged. A call to any other serviceUrl is not made: it
// fails for good (not_allowed), and the URL's origin is logged.
// Single-threaded: use from the io_context's thread only.

#include "bot/chat/config.hpp"
#include "bot/net/http_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::teams {

struct connector_settings {
  std::string app_id;       // MicrosoftAppId
  std::string app_password; // MicrosoftAppPassword
  std::string tenant_id;    // MicrosoftAppTenantId (single-tenant apps)
  std::string app_type;     // MicrosoftAppType: "MultiTenant" (or empty), "SingleTenant", "UserAssignedMSI"
  std::string token_url;    // BOTFRAMEWORK_TOKEN_URL
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  // BOTFRAMEWORK_OPENID_METADATA: its origin, on loopback, is a local Connector too.
  std::string openid_metadata_url{};
};

// The Microsoft* and BOTFRAMEWORK_TOKEN_URL settings.
connector_settings connector_settings_of(const bot::config& cfg);

// The token endpoint an app of this type asks: a single-tenant app's own
// tenant takes the place of "botframework.com" in the URL.
std::string effective_token_url(const connector_settings& s);

struct connector_result {
  bool ok = false;
  bool token_failed = false; // no call was made: the token could not be had
  bool transport_ok = false; // an HTTP answer came back (from the token endpoint or the Connector)
  bool not_allowed = false;  // no call was made: the serviceUrl is not the Connector's
  int http_status = 0;
  std::string error; // short and secret-free: "http 403 MessageWritesBlocked", "transport: ..."
  std::string code;  // the Connector's error.code, when it sent one
  std::optional<std::chrono::seconds> retry_after;
  boost::json::object body; // the JSON answer (ResourceResponse {id}, ConversationResourceResponse, ...)
};

class connector {
public:
  connector(boost::asio::io_context& io, http_client& client, connector_settings settings);

  // Empty when outbound calls can be made; otherwise why not (for logs and outbox errors).
  const std::string& configuration_error() const { return configuration_error_; }
  // Whether calls to this serviceUrl may carry the token (see above).
  bool may_call(std::string_view service_url) const;

  // POST {serviceUrl}/v3/conversations/{conversation}/activities
  boost::asio::awaitable<connector_result> send(std::string service_url, std::string conversation_id,
                                                boost::json::object activity);
  // POST .../activities/{replyToId}: a reply in the activity's thread.
  boost::asio::awaitable<connector_result> reply(std::string service_url, std::string conversation_id,
                                                 std::string reply_to_id, boost::json::object activity);
  // PUT .../activities/{activityId}: replaces the message in place.
  boost::asio::awaitable<connector_result> update(std::string service_url, std::string conversation_id,
                                                  std::string activity_id, boost::json::object activity);
  // POST {serviceUrl}/v3/conversations: a 1:1 conversation with the user (the
  // same id every time for the same user); the answer's body holds its `id`.
  // `user_id` is their Teams id ("29:...") or their aadObjectId: Teams takes
  // either, for a user who has the app (else 403).
  boost::asio::awaitable<connector_result> create_conversation(std::string service_url, std::string tenant_id,
                                                               std::string bot_id, std::string user_id);
  // GET .../members/{userId}: the member's profile (email, userPrincipalName, ...).
  boost::asio::awaitable<connector_result> member(std::string service_url, std::string conversation_id,
                                                  std::string user_id);

  // GET .../{conversation}/pagedmembers: one page of a team's (or chat's)
  // roster; the body holds `members` and, when more follow, `continuationToken`.
  boost::asio::awaitable<connector_result> members_page(std::string service_url, std::string conversation_id,
                                                        std::string continuation_token);

  // Token requests made so far (the cache's effect, for tests and metrics).
  int token_requests() const { return token_requests_; }

private:
  using steady = std::chrono::steady_clock;
  boost::asio::awaitable<connector_result> call(std::string method, std::string url,
                                                std::optional<boost::json::object> body);
  // The cached token, or a new one; nullopt with `failure` filled in.
  boost::asio::awaitable<std::optional<std::string>> token(connector_result& failure);
  boost::asio::awaitable<void> fetch_token(connector_result& failure);

  http_client& client_;
  connector_settings settings_;
  std::string token_url_;
  std::vector<std::string> local_origins_; // configured BOTFRAMEWORK_* origins on loopback
  std::string configuration_error_;
  std::string token_; // never logged
  steady::time_point token_refresh_at_{};
  bool fetching_ = false;
  connector_result last_token_failure_;
  boost::asio::steady_timer fetch_done_;
  int token_requests_ = 0;
};

} // namespace bot::teams
