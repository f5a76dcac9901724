#pragma once
// Keeps the homes that users have opened up to date. A platform with a home
// surface (Slack's Home tab) registers it; when a user opens their home the
// platform shows it and tells the refresher (opened()). From then on the
// refresher looks every `check_interval` whether anything a home shows has
// changed (store::home_views::generation(): a sync, an import, a
// subscription, a language, a link; from this process or another), renders
// the home of each user who opened theirs, and publishes it again when it
// differs from what they were last shown: at most once per
// `republish_interval` per user. A change within that interval is published
// when it is up, in its latest state; what changed back meanwhile is not
// published at all. Nobody who never opened their home is sent one.
// Single-threaded: use from the io_context's thread; the rendering runs on
// the store thread.

#include "bot/chat/homes.hpp"
#include "bot/chat/store_thread.hpp"
#include "handlers/context.hpp"
#include "handlers/view.hpp"
#include "store/home_views.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace bot {

struct home_refresher_options {
  std::chrono::milliseconds check_interval{5000};
  std::chrono::milliseconds republish_interval{60000};
};

class home_refresher final : public home_registry {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;

  home_refresher(
      boost::asio::io_context& io, store_thread& store, const handlers::settings& settings,
      home_refresher_options options, clock_fn clock = [] { return std::chrono::system_clock::now(); });

  void add_surface(std::string platform, home_surface& surface) override;

  boost::asio::awaitable<void> opened(store::home_viewer to, const handlers::view& home) override;

  void start();
  // Stops looking; waits for a check in progress.
  boost::asio::awaitable<void> stop();

  // What a home shows, as a short digest (equal views, equal digests).
  static std::string digest(const handlers::view& home);

  // Checks made, and homes republished, so far (for /metrics and tests).
  std::uint64_t checks() const { return checks_; }
  std::uint64_t republished() const { return republished_; }
  void collect_metrics(std::string& out) const;

private:
  struct due_home {
    store::home_viewer to;
    handlers::view home;
    std::string digest;
  };
  struct check_result {
    std::vector<due_home> due; // changed, and their interval is up
    bool waiting = false;      // changed, but shown too recently
  };
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> check();
  check_result changed_homes(store::database& db, std::int64_t now_ms);
  std::int64_t now_ms() const;

  boost::asio::io_context& io_;
  store_thread& store_;
  const handlers::settings& settings_;
  home_refresher_options options_;
  clock_fn clock_;
  std::map<std::string, home_surface*> surfaces_;
  boost::asio::steady_timer timer_;
  std::optional<std::int64_t> seen_generation_;
  bool waiting_ = false; // some change waits for its interval
  bool running_ = false;
  bool stopping_ = false;
  std::uint64_t checks_ = 0;
  std::uint64_t republished_ = 0;
};

} // namespace bot
