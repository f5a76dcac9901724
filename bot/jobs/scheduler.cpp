#include "bot/jobs/scheduler.hpp"

#include "handlers/digest_schedule.hpp"
#include "store/database.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace bot {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
// Sleeps are capped so that a wall-clock change is noticed within the hour.
constexpr auto longest_digest_sleep = std::chrono::duration_cast<std::chrono::system_clock::duration>(1h);
} // namespace

struct scheduler::worker_state {
  std::unique_ptr<store::database> db;
};

scheduler::scheduler(asio::io_context& io, std::string db_path, handlers::settings settings,
                     std::function<void()> outbox_wakeup, clock_fn clock)
    : io_(io), db_path_(std::move(db_path)), settings_(std::move(settings)),
      outbox_wakeup_(std::move(outbox_wakeup)), clock_(std::move(clock)), timer_(io),
      state_(std::make_unique<worker_state>()) {}

scheduler::~scheduler() {
  pool_.join(); // a pass in progress commits before its connection closes
}

void scheduler::start() {
  if (running_) return;
  running_ = true;
  asio::co_spawn(io_, loop(), [this](std::exception_ptr e) {
    running_ = false;
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("digest scheduler stopped: {}", ex.what());
    }
  });
}

asio::awaitable<void> scheduler::loop() {
  co_await run_pass(clock_()); // catches up today's slot
  while (!stopping_) {
    const auto now = clock_();
    const auto next = handlers::next_slot_after(now);
    timer_.expires_after(std::min<std::chrono::system_clock::duration>(next - now, longest_digest_sleep));
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) break;
    if (clock_() >= next) co_await run_pass(clock_());
  }
}

asio::awaitable<void> scheduler::run_pass(std::chrono::system_clock::time_point at) {
  if (before_pass_ && handlers::slot_for(at)) {
    try {
      co_await before_pass_();
    } catch (const std::exception& e) {
      spdlog::warn("before the digest pass: {}", e.what());
    }
  }
  auto work = [this, at]() -> asio::awaitable<handlers::pass_counts> {
    if (!state_->db) state_->db = std::make_unique<store::database>(db_path_);
    handlers::context ctx{*state_->db, settings_};
    ctx.outbox_wakeup = outbox_wakeup_; // thread-safe by contract of the outbox worker
    co_return handlers::digest_pass(ctx, at);
  };
  try {
    const auto counts = co_await asio::co_spawn(pool_, work, asio::use_awaitable);
    ++passes_;
    if (!counts.slot.empty() && (counts.dms > 0 || counts.channels > 0 || counts.unreachable > 0))
      spdlog::info("digests for {}: {} DMs and {} channel digests enqueued, {} unreachable", counts.slot,
                   counts.dms, counts.channels, counts.unreachable);
  } catch (const std::exception& e) {
    // The next slot tries again; claims made before the failure stand.
    spdlog::error("digest pass failed: {}", e.what());
  }
}

asio::awaitable<void> scheduler::stop() {
  stopping_ = true;
  timer_.cancel();
  while (running_) {
    timer_.cancel();
    asio::steady_timer t(io_, 10ms);
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

} // namespace bot
