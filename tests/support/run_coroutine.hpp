#pragma once
// Runs one coroutine to completion on an io_context (at most 15 seconds).

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>

namespace test_support {

template <typename F> auto run_coroutine(boost::asio::io_context& io, F make) {
  auto fut = boost::asio::co_spawn(io, make(), boost::asio::use_future);
  io.restart();
  io.run_for(std::chrono::seconds(15));
  return fut.get();
}

} // namespace test_support
