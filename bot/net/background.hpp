#pragma once
// Follow-up work started after a request was answered (Slack's ack comes
// first): tracked so that shutdown can wait for it. Single-threaded: use
// from the io_context's thread only.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>

namespace bot {

class background {
public:
  explicit background(boost::asio::io_context& io) : io_(io) {}

  // Runs `work` on the io_context; exceptions are logged, never escape.
  void spawn(std::function<boost::asio::awaitable<void>()> work);
  std::size_t in_flight() const { return in_flight_; }
  // Completes when nothing is in flight or the timeout passes.
  boost::asio::awaitable<void> drain(std::chrono::milliseconds timeout);

private:
  boost::asio::io_context& io_;
  std::size_t in_flight_ = 0;
};

} // namespace bot
