#include "bot/teams/delivery.hpp"

#include "bot/teams/cards.hpp"
#include "handlers/view_json.hpp"

namespace bot::teams {

namespace json = boost::json;
namespace kinds = store::recipient_kinds;

namespace {

// Not configured yet, or the credentials were refused: keep the row for a
// restart with a working configuration (attempts stay bounded).
constexpr auto configuration_delay = std::chrono::minutes(5);

std::string id_of(const json::object& body) {
  const auto* id = body.if_contains("id");
  return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

} // namespace

std::string reply_address(std::string_view conversation_id, std::string_view activity_id) {
  return store::address_pair{std::string(conversation_id), std::string(activity_id)}.str();
}

std::optional<reply_target> parse_reply_address(std::string_view address) {
  auto parts = store::address_pair::parse(address);
  if (!parts) return std::nullopt;
  return reply_target{std::move(parts->first), std::move(parts->second)};
}

delivery_result classify(const connector_result& r) {
  if (r.ok) return delivery_result::sent();
  if (r.not_allowed) return delivery_result::permanent(r.error);
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
    return delivery_result::permanent("conversation not found");
  default:
    return delivery_result::permanent(r.error);
  }
}

std::string delivery::pacing_key(const store::outbound_message& m) const {
  // Teams limits sends per conversation: an answer is paced with its conversation.
  std::string target = m.recipient;
  if (m.recipient_kind != kinds::user && m.recipient_kind != kinds::channel)
    if (auto pair = store::address_pair::parse(target)) target = pair->first;
  const bool to_user = m.recipient_kind == kinds::user;
  return "teams:" + m.workspace_id + (to_user ? ":user:" : ":conversation:") + without_thread(target);
}

boost::asio::awaitable<std::optional<conversation_reference>>
delivery::conversation(std::string tenant_id, std::string conversation_id) {
  co_return co_await store_.run(
      [&](store::database& db) { return conversation_reference_of(db, tenant_id, conversation_id); });
}

boost::asio::awaitable<delivery_result>
delivery::direct_message(std::string tenant_id, std::string aad_object_id, json::object activity) {
  struct known {
    std::optional<conversation_reference> user;
    std::optional<conversation_reference> tenant;
  };
  auto found = co_await store_.run([&](store::database& db) {
    return known{user_reference(db, tenant_id, aad_object_id), tenant_reference(db, tenant_id)};
  });
  // A proactive message raises an activity-feed notification.
  json::object channel_data;
  if (auto* existing = activity.if_contains("channelData"); existing && existing->is_object())
    channel_data = existing->get_object();
  channel_data["notification"] = json::object{{"alert", true}};
  activity["channelData"] = std::move(channel_data);

  auto& ref = found.user;
  if (ref && ref->user_id.empty() && !ref->conversation_id.empty())
    co_return classify(co_await api_.send(ref->service_url, ref->conversation_id, std::move(activity)));

  // Someone who never wrote to the bot is named by their aadObjectId, at the
  // serviceUrl last seen in their tenant: Teams opens the chat if they have
  // the app (installed by them or for them), and answers 403 if not.
  const bool by_aad = !ref || ref->user_id.empty();
  if (by_aad && !found.tenant)
    co_return delivery_result::permanent(
        "no serviceUrl known for the tenant: the app has not been seen there");
  const auto& via = by_aad ? *found.tenant : *ref;
  auto created = co_await api_.create_conversation(via.service_url, tenant_id, via.bot_id,
                                                   by_aad ? aad_object_id : ref->user_id);
  if (!created.ok) co_return classify(created);
  const auto conversation_id = id_of(created.body);
  if (conversation_id.empty()) co_return delivery_result::retry("create conversation: no conversation id");
  if (by_aad) {
    conversation_reference made;
    made.service_url = via.service_url;
    made.tenant_id = tenant_id;
    made.bot_id = via.bot_id;
    made.aad_object_id = aad_object_id;
    made.conversation_id = conversation_id;
    made.conversation_type = "personal";
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    co_await store_.run([&made, now](store::database& db) { return remember_user(db, made, now); });
  }
  co_return classify(co_await api_.send(via.service_url, conversation_id, std::move(activity)));
}

boost::asio::awaitable<delivery_result> delivery::deliver(const store::outbound_message& m) {
  if (m.recipient.empty()) co_return delivery_result::permanent("no teams identity linked");
  if (!api_.configuration_error().empty())
    co_return delivery_result::retry(api_.configuration_error(), configuration_delay);
  // A form (the reminder's) is a card of its own; everything else a view.
  json::object activity;
  if (handlers::is_form_json(m.payload)) {
    const auto form = handlers::form_from_json(m.payload);
    activity = card_activity(render_form_card(form), form.title);
  } else {
    activity = render_(handlers::view_from_json(m.payload));
  }

  if (m.recipient_kind == kinds::user)
    co_return co_await direct_message(m.workspace_id, m.recipient, std::move(activity));

  if (m.recipient_kind == kinds::channel) {
    auto ref = co_await conversation(m.workspace_id, m.recipient);
    if (!ref) co_return delivery_result::permanent("the app is not in that conversation");
    co_return classify(co_await api_.send(ref->service_url, m.recipient, std::move(activity)));
  }

  const auto pair = store::address_pair::parse(m.recipient);
  if (!pair) co_return delivery_result::permanent("bad recipient for " + m.recipient_kind);
  const auto& [conversation_id, second] = *pair;

  if (m.recipient_kind == kinds::in_channel_private) {
    // Only the recipient's own personal chat is private to them. The
    // conversation may come from form data its submitter could edit, so
    // any other conversation gets a DM instead.
    auto ref = co_await conversation(m.workspace_id, conversation_id);
    if (ref && ref->conversation_type == "personal" && !ref->aad_object_id.empty() &&
        ref->aad_object_id == second)
      co_return classify(co_await api_.send(ref->service_url, conversation_id, std::move(activity)));
    co_return co_await direct_message(m.workspace_id, second, std::move(activity));
  }

  if (m.recipient_kind == kinds::reply || m.recipient_kind == kinds::replace) {
    auto ref = co_await conversation(m.workspace_id, conversation_id);
    if (!ref) co_return delivery_result::permanent("the app is not in that conversation");
    if (m.recipient_kind == kinds::reply)
      co_return classify(co_await api_.send(ref->service_url, conversation_id, std::move(activity)));
    co_return classify(co_await api_.update(ref->service_url, conversation_id, second, std::move(activity)));
  }
  co_return delivery_result::permanent("unknown recipient kind " + m.recipient_kind);
}

} // namespace bot::teams
