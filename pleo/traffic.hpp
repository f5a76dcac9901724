#pragma once
// How the connector paces and retries its requests to Pleo: a request
// budget per minute for each credential (Pleo limits each key, and grants
// access per company), retries of 429 and 5xx with
// exponential backoff and jitter that honour Retry-After, and a stop signal
// that wakes every wait at once on shutdown.
// request_budget, credential_budgets and stop_signal are single-threaded: use them from the
// io_context's thread; the policy functions are pure.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pleo {

using steady = std::chrono::steady_clock;

class stop_signal {
public:
  explicit stop_signal(boost::asio::any_io_executor ex);
  void trigger();
  bool stopped() const { return stopped_; }
  // Sleeps until `at`; false when the signal came first (or had come).
  boost::asio::awaitable<bool> sleep_until(steady::time_point at);
  // Completes when the signal comes (at once if it had).
  boost::asio::awaitable<void> wait();

private:
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
};

// Requests start evenly spaced, 60 s / per_minute apart, so that no minute
// ever holds more than `per_minute` of them, however many clients ask.
class request_budget {
public:
  explicit request_budget(int per_minute);
  // Waits for this request's turn; false when stopped first.
  boost::asio::awaitable<bool> take(stop_signal& stop);
  steady::duration interval() const { return interval_; }

  // No request waits for this budget's next slot any more.
  bool idle(steady::time_point now) const { return next_ <= now; }

private:
  steady::duration interval_;
  steady::time_point next_{};
};

// One request_budget per credential, made on first use. Idle ones are
// dropped now and then, so that memory follows the clients being synced,
// not every client ever synced.
class credential_budgets {
public:
  explicit credential_budgets(int per_minute) : per_minute_(per_minute) {}
  // Waits for the turn of this credential's request; false when stopped first.
  boost::asio::awaitable<bool> take(const std::string& credential, stop_signal& stop);
  std::size_t size() const { return budgets_.size(); }

private:
  int per_minute_;
  std::unordered_map<std::string, request_budget> budgets_;
  std::size_t takes_since_sweep_ = 0;
};

struct retry_policy {
  int max_attempts = 5;
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{60000};
  // A longer Retry-After fails the client for this sync instead of holding it.
  std::chrono::milliseconds longest_retry_after{std::chrono::minutes(5)};
};

// 429 (rate limited) and the 5xx answers a retry can cure.
bool worth_retrying(int status);
// Retry-After as delta-seconds or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT").
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::system_clock::time_point now);
// The wait before attempt `attempt + 1`: exponential from the base, capped,
// half of it random ("equal jitter"), and never shorter than Retry-After.
std::chrono::milliseconds retry_delay(const retry_policy& policy, int attempt,
                                      std::optional<std::chrono::milliseconds> retry_after,
                                      std::mt19937_64& random);

} // namespace pleo
