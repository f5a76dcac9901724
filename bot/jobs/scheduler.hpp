#pragma once
// Runs the digest pass (handlers/digests.hpp) inside `serve`: once at
// start-up, which catches up a slot missed earlier today, then at each
// next 10:00 Europe/Copenhagen, recomputed after every run. The pass runs
// on a thread of its own with its own connection to the database file, so
// requests keep being answered while it works; outbox delivery is woken
// when it has enqueued rows.
// Single-threaded: start/stop from the io_context's thread.

#include "handlers/context.hpp"
#include "handlers/digests.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace bot {

// How long the step before a pass may wait for the platforms (a slow or
// failing one then leaves the default language to those it did not answer for).
inline constexpr std::chrono::seconds digest_locale_wait{4};

class scheduler {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;
  // `db_path` must be a file (a second connection to ":memory:" is another
  // database). `outbox_wakeup` is called from the pass's thread.
  scheduler(boost::asio::io_context& io, std::string db_path, handlers::settings settings,
            std::function<void()> outbox_wakeup, clock_fn clock = std::chrono::system_clock::now);
  ~scheduler();
  scheduler(const scheduler&) = delete;
  scheduler& operator=(const scheduler&) = delete;

  // A step run before each pass that has a slot due, on the io_context's
  // thread (reading the recipients' chat locales, so that each is written
  // to in their language); it bounds its own time. A failure is logged and
  // the pass runs all the same.
  void before_pass(std::function<boost::asio::awaitable<void>()> step) { before_pass_ = std::move(step); }

  void start();
  // Stops the timer; waits for a pass in progress to commit.
  boost::asio::awaitable<void> stop();
  // Passes completed so far (for tests and logs).
  int passes() const { return passes_; }

private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> run_pass(std::chrono::system_clock::time_point at);

  struct worker_state;
  boost::asio::io_context& io_;
  std::string db_path_;
  handlers::settings settings_;
  std::function<void()> outbox_wakeup_;
  std::function<boost::asio::awaitable<void>()> before_pass_;
  clock_fn clock_;
  boost::asio::steady_timer timer_;
  boost::asio::thread_pool pool_{1};
  std::unique_ptr<worker_state> state_; // touched on the pool's thread only
  int passes_ = 0;
  bool running_ = false;
  bool stopping_ = false;
};

} // namespace bot
