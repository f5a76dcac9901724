#include "bot/slack/delivery.hpp"

#include "bot/slack/render.hpp"
#include "handlers/view_json.hpp"

#include <array>

namespace bot::slack {

namespace json = boost::json;

namespace {

// Slack errors worth another try; every other error code is permanent.
constexpr std::array<std::string_view, 6> transient_errors = {
    "internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited", "rate_limited"};

bool is_transient(std::string_view error) {
  for (auto e : transient_errors)
    if (error == e) return true;
  return false;
}

bool cannot_show_in_channel(std::string_view error) {
  return error == "channel_not_found" || error == "not_in_channel" || error == "user_not_in_channel" ||
         error == "is_archived";
}

} // namespace

delivery_result classify(const api_result& r) {
  if (r.ok) return delivery_result::sent();
  // Kept for a restart with a token or an install (attempts stay bounded).
  if (r.error == no_token_error)
    return delivery_result::retry("no Slack token for the workspace: install the app or set SLACK_BOT_TOKEN",
                                  std::chrono::minutes(5));
  if (r.retry_after_seconds)
    return delivery_result::retry(r.error, std::chrono::seconds(*r.retry_after_seconds));
  if (r.retryable || is_transient(r.error))
    return delivery_result::retry(r.error.empty() ? "unknown error" : r.error);
  return delivery_result::permanent(r.error.empty() ? "unknown error" : r.error);
}

std::string delivery::pacing_key(const store::outbound_message& m) const {
  // An ephemeral message is paced with the channel it appears in.
  std::string target = m.recipient;
  if (m.recipient_kind == store::recipient_kinds::in_channel_private)
    if (auto pair = store::address_pair::parse(target)) target = pair->first;
  return "slack:" + m.workspace_id + ":" + target;
}

boost::asio::awaitable<delivery_result> delivery::direct_message(workspace_ref workspace, std::string user_id,
                                                                 json::object body) {
  // Named first: GCC 12 miscompiles braced string literals inside co_await.
  json::object open_args;
  open_args["users"] = std::move(user_id);
  auto opened = co_await api_.call(workspace, "conversations.open", std::move(open_args));
  if (!opened.ok) co_return classify(opened);
  const auto* channel = opened.body.if_contains("channel");
  const auto* id = channel && channel->is_object() ? channel->as_object().if_contains("id") : nullptr;
  if (!id || !id->is_string()) co_return delivery_result::retry("conversations.open: no channel id");
  body["channel"] = id->get_string();
  co_return classify(co_await api_.call(std::move(workspace), "chat.postMessage", std::move(body)));
}

boost::asio::awaitable<delivery_result> delivery::deliver(const store::outbound_message& m) {
  if (m.recipient.empty()) co_return delivery_result::permanent("unreachable: no slack identity linked");
  // Not configured yet: keep the row for a restart with a token (attempts stay bounded).
  if (!api_.has_token())
    co_return delivery_result::retry("SLACK_BOT_TOKEN is not set", std::chrono::minutes(5));
  // Built member by member: GCC 12 mis-destroys brace-initialised temporaries in coroutines.
  workspace_ref workspace;
  workspace.team_id = m.workspace_id;
  json::object body = render_message(handlers::view_from_json(m.payload));

  namespace kinds = store::recipient_kinds;
  if (m.recipient_kind == kinds::reply || m.recipient_kind == kinds::replace) {
    // The request's response_url: the answer replaces the message the
    // control was on, or appears beside it for the asker only.
    if (m.recipient_kind == kinds::replace) {
      body["replace_original"] = true;
    } else {
      body["response_type"] = "ephemeral";
      body["replace_original"] = false;
    }
    co_return classify(co_await api_.post_to_response_url(m.recipient, std::move(body)));
  }
  if (m.recipient_kind == kinds::user)
    co_return co_await direct_message(workspace, m.recipient, std::move(body));
  if (m.recipient_kind == kinds::channel) {
    body["channel"] = m.recipient;
    co_return classify(co_await api_.call(workspace, "chat.postMessage", std::move(body)));
  }
  if (m.recipient_kind == kinds::in_channel_private) {
    const auto pair = store::address_pair::parse(m.recipient);
    if (!pair) co_return delivery_result::permanent("bad private recipient");
    const auto user = pair->second;
    json::object ephemeral = body;
    ephemeral["channel"] = pair->first;
    ephemeral["user"] = user;
    auto posted = co_await api_.call(workspace, "chat.postEphemeral", std::move(ephemeral));
    // The channel cannot show it (the bot is not in it, or it is gone): the user gets it by DM.
    if (!posted.ok && cannot_show_in_channel(posted.error))
      co_return co_await direct_message(workspace, user, std::move(body));
    co_return classify(posted);
  }
  co_return delivery_result::permanent("unknown recipient kind " + m.recipient_kind);
}

} // namespace bot::slack
