#pragma once
// Outbox rows to Slack: a DM opens the conversation with the member's Slack
// user id (conversations.open) and posts there; a channel row posts to the
// channel; a private row ("channel|user") posts an ephemeral message, or a
// DM when the channel cannot show it (the bot is not in it, or it is gone);
// a reply or replace row posts to the request's response_url.
// Slack's answers become retry (transport, 5xx, 429 with its Retry-After,
// Slack's transient errors) or permanent (channel_not_found, user_not_found,
// account_inactive, not_in_channel, is_archived, invalid_auth, ...).
// Single-threaded: use from the io_context's thread only.

#include "bot/chat/delivery.hpp"
#include "bot/slack/web_api.hpp"

namespace bot::slack {

class delivery : public bot::delivery {
public:
  explicit delivery(web_api& api) : api_(api) {}

  boost::asio::awaitable<delivery_result> deliver(const store::outbound_message& m) override;
  std::string pacing_key(const store::outbound_message& m) const override;

private:
  // conversations.open with the user, then chat.postMessage there.
  boost::asio::awaitable<delivery_result> direct_message(workspace_ref workspace, std::string user_id,
                                                         boost::json::object body);

  web_api& api_;
};

// How the outbox treats one Slack answer (exposed for tests).
delivery_result classify(const api_result& r);

} // namespace bot::slack
