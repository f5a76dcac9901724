#include "bot/slack/descriptor.hpp"

#include "bot/chat/homes.hpp"
#include "bot/chat/requests.hpp"
#include "bot/net/router.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/home_tab.hpp"
#include "bot/slack/install.hpp"
#include "bot/slack/oauth.hpp"
#include "bot/slack/platform.hpp"
#include "bot/slack/render.hpp"
#include "bot/slack/routes.hpp"
#include "bot/slack/web_api.hpp"

#include <spdlog/spdlog.h>

namespace bot::slack {
namespace {

class runtime final : public platform_runtime {
public:
  explicit runtime(platform_host& host)
      : host_(host), api_(host.outbound, host.cfg.slack_api_url, host.cfg.slack_bot_token), profiles_(api_),
        home_(api_) {
    if (host.homes) host.homes->add_surface(std::string{platform_name}, home_);
    // Installations are readable with the secret key (Install from Slack needs one).
    tokens_ = installation_tokens_for(host.io, host.store, api_, host.cfg);
    if (tokens_)
      install_ = std::make_shared<installer>(
          install_services{.cfg = host.cfg, .store = host.store, .api = api_, .tokens = *tokens_});
  }

  void mount(router& routes) override {
    for (auto& r : make_routes(services{.requests = host_.requests,
                   .api = api_,
                   .background = host_.follow_ups,
                   .signing_secret = host_.cfg.slack_signing_secret,
                   .install = install_,
                   .homes = host_.homes}))
      routes.add(r.method, r.path, std::move(r.handler));
  }

  std::unique_ptr<bot::delivery> make_delivery() override { return std::make_unique<delivery>(api_); }

  // A bot token, or installations with their own.
  std::string cannot_send() const override {
    return host_.cfg.slack_bot_token.empty() && !tokens_ ? "SLACK_BOT_TOKEN is not set" : "";
  }

  void warn_if_not_configured() const override {
    if (!host_.cfg.slack_configured()) spdlog::warn("{}; /slack/* answers 503", slack_not_configured_message);
  }

  // Slack sends no locale with a request: the digest's recipients' come from users.info.
  boost::asio::awaitable<void> before_digest_pass(std::chrono::milliseconds budget) override {
    co_await host_.requests.read_digest_locales(profiles_, budget);
  }

private:
  platform_host& host_;
  web_api api_;
  platform profiles_;
  home_tab home_; // the Home tab, republished through the host's registry
  std::unique_ptr<installation_tokens> tokens_;
  std::shared_ptr<installer> install_;
};

std::unique_ptr<platform_runtime> start(platform_host& host) {
  return std::make_unique<runtime>(host);
}

} // namespace

const platform_descriptor& descriptor() {
  static const platform_descriptor slack{
      platform_name, "Slack",        {std::string{platform_name}, "slack_team_id", "slack_user_id"},
      start,         render_message, render_modal,
      home_tab_view};
  return slack;
}

} // namespace bot::slack
