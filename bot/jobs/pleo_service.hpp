#pragma once
// Keeps every client's figures fresh inside `serve`: a Pleo sync pass
// (pleo/sync.hpp) at start-up, then every PLEO_SYNC_INTERVAL, and one that
// starts just early enough to end before each 10:00 digest slot, so a
// digest carries figures no older than the interval while Pleo answers.
// The pass runs on a thread of its own with its own io_context and HTTP
// client, so parsing Pleo's pages never queues a chat request behind it;
// its database work on another thread, so chat requests keep reading the
// last committed figures. start/stop/collect_metrics from the server's
// io_context thread.

#include "bot/chat/config.hpp"
#include "bot/net/http_client.hpp"
#include "pleo/commands.hpp"
#include "pleo/sync.hpp"
#include "store/database.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace bot {

// The connector's settings from the configuration.
pleo::sync_settings pleo_sync_settings(const config& cfg);
pleo::command_settings pleo_command_settings(const config& cfg);

// When the next pass should start: `interval` after the last one started,
// or earlier when the next digest slot would otherwise find figures older
// than that, leaving room for a pass as long as the last one took.
std::chrono::system_clock::time_point next_sync_at(std::chrono::system_clock::time_point last_start,
                                                   std::chrono::system_clock::duration last_duration,
                                                   std::chrono::system_clock::duration interval);

class pleo_service {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;
  // `db` is the io_context thread's connection, read only for /metrics.
  pleo_service(boost::asio::io_context& io, store::database& db, const config& cfg, pleo::secret_key key,
               clock_fn clock = std::chrono::system_clock::now);
  ~pleo_service();

  void start();
  // Stops the timer and a pass in progress; completes when it has ended.
  boost::asio::awaitable<void> stop();
  // partnerbot_pleo_* lines for /metrics.
  void collect_metrics(std::string& out);
  int passes() const { return passes_; }

private:
  boost::asio::awaitable<void> loop(); // on the sync's thread

  boost::asio::io_context& io_; // the server's
  boost::asio::io_context sync_io_;
  http_client sync_http_{sync_io_};
  store::database& db_;
  std::chrono::seconds interval_;
  clock_fn clock_;
  pleo::syncer sync_;               // on sync_io_
  boost::asio::steady_timer timer_; // on sync_io_
  boost::asio::steady_timer ended_; // on io_; never expires, cancelled when the loop ends
  std::thread thread_;
  bool running_ = false; // io_'s thread only
  std::atomic<bool> stopping_{false};
  std::atomic<int> passes_{0};
  std::atomic<double> last_duration_seconds_{0};
};

} // namespace bot
