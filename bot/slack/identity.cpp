#include "bot/slack/identity.hpp"

#include "store/directory.hpp"

#include <spdlog/spdlog.h>

namespace bot::slack {

namespace json = boost::json;

namespace {

constexpr std::size_t max_cached_profiles = 10000;
constexpr std::string_view platform = "slack";

std::string email_of(const json::object& body) {
  auto* user = body.if_contains("user");
  if (!user || !user->is_object()) return {};
  const auto& u = user->get_object();
  auto flag = [&](const char* key) {
    auto* v = u.if_contains(key);
    return v && v->is_bool() && v->get_bool();
  };
  // Deactivated accounts and bots never stand for a member.
  if (flag("deleted") || flag("is_bot")) return {};
  auto* profile = u.if_contains("profile");
  if (!profile || !profile->is_object()) return {};
  auto* email = profile->get_object().if_contains("email");
  return email && email->is_string() ? std::string(email->get_string()) : std::string();
}

} // namespace

identity_resolver::identity_resolver(store::database& db, web_api& api, clock_fn clock)
    : db_(db), api_(api), clock_(std::move(clock)) {}

boost::asio::awaitable<std::string> identity_resolver::profile_email(const std::string& team_id,
                                                                     const std::string& user_id) {
  const auto key = team_id + "/" + user_id;
  const auto now = clock_();
  if (auto it = profiles_.find(key); it != profiles_.end() && now - it->second.fetched < profile_ttl)
    co_return it->second.email;
  if (!api_.has_token()) co_return std::string();
  // Arguments built before co_await: GCC 12 miscompiles initializer lists
  // inside co_await expressions.
  json::object args;
  args["user"] = user_id;
  auto r = co_await api_.call("users.info", std::move(args), lookup_timeout);
  if (!r.ok) {
    // A transport failure is not remembered: the next request tries again.
    if (r.retryable) co_return std::string();
  }
  auto email = r.ok ? email_of(r.body) : std::string();
  if (profiles_.size() >= max_cached_profiles) profiles_.clear();
  profiles_[key] = {email, now};
  co_return email;
}

boost::asio::awaitable<std::optional<handlers::caller>>
identity_resolver::resolve(std::string team_id, std::string user_id, std::string conversation_id) {
  auto found = store::directory(db_).slack_caller_of(team_id, user_id);
  if (!found) co_return std::nullopt;

  handlers::caller who;
  who.chat = {std::string(platform), team_id, user_id, {}, std::move(conversation_id)};
  who.partner = std::move(found->firm);
  who.member = std::move(found->linked);

  if (!who.member) {
    who.chat.profile_email = co_await profile_email(team_id, user_id);
    if (!who.chat.profile_email.empty()) {
      // The lookup suspended: read the store afresh.
      store::directory fresh(db_);
      who.member = fresh.member_for_identity(platform, team_id, user_id);
      if (!who.member) {
        auto candidate = fresh.member_by_email(who.partner.id, who.chat.profile_email);
        if (candidate) {
          auto linked = fresh.link({std::string(platform), team_id, user_id, candidate->id});
          if (linked != store::link_result::member_taken) {
            who.member = std::move(candidate);
            spdlog::info("slack user {} linked to member {} by profile e-mail", user_id, who.member->id);
          }
        }
      }
    }
  }

  co_return who;
}

} // namespace bot::slack
