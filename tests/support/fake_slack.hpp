#pragma once
// A fake Slack Web API on 127.0.0.1 (its own thread) that records every
// call and answers from scripts or sensible defaults. Also serves
// response_url endpoints under /response/.

#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

struct recorded_call {
  std::string path;                           // "/api/chat.postMessage" or "/response/abc"
  std::string method;                         // "chat.postMessage" (or "response" for response urls)
  std::string authorization;                  // the Authorization header as received
  boost::json::object body;                   // JSON body (form bodies parsed into strings)
  int status = 200;                           // the HTTP status it was answered with
  std::chrono::steady_clock::time_point at{}; // when it arrived
};

struct scripted_reply {
  int status = 200;
  std::string body = R"({"ok":true})";
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds delay{0}; // answer this much later (a slow Slack)
};

// A workspace the fake lets install: oauth.v2.access with `code` answers
// with this bot token (once; a code is single-use). With a refresh token and
// expiry, token rotation is on: oauth.v2.access with grant_type
// refresh_token answers a new pair ("<bot_token>-r1", "-r2" ...).
struct fake_install {
  std::string code{};
  std::string team_id{};
  std::string team_name{};
  std::string enterprise_id{}; // with enterprise_install: the organisation's install
  bool enterprise_install = false;
  std::string installer{}; // authed_user.id
  std::string bot_token{};
  std::string refresh_token{};
  int expires_in = 0;
  std::string app_id = "A0PARTNER";
};

inline constexpr const char* fake_client_id = "1111.2222";
inline constexpr const char* fake_client_secret = "fake-client-secret";

class fake_slack {
public:
  fake_slack();
  ~fake_slack();
  fake_slack(const fake_slack&) = delete;
  fake_slack& operator=(const fake_slack&) = delete;

  std::string base_url() const;                          // "http://127.0.0.1:PORT/api/"
  std::string response_url(const std::string& id) const; // "http://127.0.0.1:PORT/response/<id>"

  // users.info answers with this e-mail for the user.
  // users.info answers with this e-mail (and locale, when given) for the user.
  void add_user(const std::string& user_id, const std::string& email, const std::string& locale = {});
  // The next calls of `method` get these replies in order, then defaults.
  void script(const std::string& method, scripted_reply reply);
  // Calls of `method` are recorded on arrival and answered `delay` later,
  // like a slow Slack (a caller cut off meanwhile has still been heard).
  void slow_down(const std::string& method, std::chrono::milliseconds delay);

  // From now on, a chat.postMessage into a channel (of one token) sooner
  // than `interval` after the last one accepted there is refused as Slack
  // refuses it: 429, `{"ok":false,"error":"ratelimited"}` and Retry-After in
  // whole seconds, rounded up. Refused calls are recorded too.
  void limit_posts_per_channel(std::chrono::milliseconds interval);
  std::size_t posts_refused() const; // 429s answered so far

  // oauth.v2.access accepts this install's code (client id and secret: the fake_* ones).
  void add_install(const fake_install& install);
  // Calls with this token are refused with `error` ("token_expired", "invalid_auth").
  void refuse_token(const std::string& token, const std::string& error);
  // Bot tokens handed out by refreshes so far.
  std::vector<std::string> rotated_tokens() const;

  std::vector<recorded_call> calls() const;
  std::vector<recorded_call> calls_to(const std::string& method) const;
  // Waits until at least n calls of `method` were recorded.
  bool wait_for(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const;
  // TCP connections accepted so far (shows keep-alive reuse).
  std::size_t connections_accepted() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace test_support
