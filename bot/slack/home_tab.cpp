#include "bot/slack/home_tab.hpp"

#include "bot/slack/render.hpp"
#include "text/log_escape.hpp"

#include <spdlog/spdlog.h>

// GCC 12 reports a false -Wmismatched-new-delete when it inlines Asio's
// awaitable frame allocation (frames use Asio's own operator new/delete).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace bot::slack {

namespace json = boost::json;

json::object home_tab_view(const handlers::view& home) {
  json::object view;
  view["type"] = "home";
  view["blocks"] = render_message(home).at("blocks");
  return view;
}

boost::asio::awaitable<bool> home_tab::publish(const store::home_viewer& to, const handlers::view& home) {
  // Built before co_await: GCC 12 miscompiles initializer lists inside co_await expressions.
  json::object args;
  args["user_id"] = to.user_id;
  args["view"] = home_tab_view(home);
  workspace_ref where;
  where.enterprise_id = to.enterprise_id;
  where.team_id = to.workspace_id;
  auto published = co_await api_.call(std::move(where), "views.publish", std::move(args));
  if (!published.ok)
    spdlog::warn("slack views.publish for {} failed: {}", text::escape_for_log(to.user_id),
                 text::escape_for_log(published.error));
  co_return published.ok;
}

} // namespace bot::slack
