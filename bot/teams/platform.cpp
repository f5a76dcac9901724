#include "bot/teams/platform.hpp"

#include "bot/teams/cards.hpp"
#include "bot/teams/descriptor.hpp"
#include "bot/teams/references.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace bot::teams {

namespace json = boost::json;

namespace {

std::string string_in(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Tenant ids are GUIDs: compared without regard to case.
bool same_id(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

} // namespace

json::object message_activity(const handlers::view& v) {
  return card_activity(render_card(v), v.summary);
}

chat_profile profile_of(const json::object& member, std::string_view tenant_id) {
  chat_profile out;
  out.answered = true;
  // Only the tenant's own members vouch for an e-mail: a guest (userRole
  // "guest", "anonymous") or someone from another tenant in a shared
  // channel may carry any address, and is linked by an admin instead.
  const auto role = string_in(member, "userRole");
  if (role == "guest" || role == "anonymous") return out;
  if (tenant_id.empty() || !same_id(string_in(member, "tenantId"), tenant_id)) return out;
  out.email = string_in(member, "email");
  // Guests and some tenants leave `email` empty; the sign-in name is usually the address.
  if (out.email.empty()) {
    auto upn = string_in(member, "userPrincipalName");
    if (upn.find('@') != std::string::npos && upn.find("#EXT#") == std::string::npos)
      out.email = std::move(upn);
  }
  return out;
}

std::string_view platform::name() const {
  return platform_name;
}

boost::asio::awaitable<chat_profile> platform::profile(const handlers::chat_user& user) {
  auto ref = co_await store_.run(
      [&](store::database& db) { return user_reference(db, user.workspace_id, user.user_id); });
  chat_profile out;
  if (!ref || ref->user_id.empty() || user.conversation_id.empty()) {
    out.answered = true; // nothing to ask: the user is not known here
    co_return out;
  }
  auto r = co_await api_.member(ref->service_url, user.conversation_id, ref->user_id);
  if (r.ok) co_return profile_of(r.body, user.workspace_id);
  // The Connector answered (no such member, forbidden): asking again will not help.
  out.answered = r.transport_ok && !r.token_failed && r.http_status < 500 && r.http_status != 429;
  co_return out;
}

std::string platform::render_answer(const handlers::view& message) const {
  return json::serialize(message_activity(message));
}

} // namespace bot::teams
