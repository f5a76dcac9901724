#pragma once
// Authenticated calls to Pleo's External API for one client's credential,
// through the project's HTTP client (TLS verified): an API key goes as
// HTTP Basic (key as user name, empty password); an OAuth refresh token is
// exchanged for an access token at the token endpoint, again when it
// expires or Pleo answers 401. Every request waits for the shared budget;
// 429 and 5xx are retried per the retry policy; each request has its own
// timeout. Error texts never contain a secret.
// Single-threaded: use from the io_context's thread only.

#include "bot/net/http_client.hpp"
#include "pleo/figures.hpp"
#include "pleo/traffic.hpp"
#include "store/credentials.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace pleo {

struct api_settings {
  std::string api_url = "https://external.pleo.io"; // without a trailing slash
  std::string token_url;                            // empty: derived from api_url (see token_url_for)
  std::string oauth_client_id;                      // OAuth client authentication at the token endpoint
  std::string oauth_client_secret;
  std::chrono::milliseconds request_timeout{30000};
  retry_policy retries;
};

// Pleo's token endpoint beside its API: https://external.pleo.io ->
// https://auth.pleo.io/oauth/token (staging likewise); any other base URL
// (a fake on loopback) serves it itself at /oauth/token.
std::string token_url_for(std::string_view api_url);

// One client's credential while it is in use; the secret is wiped after.
struct client_auth {
  std::string client_id;
  store::credential_kind kind = store::credential_kind::api_key;
  std::string secret;       // the API key, or the current refresh token
  std::string access_token; // OAuth: empty until fetched
  steady::time_point access_expires{};
  bool secret_rotated = false; // the token endpoint issued a new refresh token: store it

  client_auth() = default;
  client_auth(const client_auth&) = delete;
  client_auth& operator=(const client_auth&) = delete;
  ~client_auth();
};

class api_client {
public:
  api_client(bot::http_client& http, const api_settings& settings, credential_budgets& budgets);

  // `what` names the resource in errors ("the company"). The body of a 200.
  boost::asio::awaitable<result<std::string>> call(client_auth& auth, stop_signal& stop,
                                                   std::string_view what, std::string method,
                                                   std::string target, std::string body = {});
  std::uint64_t requests() const { return requests_; }

private:
  // One request for `auth`'s credential, within its budget, retried as the policy says.
  boost::asio::awaitable<result<bot::outbound_response>> exchange(const client_auth& auth, stop_signal& stop,
                                                                  std::string_view what,
                                                                  const bot::outbound_request& request);
  boost::asio::awaitable<result<void>> refresh(client_auth& auth, stop_signal& stop);

  bot::http_client& http_;
  const api_settings& settings_;
  std::string token_url_;
  credential_budgets& budgets_;
  std::mt19937_64 jitter_{std::random_device{}()};
  std::atomic<std::uint64_t> requests_{0}; // read from another thread for /metrics
};

} // namespace pleo
