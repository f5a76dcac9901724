#pragma once
// Slack's part in answering a chat request (see bot/chat/requests.hpp): its
// name as data, a user's profile from users.info (e-mail and locale), and
// the body of an immediate answer to a slash command (an ephemeral message).
// Use from the io_context's thread; render_answer from any thread.

#include "bot/chat/requests.hpp"
#include "bot/slack/web_api.hpp"

#include <boost/json/object.hpp>
#include <chrono>

namespace bot::slack {

class platform final : public chat_platform {
public:
  explicit platform(web_api& api) : api_(api) {}

  std::string_view name() const override;
  boost::asio::awaitable<chat_profile> profile(const handlers::chat_user& user) override;
  std::string render_answer(const handlers::view& message) const override;
  // Slack sends no locale with a request: users.info tells it.
  bool asks_for_locales() const override { return api_.has_token(); }

  // users.info may take this long; a request that cannot wait is answered
  // "on its way" by its deadline meanwhile.
  static constexpr std::chrono::seconds lookup_timeout{8};

private:
  web_api& api_;
};

// An ephemeral message body: only the person who asked sees it.
boost::json::object ephemeral(const handlers::view& v);

// users.info's answer -> the profile; deactivated users and bots have none.
chat_profile profile_of(const boost::json::object& users_info);

} // namespace bot::slack
