#pragma once
// Runs a digest scheduler on `io` until its first pass is done (at most 10
// seconds), then stops it; returns when the io_context has nothing left.

#include "bot/jobs/scheduler.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace test_support {

inline void run_first_pass(boost::asio::io_context& io, bot::scheduler& s) {
  s.start();
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (s.passes() == 0 && std::chrono::steady_clock::now() < give_up) {
          boost::asio::steady_timer t(io, std::chrono::milliseconds(10));
          co_await t.async_wait(boost::asio::use_awaitable);
        }
        co_await s.stop();
      },
      boost::asio::detached);
  io.run();
}

} // namespace test_support
