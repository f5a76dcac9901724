#pragma once
// Who is asking, for a Slack request: the workspace's partner and, when the
// Slack user is linked (or can be linked by the e-mail on their Slack
// profile, looked up once through users.info), the member.
// Single-threaded: use from the io_context's thread only.

#include "bot/slack/web_api.hpp"
#include "handlers/request.hpp"
#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

namespace bot::slack {

class identity_resolver {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;

  identity_resolver(store::database& db, web_api& api, clock_fn clock);

  // nullopt: the workspace is connected to no partner (say so, do nothing).
  // A caller without a member is not linked (the handlers explain how).
  boost::asio::awaitable<std::optional<handlers::caller>>
  resolve(std::string team_id, std::string user_id, std::string conversation_id);

  // How long users.info may take: the request it serves must be answered
  // within Slack's 3 seconds.
  static constexpr std::chrono::milliseconds lookup_timeout{1500};
  // A profile looked up is remembered this long (also when it had no match),
  // so an unlinked user does not cost a users.info call per request.
  static constexpr std::chrono::minutes profile_ttl{10};

private:
  struct profile {
    std::string email;
    std::chrono::system_clock::time_point fetched;
  };
  boost::asio::awaitable<std::string> profile_email(const std::string& team_id, const std::string& user_id);

  store::database& db_;
  web_api& api_;
  clock_fn clock_;
  std::unordered_map<std::string, profile> profiles_;
};

} // namespace bot::slack
