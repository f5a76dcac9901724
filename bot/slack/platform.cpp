#include "bot/slack/platform.hpp"

#include "bot/slack/descriptor.hpp"
#include "bot/slack/render.hpp"

#include <boost/json/serialize.hpp>

namespace bot::slack {

namespace json = boost::json;

namespace {

std::string string_in(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

} // namespace

chat_profile profile_of(const json::object& body) {
  const auto* user = body.if_contains("user");
  if (!user || !user->is_object()) return {};
  const auto& u = user->get_object();
  auto flag = [&](const char* key) {
    const auto* v = u.if_contains(key);
    return v && v->is_bool() && v->get_bool();
  };
  // Deactivated accounts and bots never stand for a member.
  if (flag("deleted") || flag("is_bot")) return {};
  chat_profile out;
  out.locale = string_in(u, "locale");
  if (const auto* p = u.if_contains("profile"); p && p->is_object())
    out.email = string_in(p->get_object(), "email");
  return out;
}

std::string_view platform::name() const {
  return platform_name;
}

boost::asio::awaitable<chat_profile> platform::profile(const handlers::chat_user& user) {
  if (!api_.has_token()) co_return chat_profile{};
  // Arguments built before co_await: GCC 12 miscompiles initializer lists
  // inside co_await expressions.
  json::object args;
  args["user"] = user.user_id;
  args["include_locale"] = "true";
  workspace_ref where;
  where.team_id = user.workspace_id;
  auto r = co_await api_.call(std::move(where), "users.info", std::move(args), lookup_timeout);
  chat_profile out;
  if (r.ok) out = profile_of(r.body);
  // Slack answered (user_not_found, ...): nothing more to learn by asking again.
  // An uninstalled workspace was not asked: a reinstall may answer.
  out.answered = r.ok || (!r.retryable && r.error != uninstalled_error);
  co_return out;
}

json::object ephemeral(const handlers::view& v) {
  auto body = render_message(v);
  body["response_type"] = "ephemeral";
  return body;
}

std::string platform::render_answer(const handlers::view& message) const {
  // Written straight to JSON text: the request path builds no document tree.
  return message_json(message, "ephemeral");
}

} // namespace bot::slack
