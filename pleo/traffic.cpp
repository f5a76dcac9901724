#include "pleo/traffic.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <ctime>

namespace pleo {

namespace asio = boost::asio;

stop_signal::stop_signal(asio::any_io_executor ex) : timer_(std::move(ex), steady::time_point::max()) {}

void stop_signal::trigger() {
  stopped_ = true;
  timer_.cancel();
}

asio::awaitable<bool> stop_signal::sleep_until(steady::time_point at) {
  using namespace asio::experimental::awaitable_operators;
  if (stopped_) co_return false;
  asio::steady_timer sleep(co_await asio::this_coro::executor, at);
  const auto first = co_await (sleep.async_wait(asio::as_tuple(asio::use_awaitable)) ||
                               timer_.async_wait(asio::as_tuple(asio::use_awaitable)));
  co_return first.index() == 0 && !stopped_;
}

asio::awaitable<void> stop_signal::wait() {
  if (stopped_) co_return;
  co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
}

request_budget::request_budget(int per_minute)
    : interval_(std::chrono::duration_cast<steady::duration>(std::chrono::minutes(1)) /
                std::max(1, per_minute)) {}

asio::awaitable<bool> request_budget::take(stop_signal& stop) {
  const auto now = steady::now();
  const auto slot = std::max(now, next_);
  next_ = slot + interval_;
  if (slot <= now) co_return !stop.stopped();
  co_return co_await stop.sleep_until(slot);
}

asio::awaitable<bool> credential_budgets::take(const std::string& credential, stop_signal& stop) {
  if (++takes_since_sweep_ >= 1024) {
    takes_since_sweep_ = 0;
    std::erase_if(budgets_, [now = steady::now()](const auto& b) { return b.second.idle(now); });
  }
  auto it = budgets_.try_emplace(credential, per_minute_).first;
  co_return co_await it->second.take(stop);
}

bool worth_retrying(int status) {
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ')
    value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 9) return std::nullopt;
    long seconds = 0;
    std::from_chars(value.data(), value.data() + value.size(), seconds);
    return std::chrono::seconds(seconds);
  }
  // An HTTP-date (IMF-fixdate), always in GMT.
  const std::string text(value);
  std::tm fields{};
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &fields);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&fields));
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
  return std::max(wait, std::chrono::milliseconds::zero());
}

std::chrono::milliseconds retry_delay(const retry_policy& policy, int attempt,
                                      std::optional<std::chrono::milliseconds> retry_after,
                                      std::mt19937_64& random) {
  const int doublings = std::clamp(attempt - 1, 0, 20);
  const auto grown = policy.backoff_base.count() * (std::int64_t{1} << doublings);
  const auto delay = std::min<std::int64_t>(grown, policy.backoff_cap.count());
  const auto half = delay / 2;
  std::uniform_int_distribution<std::int64_t> spread(0, std::max<std::int64_t>(half, 0));
  const auto jittered = std::chrono::milliseconds(delay - half + spread(random));
  return retry_after ? std::max(jittered, *retry_after) : jittered;
}

} // namespace pleo
