#pragma once
// Install from Slack, the token half (Bolt's `authorize` and
// `installationStore`): what oauth.v2.access answers, sealed into the
// installation store, and the one token source every call to Slack for a
// workspace goes through.
//
// installation_tokens looks a workspace's installation up once by
// (enterprise id, team id) and keeps its token in memory for a minute (so
// another instance's changes are seen soon); a workspace without an
// installation gets SLACK_BOT_TOKEN, an uninstalled one nothing. With token
// rotation, the token is refreshed before it expires and when Slack refuses
// it; one refresh at a time per workspace in this process, and the new pair
// is stored only if nobody stored a newer one meanwhile (the row's version),
// so two instances refreshing at once never lose the newer token.
// Single-threaded: use from the io_context's thread only.

#include "bot/chat/config.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/slack/web_api.hpp"
#include "pleo/secret_box.hpp"
#include "store/installations.hpp"

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace bot::slack {

// oauth.v2.access's answer (to a code, or to a refresh token).
struct oauth_access {
  std::string access_token; // the bot token
  std::string refresh_token;
  std::int64_t expires_in = 0; // seconds; 0: the token does not expire
  std::string scope;
  std::string bot_user_id;
  std::string app_id;
  std::string team_id;
  std::string team_name;
  std::string enterprise_id;
  std::string enterprise_name;
  bool enterprise_install = false;
  std::string installer; // authed_user.id
};

// nullopt when the answer holds no bot token (or no workspace to key it by).
std::optional<oauth_access> parse_oauth_access(const boost::json::object& body);

// The store's key for an installation: an organisation-wide install is the
// organisation's, with no team.
store::installation_key installation_key_of(const oauth_access& a);

// Seals and opens an installation's tokens; the key's parts are the
// associated data, so a token copied to another workspace's row does not open.
store::sealed_secret seal_token(const pleo::secret_key& key, const store::installation_key& where,
                                std::string_view kind, std::string_view token);
std::optional<std::string> open_token(const pleo::secret_key& key, const store::installation_key& where,
                                      std::string_view kind, const store::sealed_secret& sealed);

struct token_settings {
  std::string fallback_token; // SLACK_BOT_TOKEN
  std::string client_id;
  std::string client_secret;
  std::optional<pleo::secret_key> key; // without it, installations cannot be read
  // Refreshed this long before the expiry Slack gave.
  std::chrono::seconds refresh_margin{300};
  std::chrono::seconds cache_for{60};
};

class installation_tokens final : public token_source {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;

  installation_tokens(
      boost::asio::io_context& io, store_thread& store, web_api& api, token_settings settings,
      clock_fn clock = [] { return std::chrono::system_clock::now(); });

  boost::asio::awaitable<lookup> token_for(const workspace_ref& w) override;
  boost::asio::awaitable<std::string> refresh(const workspace_ref& w, std::string refused) override;

  // Forgets what is cached for the workspace (after an install or uninstall).
  void forget(const std::string& team_id, const std::string& enterprise_id);
  // Remembers a team's organisation, learned from a request, for calls that
  // know only the team (outbox rows). True when it was not known yet.
  bool learn(const std::string& team_id, const std::string& enterprise_id);

  // Refreshes done (for metrics and tests).
  std::size_t refreshes() const { return refreshes_; }

private:
  struct entry {
    std::string token;
    bool uninstalled = false;
    std::int64_t expires_ms = 0; // 0: never
    std::chrono::steady_clock::time_point cached_at;
  };
  workspace_ref completed(const workspace_ref& w) const;
  static std::string cache_key(const workspace_ref& w);
  boost::asio::awaitable<entry> load(const workspace_ref& w);
  boost::asio::awaitable<std::string> do_refresh(const workspace_ref& w, const std::string& refused);
  std::int64_t now_ms() const;

  boost::asio::io_context& io_;
  store_thread& store_;
  web_api& api_;
  token_settings settings_;
  clock_fn clock_;
  std::map<std::string, entry> cache_;
  std::map<std::string, std::string> enterprise_of_;
  // A refresh in progress per workspace: others wait on its timer.
  std::map<std::string, std::shared_ptr<boost::asio::steady_timer>> refreshing_;
  std::size_t refreshes_ = 0;
};

// The token source for a configuration: installations, readable with the
// secret key, and SLACK_BOT_TOKEN for the rest; `api` uses it from now on.
// Null (and `api` unchanged) without a valid key.
std::unique_ptr<installation_tokens> installation_tokens_for(boost::asio::io_context& io, store_thread& store,
                                                             web_api& api, const bot::config& cfg);

} // namespace bot::slack
