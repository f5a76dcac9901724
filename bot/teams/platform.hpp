#pragma once
// Teams' part in answering a chat request (see bot/chat/requests.hpp): its
// name as data, a user's profile from the Bot Connector's member API (the
// e-mail of a member of the activity's own tenant, never of a guest or an
// outsider; the locale comes with each activity), and a card as the body of
// an answer. Use from the io_context's thread; render_answer from any thread.

#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/teams/connector.hpp"

#include <boost/json/object.hpp>

namespace bot::teams {

class platform final : public chat_platform {
public:
  platform(connector& api, store_thread& store) : api_(api), store_(store) {}

  std::string_view name() const override;
  // The member's profile in the conversation the request came from, found
  // through the user's stored conversation reference (bot/teams/references.hpp).
  boost::asio::awaitable<chat_profile> profile(const handlers::chat_user& user) override;
  std::string render_answer(const handlers::view& message) const override;

private:
  connector& api_;
  store_thread& store_;
};

// A view as the message activity Teams shows: one Adaptive Card.
boost::json::object message_activity(const handlers::view& v);

// The member API's answer -> the profile (e-mail, else the user principal
// name when it is an address), for a member of `tenant_id` only: a guest or
// a member of another tenant gets a profile without e-mail, so they are
// never linked by it (an admin links them with `link @user EMAIL`).
chat_profile profile_of(const boost::json::object& member, std::string_view tenant_id);

} // namespace bot::teams
