#include "bot/jobs/pleo_service.hpp"

#include "bot/net/metrics.hpp"
#include "handlers/digest_schedule.hpp"
#include "store/sync_state.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace bot {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Sleeps are capped so that a wall-clock change is noticed within the hour.
constexpr auto longest_sync_sleep = std::chrono::duration_cast<std::chrono::system_clock::duration>(1h);

} // namespace

pleo::sync_settings pleo_sync_settings(const config& cfg) {
  pleo::sync_settings s;
  s.api.api_url = cfg.pleo_api_url;
  s.api.oauth_client_id = cfg.pleo_oauth_client_id;
  s.api.oauth_client_secret = cfg.pleo_oauth_client_secret;
  s.requests_per_minute = cfg.pleo_requests_per_minute;
  s.clients_at_once = cfg.pleo_requests_in_flight;
  return s;
}

pleo::command_settings pleo_command_settings(const config& cfg) {
  return {cfg.db_path, cfg.secret_key, pleo_sync_settings(cfg)};
}

std::chrono::system_clock::time_point next_sync_at(std::chrono::system_clock::time_point last_start,
                                                   std::chrono::system_clock::duration last_duration,
                                                   std::chrono::system_clock::duration interval) {
  const auto by_interval = last_start + interval;
  const auto slot = std::chrono::system_clock::time_point(handlers::next_slot_after(last_start));
  // Room for a pass as long as the last one, with a margin; never more than the interval.
  const auto lead = std::min<std::chrono::system_clock::duration>(last_duration * 3 / 2 + 1min, interval);
  const auto before_slot = slot - lead;
  if (before_slot <= last_start) return by_interval; // the last pass was the one before this slot
  return std::min(by_interval, before_slot);
}

pleo_service::pleo_service(asio::io_context& io, store::database& db, const config& cfg, pleo::secret_key key,
                           clock_fn clock)
    : io_(io), db_(db), interval_(cfg.pleo_sync_interval), clock_(std::move(clock)),
      sync_(sync_io_, sync_http_, cfg.db_path, std::move(key), pleo_sync_settings(cfg), clock_),
      timer_(sync_io_), ended_(io, std::chrono::steady_clock::time_point::max()) {}

pleo_service::~pleo_service() {
  sync_io_.stop();
  if (thread_.joinable()) thread_.join();
}

void pleo_service::start() {
  if (running_) return;
  running_ = true;
  asio::co_spawn(sync_io_, loop(), [this](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("pleo sync stopped: {}", ex.what());
      }
    }
    // Told on the server's thread, where stop() waits for it.
    asio::post(io_, [this] {
      running_ = false;
      ended_.cancel();
    });
    sync_io_.stop(); // idle keep-alive connections would keep it running
  });
  thread_ = std::thread([this] { sync_io_.run(); });
}

asio::awaitable<void> pleo_service::loop() {
  while (!stopping_) {
    const auto started = clock_();
    const auto report =
        co_await sync_.run(std::nullopt, [](const pleo::client_outcome& o, const pleo::sync_progress&) {
          if (!o.ok)
            spdlog::warn("pleo sync: client {} ({}) failed: {}", o.client_id, o.client_name, o.error);
        });
    ++passes_;
    const auto took = clock_() - started;
    const double seconds = std::chrono::duration<double>(report.elapsed).count();
    last_duration_seconds_ = seconds;
    if (report.stopped)
      spdlog::info("pleo sync stopped after {} of {} clients",
                   report.ok + static_cast<int>(report.failed.size()), report.total);
    else if (report.total > 0)
      spdlog::info("pleo sync: {} of {} clients synced in {:.1f} s ({} requests){}", report.ok, report.total,
                   seconds, report.requests,
                   report.failed.empty() ? std::string() : fmt::format(", {} failed", report.failed.size()));

    const auto next = next_sync_at(started, took, interval_);
    while (!stopping_ && clock_() < next) {
      timer_.expires_after(
          std::min<std::chrono::system_clock::duration>(next - clock_(), longest_sync_sleep));
      boost::system::error_code ec;
      co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
}

asio::awaitable<void> pleo_service::stop() {
  stopping_ = true;
  asio::post(sync_io_, [this] {
    sync_.stop();
    timer_.cancel();
  });
  if (!running_) co_return;
  boost::system::error_code ec;
  co_await ended_.async_wait(asio::redirect_error(asio::use_awaitable, ec)); // cancelled when the loop ends
}

void pleo_service::collect_metrics(std::string& out) {
  write_metric(out, "partnerbot_pleo_syncs_total", "Pleo sync passes completed.", "counter", sync_.runs());
  write_metric(out, "partnerbot_pleo_client_syncs_total",
               "Clients whose figures a sync pass brought up to date.", "counter", sync_.client_successes());
  write_metric(out, "partnerbot_pleo_sync_failures_total", "Clients a sync pass could not update.", "counter",
               sync_.client_failures());
  write_metric(out, "partnerbot_pleo_requests_total", "Requests sent to Pleo, retries included.", "counter",
               sync_.requests());
  write_metric(out, "partnerbot_pleo_sync_in_progress", "1 while a sync pass runs.", "gauge",
               sync_.running() ? 1 : 0);
  write_metric(out, "partnerbot_pleo_last_sync_duration_seconds", "How long the last sync pass took.",
               "gauge", last_duration_seconds_.load());

  const auto summary = store::sync_states(db_).summary();
  write_metric(out, "partnerbot_pleo_credentials", "Clients with a Pleo credential.", "gauge",
               summary.credentials);
  write_metric(out, "partnerbot_pleo_clients_failing", "Clients whose last sync failed.", "gauge",
               summary.failing);
  if (auto oldest = handlers::parse_iso(summary.oldest_figures_at)) {
    const auto age = std::chrono::duration<double>(clock_() - *oldest).count();
    out += "# HELP partnerbot_pleo_oldest_figures_age_seconds Age of the oldest figures of a client with a "
           "credential.\n"
           "# TYPE partnerbot_pleo_oldest_figures_age_seconds gauge\n";
    out += fmt::format("partnerbot_pleo_oldest_figures_age_seconds {:.0f}\n", std::max(age, 0.0));
  }
}

} // namespace bot
