#pragma once
// Slack's Home tab: a member's home view as the view views.publish takes
// ({"type": "home", "blocks": [...]}), and the surface the home refresher
// republishes it through, with the workspace's own token.
// Single-threaded: use from the io_context's thread.

#include "bot/chat/homes.hpp"
#include "bot/slack/web_api.hpp"

#include <boost/json/object.hpp>

namespace bot::slack {

// The `view` argument of views.publish for a home view.
boost::json::object home_tab_view(const handlers::view& home);

class home_tab final : public home_surface {
public:
  explicit home_tab(web_api& api) : api_(api) {}
  // views.publish for one user of one workspace.
  boost::asio::awaitable<bool> publish(const store::home_viewer& to, const handlers::view& home) override;

private:
  web_api& api_;
};

} // namespace bot::slack
