#pragma once
// A chat platform as the process runs it. Each platform folder describes
// itself once (bot/slack/descriptor.cpp, bot/teams/descriptor.cpp): its name,
// its snapshot fields, and how it starts; bot/cli/platform_list.cpp lists the
// descriptors. `serve`, `digest run` and `import` read that list, so nothing
// else in the process names a platform.

#include "bot/chat/config.hpp"
#include "bot/chat/delivery.hpp"
#include "handlers/view.hpp"
#include "store/snapshot.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace bot {

class background;
class chat_requests;
class home_registry;
class http_client;
class metrics;
class router;
class store_thread;

// What the process lends a platform while it runs (all outlive it).
struct platform_host {
  boost::asio::io_context& io;
  const config& cfg;
  http_client& outbound;
  store_thread& store;
  chat_requests& requests;
  background& follow_ups;
  std::function<void()> outbox_wakeup; // new outbox rows to deliver
  metrics* stats = nullptr;            // where its counters are shown (serve); may be null
  home_registry* homes = nullptr;      // keeps opened homes up to date (serve); may be null
};

// One platform, running in this process.
class platform_runtime {
public:
  virtual ~platform_runtime() = default;
  // Its HTTP routes (serve).
  virtual void mount(router& routes) = 0;
  // How its outbox rows are sent.
  virtual std::unique_ptr<delivery> make_delivery() = 0;
  // Why it is not configured to send, or empty when it is; a one-shot
  // command leaves the rows of a platform that cannot to a server that can.
  virtual std::string cannot_send() const = 0;
  // Says at start, once, what is missing from its configuration.
  virtual void warn_if_not_configured() const = 0;
  // What a digest pass needs from the platform first (Slack: the
  // recipients' locales), within `budget`.
  virtual boost::asio::awaitable<void> before_digest_pass(std::chrono::milliseconds budget) = 0;
};

struct platform_descriptor {
  std::string_view name;             // stored as data: workspaces, chat identities, outbox rows
  std::string_view title;            // as people write it, in messages
  store::snapshot_platform snapshot; // the snapshot fields with its workspace and user ids
  std::unique_ptr<platform_runtime> (*start)(platform_host& host);
  // An answer and a form as the platform shows them (`partnerbot ask`).
  boost::json::object (*render_message)(const handlers::view& message);
  boost::json::object (*render_form)(const handlers::form& form);
  // A home as the platform's home surface shows it, when it has one.
  boost::json::object (*render_home)(const handlers::view& home) = nullptr;
};

} // namespace bot
