#pragma once
// Runs an outbox worker on `io` until nothing is due within `budget`, then
// stops it; returns when the io_context has nothing left.

#include "bot/chat/store_thread.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "store/database.hpp"
#include "support/running_app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace test_support {

inline void deliver_due(boost::asio::io_context& io, bot::outbox_worker& worker,
                        std::chrono::milliseconds budget = std::chrono::seconds(10)) {
  worker.start();
  boost::asio::co_spawn(
      io,
      [&worker, budget]() -> boost::asio::awaitable<void> {
        co_await worker.drain(std::chrono::steady_clock::now() + budget);
        co_await worker.stop();
      },
      boost::asio::detached);
  io.run();
}

// What a delivery test drives: a database file, an io_context with an HTTP
// client, the store thread, and an outbox worker on them (a platform's
// delivery still to be added).
struct outbox_parts {
  temp_path path;
  store::database db{path.str()};
  boost::asio::io_context io{1};
  bot::http_client http{io};
  bot::store_thread store_work{db};
  bot::outbox_worker worker;

  explicit outbox_parts(bot::outbox_options options = {}) : worker(io, store_work, options) {}

  void deliver(std::chrono::milliseconds budget = std::chrono::seconds(10)) {
    deliver_due(io, worker, budget);
  }
};

} // namespace test_support
