#include "bot/slack/oauth.hpp"

#include "bot/slack/descriptor.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace bot::slack {

namespace json = boost::json;

namespace {

std::string oauth_string(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object& oauth_object(const json::object& o, std::string_view key) {
  static const json::object empty;
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : empty;
}

std::string associated_data(const store::installation_key& where, std::string_view kind) {
  return "installation:" + where.platform + ":" + where.enterprise_id + ":" + where.workspace_id + ":" +
         std::string(kind);
}

} // namespace

std::optional<oauth_access> parse_oauth_access(const json::object& body) {
  oauth_access a;
  a.access_token = oauth_string(body, "access_token");
  if (a.access_token.empty() || oauth_string(body, "token_type") != "bot") return std::nullopt;
  a.refresh_token = oauth_string(body, "refresh_token");
  if (const auto* e = body.if_contains("expires_in"); e && e->is_int64() && e->get_int64() > 0)
    a.expires_in = e->get_int64();
  a.scope = oauth_string(body, "scope");
  a.bot_user_id = oauth_string(body, "bot_user_id");
  a.app_id = oauth_string(body, "app_id");
  a.team_id = oauth_string(oauth_object(body, "team"), "id");
  a.team_name = oauth_string(oauth_object(body, "team"), "name");
  a.enterprise_id = oauth_string(oauth_object(body, "enterprise"), "id");
  a.enterprise_name = oauth_string(oauth_object(body, "enterprise"), "name");
  if (const auto* e = body.if_contains("is_enterprise_install"); e && e->is_bool())
    a.enterprise_install = e->get_bool();
  a.installer = oauth_string(oauth_object(body, "authed_user"), "id");
  if (a.enterprise_install ? a.enterprise_id.empty() : a.team_id.empty()) return std::nullopt;
  return a;
}

store::installation_key installation_key_of(const oauth_access& a) {
  return {std::string{platform_name}, a.enterprise_id, a.enterprise_install ? std::string() : a.team_id};
}

store::sealed_secret seal_token(const pleo::secret_key& key, const store::installation_key& where,
                                std::string_view kind, std::string_view token) {
  if (token.empty()) return {};
  return pleo::seal(key, token, associated_data(where, kind));
}

std::optional<std::string> open_token(const pleo::secret_key& key, const store::installation_key& where,
                                      std::string_view kind, const store::sealed_secret& sealed) {
  if (sealed.ciphertext.empty()) return std::string();
  return pleo::open(key, sealed, associated_data(where, kind));
}

installation_tokens::installation_tokens(boost::asio::io_context& io, store_thread& store, web_api& api,
                                         token_settings settings, clock_fn clock)
    : io_(io), store_(store), api_(api), settings_(std::move(settings)), clock_(std::move(clock)) {}

std::int64_t installation_tokens::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

workspace_ref installation_tokens::completed(const workspace_ref& w) const {
  if (!w.enterprise_id.empty()) return w;
  auto it = enterprise_of_.find(w.team_id);
  return it == enterprise_of_.end() ? w : workspace_ref{it->second, w.team_id};
}

std::string installation_tokens::cache_key(const workspace_ref& w) {
  return w.enterprise_id + "/" + w.team_id;
}

void installation_tokens::forget(const std::string& team_id, const std::string& enterprise_id) {
  if (!team_id.empty() && !enterprise_id.empty()) enterprise_of_[team_id] = enterprise_id;
  // Rare (installs and uninstalls): everything, so an organisation's teams go too.
  cache_.clear();
}

bool installation_tokens::learn(const std::string& team_id, const std::string& enterprise_id) {
  if (team_id.empty() || enterprise_id.empty()) return false;
  if (auto it = enterprise_of_.find(team_id); it != enterprise_of_.end() && it->second == enterprise_id)
    return false;
  if (enterprise_of_.size() > 100000) enterprise_of_.clear(); // bounded; relearned from requests
  enterprise_of_[team_id] = enterprise_id;
  return true;
}

boost::asio::awaitable<installation_tokens::entry> installation_tokens::load(const workspace_ref& w) {
  entry e;
  e.cached_at = std::chrono::steady_clock::now();
  if (!settings_.key) co_return e;
  auto found = co_await store_.run([&](store::database& db) {
    return store::installations(db).find(platform_name, w.enterprise_id, w.team_id);
  });
  if (!found) co_return e;
  if (!found->installed()) {
    e.uninstalled = true;
    co_return e;
  }
  auto token = open_token(*settings_.key, found->key, "bot", found->token);
  if (!token || token->empty()) {
    spdlog::error("slack installation of {} does not open with PARTNERBOT_SECRET_KEY", cache_key(w));
    e.uninstalled = true; // a token that does not open is as good as none; never fall back silently
    co_return e;
  }
  e.token = std::move(*token);
  e.expires_ms = found->expires_ms;
  co_return e;
}

boost::asio::awaitable<token_source::lookup> installation_tokens::token_for(const workspace_ref& w) {
  const auto where = completed(w);
  const auto key = cache_key(where);
  auto it = cache_.find(key);
  if (it == cache_.end() || std::chrono::steady_clock::now() - it->second.cached_at >= settings_.cache_for) {
    auto loaded = co_await load(where);
    if (cache_.size() > 10000) cache_.clear();
    it = cache_.insert_or_assign(key, std::move(loaded)).first;
  }
  const entry e = it->second;
  if (e.uninstalled) co_return lookup{{}, true};
  if (e.token.empty()) co_return lookup{settings_.fallback_token, false};
  const auto margin_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings_.refresh_margin).count();
  if (e.expires_ms != 0 && now_ms() + margin_ms >= e.expires_ms) {
    auto fresh = co_await refresh(where, e.token);
    if (!fresh.empty()) co_return lookup{std::move(fresh), false};
  }
  co_return lookup{e.token, false};
}

