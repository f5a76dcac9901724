#include "bot/teams/descriptor.hpp"

#include "bot/net/router.hpp"
#include "bot/teams/cards.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/delivery.hpp"
#include "bot/teams/openid_keys.hpp"
#include "bot/teams/platform.hpp"
#include "bot/teams/routes.hpp"

#include <spdlog/spdlog.h>

namespace bot::teams {
namespace {

class runtime final : public platform_runtime {
public:
  explicit runtime(platform_host& host)
      : host_(host), api_(host.io, host.outbound, connector_settings_of(host.cfg)),
        keys_(host.io, host.outbound, host.cfg.botframework_openid_metadata) {}

  void mount(router& routes) override {
    for (auto& r : make_routes(services{.requests = host_.requests,
                   .store = host_.store,
                   .api = api_,
                   .keys = keys_,
                   .background = host_.follow_ups,
                   .outbox_wakeup = host_.outbox_wakeup,
                   .app_id = host_.cfg.microsoft_app_id,
                   .stats = host_.stats}))
      routes.add(r.method, r.path, std::move(r.handler));
  }

  std::unique_ptr<bot::delivery> make_delivery() override {
    return std::make_unique<delivery>(api_, host_.store, message_activity);
  }

  std::string cannot_send() const override { return std::string{api_.configuration_error()}; }

  void warn_if_not_configured() const override {
    if (host_.cfg.microsoft_app_id.empty())
      spdlog::warn("Teams is not configured: set MicrosoftAppId; /api/messages answers 503");
    else if (!api_.configuration_error().empty())
      spdlog::warn("Teams replies cannot be sent: {}", api_.configuration_error());
  }

  // Teams needs no lookup before a digest: its activities carry the locale.
  boost::asio::awaitable<void> before_digest_pass(std::chrono::milliseconds) override { co_return; }

private:
  platform_host& host_;
  connector api_;
  openid_keys keys_;
};

std::unique_ptr<platform_runtime> start(platform_host& host) {
  return std::make_unique<runtime>(host);
}

boost::json::object render_form(const handlers::form& form) {
  return render_form_card(form);
}

} // namespace

const platform_descriptor& descriptor() {
  static const platform_descriptor teams{
      platform_name, "Teams",     {std::string{platform_name}, "teams_tenant_id", "teams_aad_object_id"},
      start,         render_card, render_form};
  return teams;
}

} // namespace bot::teams
