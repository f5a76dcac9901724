#include "bot/teams/references.hpp"

#include "bot/teams/descriptor.hpp"
#include "store/chat_addresses.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace bot::teams {

namespace json = boost::json;

namespace {

void put(json::object& o, std::string_view key, const std::string& value) {
  if (!value.empty()) o[key] = value;
}

std::string get(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool remember(store::database& db, std::string_view kind, const std::string& target,
              const conversation_reference& ref, std::int64_t now_ms) {
  if (target.empty() || ref.tenant_id.empty() || ref.service_url.empty()) return false;
  return store::chat_addresses(db).remember(
      {std::string(platform_name), ref.tenant_id, std::string(kind), target, ref.to_json(), now_ms});
}

conversation_reference user_of(const activity& a, const account& user) {
  conversation_reference ref;
  ref.service_url = a.service_url;
  ref.tenant_id = a.tenant_id;
  ref.bot_id = a.recipient.id;
  ref.user_id = user.id;
  ref.aad_object_id = user.aad_object_id;
  return ref;
}

} // namespace

std::string conversation_reference::to_json() const {
  json::object o;
  put(o, "serviceUrl", service_url);
  put(o, "tenantId", tenant_id);
  put(o, "botId", bot_id);
  put(o, "userId", user_id);
  put(o, "aadObjectId", aad_object_id);
  put(o, "conversationId", conversation_id);
  put(o, "conversationType", conversation_type);
  return json::serialize(o);
}

std::optional<conversation_reference> conversation_reference::from_json(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  const auto& o = value.get_object();
  conversation_reference ref;
  ref.service_url = get(o, "serviceUrl");
  ref.tenant_id = get(o, "tenantId");
  ref.bot_id = get(o, "botId");
  ref.user_id = get(o, "userId");
  ref.aad_object_id = get(o, "aadObjectId");
  ref.conversation_id = get(o, "conversationId");
  ref.conversation_type = get(o, "conversationType");
  if (ref.service_url.empty()) return std::nullopt;
  return ref;
}

int remember_references(store::database& db, const activity& a, std::int64_t now_ms) {
  if (a.tenant_id.empty() || a.service_url.empty()) return 0;
  int written = 0;
  const auto is_bot = [&](const account& who) { return who.id == a.recipient.id; };

  if (!a.from.id.empty() && !is_bot(a.from) && !a.from.aad_object_id.empty())
    written += remember(db, user_target, a.from.aad_object_id, user_of(a, a.from), now_ms);
  for (const auto& added : a.members_added)
    if (!is_bot(added) && !added.aad_object_id.empty())
      written += remember(db, user_target, added.aad_object_id, user_of(a, added), now_ms);

  {
    conversation_reference tenant;
    tenant.service_url = a.service_url;
    tenant.tenant_id = a.tenant_id;
    tenant.bot_id = a.recipient.id;
    written += remember(db, tenant_target, a.tenant_id, tenant, now_ms);
  }

  // The app removed from a conversation: nothing to remember about it.
  const bool bot_removed =
      a.action == "remove" || std::any_of(a.members_removed.begin(), a.members_removed.end(), is_bot);
  if (!a.conversation.id.empty() && !bot_removed) {
    conversation_reference ref;
    ref.service_url = a.service_url;
    ref.tenant_id = a.tenant_id;
    ref.bot_id = a.recipient.id;
    ref.conversation_id = a.conversation.without_thread();
    ref.conversation_type = a.conversation.type;
    // A personal chat is the one user's: messages private to them may go there.
    if (a.conversation.type == "personal" && !is_bot(a.from)) ref.aad_object_id = a.from.aad_object_id;
    written += remember(db, channel_target, ref.conversation_id, ref, now_ms);
  }
  return written;
}

bool remember_user(store::database& db, const conversation_reference& ref, std::int64_t now_ms) {
  return remember(db, user_target, ref.aad_object_id, ref, now_ms);
}

std::optional<conversation_reference> tenant_reference(store::database& db, std::string_view tenant_id) {
  auto found = store::chat_addresses(db).find(platform_name, tenant_id, tenant_target, tenant_id);
  if (!found) return std::nullopt;
  return conversation_reference::from_json(found->address);
}

bool added_to_team(const activity& a) {
  if (a.team_id.empty()) return false;
  if (a.kind == activity_kind::installation_update) return a.action == "add" || a.action == "add-upgrade";
  if (a.kind != activity_kind::conversation_update) return false;
  return std::any_of(a.members_added.begin(), a.members_added.end(),
                     [&](const account& who) { return who.id == a.recipient.id; });
}

std::optional<conversation_reference> user_reference(store::database& db, std::string_view tenant_id,
                                                     std::string_view aad_object_id) {
  auto found = store::chat_addresses(db).find(platform_name, tenant_id, user_target, aad_object_id);
  if (!found) return std::nullopt;
  return conversation_reference::from_json(found->address);
}

std::optional<conversation_reference>
conversation_reference_of(store::database& db, std::string_view tenant_id, std::string_view conversation_id) {
  auto found = store::chat_addresses(db).find(platform_name, tenant_id, channel_target,
                                              without_thread(conversation_id));
  if (!found) return std::nullopt;
  return conversation_reference::from_json(found->address);
}

} // namespace bot::teams
