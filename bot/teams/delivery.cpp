#include "bot/teams/delivery.hpp"

#include "bot/teams/references.hpp"
#include "handlers/view_json.hpp"

namespace bot::teams {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Not configured yet, or the credentials were refused: keep the row for a
// restart with a working configuration (attempts stay bounded).
constexpr auto configuration_delay = std::chrono::minutes(5);

struct pair_recipient {
  std::string first;
  std::string second;
};

std::optional<pair_recipient> split(const std::string& recipient) {
  const auto bar = recipient.rfind('|');
  if (bar == std::string::npos || bar == 0 || bar + 1 == recipient.size()) return std::nullopt;
  return pair_recipient{recipient.substr(0, bar), recipient.substr(bar + 1)};
}

std::string id_of(const json::object& body) {
  const auto* id = body.if_contains("id");
  return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

} // namespace

delivery_result classify(const connector_result& r) {
  if (r.ok) return delivery_result::sent();
  if (r.token_failed) {
    if (r.transport_ok && r.http_status >= 400 && r.http_status < 500 && r.http_status != 429)
      return delivery_result::retry(r.error, configuration_delay);
    return delivery_result::retry(r.error, r.retry_after);
  }
  if (!r.transport_ok) return delivery_result::retry(r.error);
  switch (r.http_status) {
  case 429:
    return delivery_result::retry(r.error, r.retry_after);
  case 401: // the token was dropped; the next attempt asks for a new one
  case 412:
  case 500:
  case 502:
  case 503:
  case 504:
    return delivery_result::retry(r.error, r.retry_after);
  case 403:
    return delivery_result::permanent("unreachable: " + (r.code.empty() ? std::string("forbidden") : r.code));
  case 404:
    return delivery_result::permanent("unreachable: conversation not found");
  default:
    return delivery_result::permanent(r.error);
  }
}

std::string delivery::pacing_key(const store::outbound_message& m) const {
  // Teams limits sends per conversation; an answer or update is paced with its conversation.
  std::string target = m.recipient;
  if (m.recipient_kind == "ephemeral" || m.recipient_kind == "update")
    target = target.substr(0, target.rfind('|'));
  return "teams:" + m.workspace_id + ":" + m.recipient_kind.substr(0, 1) + ":" + target;
}

boost::asio::awaitable<delivery_result>
delivery::direct_message(std::string tenant_id, std::string aad_object_id, json::object activity) {
  auto ref = user_reference(db_, tenant_id, aad_object_id);
  if (!ref || ref->user_id.empty())
    co_return delivery_result::permanent("unreachable: the user has not used the app in Teams yet");
  auto created =
      co_await api_.create_conversation(ref->service_url, ref->tenant_id, ref->bot_id, ref->user_id);
  if (!created.ok) co_return classify(created);
  const auto conversation_id = id_of(created.body);
  if (conversation_id.empty()) co_return delivery_result::retry("create conversation: no conversation id");
  // A proactive message raises an activity-feed notification.
  json::object channel_data;
  if (auto* existing = activity.if_contains("channelData"); existing && existing->is_object())
    channel_data = existing->get_object();
  channel_data["notification"] = json::object{{"alert", true}};
  activity["channelData"] = std::move(channel_data);
  co_return classify(co_await api_.send(ref->service_url, conversation_id, std::move(activity)));
}

boost::asio::awaitable<delivery_result> delivery::deliver(const store::outbound_message& m) {
  if (m.recipient.empty()) co_return delivery_result::permanent("unreachable: no teams identity linked");
  if (!api_.configuration_error().empty())
    co_return delivery_result::retry(api_.configuration_error(), configuration_delay);
  json::object activity = render_(handlers::view_from_json(m.payload));

  if (m.recipient_kind == "user")
    co_return co_await direct_message(m.workspace_id, m.recipient, std::move(activity));

  if (m.recipient_kind == "channel") {
    auto ref = conversation_reference_of(db_, m.workspace_id, m.recipient);
    if (!ref) co_return delivery_result::permanent("unreachable: the app is not in that conversation");
    co_return classify(co_await api_.send(ref->service_url, m.recipient, std::move(activity)));
  }

  const auto pair = split(m.recipient);
  if (!pair) co_return delivery_result::permanent("bad recipient for " + m.recipient_kind);

  if (m.recipient_kind == "ephemeral") {
    auto ref = conversation_reference_of(db_, m.workspace_id, pair->first);
    if (ref && ref->conversation_type == "personal")
      co_return classify(co_await api_.send(ref->service_url, pair->first, std::move(activity)));
    co_return co_await direct_message(m.workspace_id, pair->second, std::move(activity));
  }

  if (m.recipient_kind == "update") {
    auto ref = conversation_reference_of(db_, m.workspace_id, pair->first);
    if (!ref) co_return delivery_result::permanent("unreachable: the app is not in that conversation");
    co_return classify(
        co_await api_.update(ref->service_url, pair->first, pair->second, std::move(activity)));
  }
  co_return delivery_result::permanent("unknown recipient kind " + m.recipient_kind);
}

} // namespace bot::teams
