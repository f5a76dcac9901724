#include "bot/net/background.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace bot {

namespace asio = boost::asio;

void background::spawn(std::function<asio::awaitable<void>()> work) {
  ++in_flight_;
  // co_spawn keeps the function object alive for as long as its coroutine runs.
  asio::co_spawn(io_, std::move(work), [this](std::exception_ptr error) {
    --in_flight_;
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::error("follow-up work failed: {}", e.what());
    } catch (...) {
      spdlog::error("follow-up work failed with an unknown exception");
    }
  });
}

asio::awaitable<void> background::drain(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  asio::steady_timer timer(io_);
  // Shutdown is rare: a short poll is simpler than a completion signal.
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (in_flight_ > 0)
    spdlog::warn("{} follow-up task(s) still running after {} ms", in_flight_, timeout.count());
}

} // namespace bot