boost::asio::awaitable<std::string> installation_tokens::refresh(const workspace_ref& w,
                                                                 std::string refused) {
  const auto where = completed(w);
  const auto key = cache_key(where);
  if (auto busy = refreshing_.find(key); busy != refreshing_.end()) {
    // Another request is refreshing this workspace's token: wait for its result.
    auto timer = busy->second;
    boost::system::error_code ignored;
    co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    auto it = cache_.find(key);
    co_return it == cache_.end() || it->second.token == refused ? std::string() : it->second.token;
  }
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::seconds(30));
  refreshing_[key] = timer;
  std::string fresh;
  try {
    fresh = co_await do_refresh(where, refused);
  } catch (const std::exception& e) {
    spdlog::error("slack token refresh for {} failed: {}", key, e.what());
  }
  refreshing_.erase(key);
  timer->cancel();
  co_return fresh;
}

boost::asio::awaitable<std::string> installation_tokens::do_refresh(const workspace_ref& w,
                                                                    const std::string& refused) {
  const auto key = cache_key(w);
  if (!settings_.key) co_return std::string();
  auto row = co_await store_.run([&](store::database& db) {
    return store::installations(db).find(platform_name, w.enterprise_id, w.team_id);
  });
  if (!row || !row->installed()) {
    cache_.erase(key);
    co_return std::string();
  }
  const auto margin_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(settings_.refresh_margin).count();
  auto current = open_token(*settings_.key, row->key, "bot", row->token).value_or("");
  const bool expiring = row->expires_ms != 0 && now_ms() + margin_ms >= row->expires_ms;
  auto remember = [&](std::string token, std::int64_t expires_ms) {
    cache_.insert_or_assign(key, entry{token, false, expires_ms, std::chrono::steady_clock::now()});
    return token;
  };
  // Refreshed meanwhile (another instance, or an earlier request here).
  if (!current.empty() && current != refused && !expiring) co_return remember(current, row->expires_ms);

  auto refresh_token = open_token(*settings_.key, row->key, "refresh", row->refresh).value_or("");
  if (refresh_token.empty()) co_return std::string(); // no rotation: nothing fresher to get

  json::object args;
  args["client_id"] = settings_.client_id;
  args["client_secret"] = settings_.client_secret;
  args["grant_type"] = "refresh_token";
  args["refresh_token"] = refresh_token;
  pleo::wipe(refresh_token);
  auto answer = co_await api_.call_with_token(std::string(), "oauth.v2.access", std::move(args));
  auto access = answer.ok ? parse_oauth_access(answer.body) : std::nullopt;
  if (!access) {
    spdlog::warn("slack token refresh for {} refused: {}", key, answer.ok ? "no bot token" : answer.error);
    co_return std::string();
  }
  const auto expires_ms = access->expires_in > 0 ? now_ms() + access->expires_in * 1000 : 0;
  const auto sealed_token = seal_token(*settings_.key, row->key, "bot", access->access_token);
  // Slack may keep the refresh token; then the old one stays.
  const auto sealed_refresh = access->refresh_token.empty()
                                  ? row->refresh
                                  : seal_token(*settings_.key, row->key, "refresh", access->refresh_token);
  const auto row_key = row->key;
  const auto version = row->version;
  const bool stored = co_await store_.run([&](store::database& db) {
    return store::installations(db).replace_tokens(row_key, version, sealed_token, sealed_refresh,
                                                   expires_ms);
  });
  ++refreshes_;
  if (stored) co_return remember(access->access_token, expires_ms);
  // Somebody stored a newer pair first: theirs wins, ours is dropped.
  auto newer = co_await store_.run([&](store::database& db) {
    return store::installations(db).find(platform_name, w.enterprise_id, w.team_id);
  });
  if (!newer || !newer->installed()) co_return std::string();
  co_return remember(open_token(*settings_.key, newer->key, "bot", newer->token).value_or(""),
                     newer->expires_ms);
}

std::unique_ptr<installation_tokens> installation_tokens_for(boost::asio::io_context& io, store_thread& store,
                                                             web_api& api, const bot::config& cfg) {
  auto key = pleo::secret_key::from_base64(cfg.secret_key);
  if (!key) return nullptr;
  auto tokens = std::make_unique<installation_tokens>(io, store, api,
                                                      token_settings{.fallback_token = cfg.slack_bot_token,
                                                                     .client_id = cfg.slack_client_id,
                                                                     .client_secret = cfg.slack_client_secret,
                                                                     .key = std::move(*key)});
  api.use_tokens(*tokens);
  return tokens;
}

} // namespace bot::slack
