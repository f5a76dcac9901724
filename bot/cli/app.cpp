#include "bot/cli/app.hpp"

#include "bot/chat/platforms.hpp"
#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/heap_stats.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/jobs/home_refresher.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "bot/jobs/pleo_service.hpp"
#include "bot/jobs/scheduler.hpp"
#include "bot/net/background.hpp"
#include "bot/net/http_client.hpp"
#include "bot/net/listener.hpp"
#include "bot/net/metrics.hpp"
#include "bot/net/router.hpp"
#include "handlers/context.hpp"
#include "handlers/language.hpp"
#include "handlers/reminders.hpp"
#include "store/database.hpp"
#include "store/db_figures.hpp"
#include "store/notifications.hpp"
#include "store/read_model.hpp"
#include "store/sync_state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <spdlog/spdlog.h>
#include <vector>

namespace bot {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

namespace {

// Shutdown budget (DESIGN.md: exit within 10 seconds of SIGTERM).
constexpr auto shutdown_budget = 9500ms;
constexpr auto request_grace = 5000ms;

} // namespace

struct app::impl {
  // A long-running service: started once the server listens, stopped after
  // requests and follow-ups have finished. `stop` completes when it has.
  struct service {
    std::function<void()> start;
    std::function<asio::awaitable<void>()> stop;
  };

  explicit impl(config c)
      : cfg(std::move(c)), db(cfg.db_path), outbound(io), follow_ups(io), routes(stats),
        server(
            io, http::limits{.request_timeout = cfg.request_timeout, .max_connections = cfg.max_connections},
            [this](http::request& req) { return routes.dispatch(req); },
            [this](std::string_view method, std::string_view target, unsigned status) {
              routes.record_rejection(method, target, status);
            }),
        signals(io, SIGINT, SIGTERM), watchdog(io) {
    settings.portal_url_template = cfg.portal_url;
    settings.default_language = handlers::parse_language(cfg.language).value_or(handlers::language::en);
    start_read_models();
    add_own_routes();
    start_platforms();
    add_services();
  }

  void add_own_routes() {
    routes.add(
        bhttp::verb::get, "/healthz", [this](const http::request& req) -> asio::awaitable<http::response> {
          if (!db.reachable())
            co_return http::make_response(req, bhttp::status::service_unavailable, "database unreachable\n");
          // The first line says it all; the next ones say which database and whether it takes writes.
          const std::string engine = fmt::format("engine: {}\n", store::engine::name(db.engine_kind()));
          if (auto failure = write_health())
            co_return http::make_response(req, bhttp::status::service_unavailable,
                                          "database not writable: " + *failure + "\n" + engine +
                                              "writable: no\n");
          co_return http::make_response(req, bhttp::status::ok, "ok\n" + engine + "writable: yes\n");
        });
    routes.add(bhttp::verb::get, "/metrics",
               [this](const http::request& req) -> asio::awaitable<http::response> {
                 co_return http::make_response(req, bhttp::status::ok, stats.render(), metrics::content_type);
               });
    stats.add_collector([this](std::string& out) { server.collect_metrics(out); });
    stats.add_collector([this](std::string& out) {
      write_metric_header(out, "partnerbot_database_engine", "The database engine this instance stores in.",
                          "gauge");
      out += fmt::format("partnerbot_database_engine{{engine=\"{}\"}} 1\n",
                         store::engine::name(db.engine_kind()));
      write_metric(out, "partnerbot_db_connections",
                   "Database connections this instance holds open (one per thread that works on the store).",
                   "gauge", store::open_connections());
      const auto claims = store::outbox_claims();
      write_metric_header(out, "partnerbot_outbox_claims_total",
                          "Outbox rows this instance tried to claim: won, or lost to another deliverer that "
                          "claimed them first.",
                          "counter");
      out += fmt::format("partnerbot_outbox_claims_total{{result=\"won\"}} {}\n", claims.won);
      out += fmt::format("partnerbot_outbox_claims_total{{result=\"lost\"}} {}\n", claims.lost);
    });
  }

  // ---- Client lists from memory. ---------------------------------------------
  // The server listens at once: every firm's read model is built on the
  // read-model thread right after start, and a request for a firm not built
  // yet waits for that build (a large firm takes seconds). Later changes are
  // picked up by a background rebuild while SQLite answers. An in-memory
  // database has no second connection for that thread: its models are built
  // here, before serving.
  void start_read_models() {
    db.share_read_models(models);
    store_work.share_read_models(models);
    if (cfg.db_path != ":memory:") models->rebuild_in_background(cfg.db_path);
    try {
      models->prime_in_background(db);
    } catch (const std::exception& e) {
      spdlog::warn("client read models not built at start ({}); each is built when first asked for",
                   e.what());
    }
    if (db.engine_kind() == store::engine::kind::postgres) {
      // Another instance's writes: rebuild at once rather than at the next poll.
      changes = std::make_unique<store::generation_listener>(
          cfg.db_path, [m = models](const std::string& firm) { m->poke(firm); });
      stats.add_collector([this](std::string& out) {
        write_metric(out, "partnerbot_db_notifications_total",
                     "Change announcements received from other instances (and this one).", "counter",
                     changes->received());
        write_metric(out, "partnerbot_db_listen_reconnects_total",
                     "Times the change listener lost its connection.", "counter", changes->reconnects());
        write_metric(out, "partnerbot_db_listening", "Whether the change listener is connected.", "gauge",
                     changes->listening() ? 1 : 0);
      });
    }
    stats.add_collector([this](std::string& out) { collect_read_model_metrics(out); });
    stats.add_collector(collect_heap_metrics);
  }

  void collect_read_model_metrics(std::string& out) const {
    const auto s = models->stats();
    write_metric(out, "partnerbot_read_model_bytes",
                 "Memory held by the firms' in-memory client read models.", "gauge", s.bytes);
    write_metric(out, "partnerbot_read_model_max_bytes", "The read models' memory budget.", "gauge",
                 s.max_bytes);
    write_metric(out, "partnerbot_read_model_clients", "Clients held in read models.", "gauge", s.clients);
    write_metric(out, "partnerbot_read_model_builds_total", "Read models built.", "counter", s.builds);
    write_metric(out, "partnerbot_read_model_built_on_request_total",
                 "Answers that waited for their firm's model to be built.", "counter", s.built_on_request);
    write_metric(out, "partnerbot_read_model_awaited_start_total",
                 "Answers that waited for their firm's model to be built at start-up.", "counter",
                 s.awaited_start);
    write_metric(out, "partnerbot_read_model_start_pending",
                 "Firms whose read model is still to be built at start-up.", "gauge", s.start_pending);
    write_metric(out, "partnerbot_read_model_last_build_seconds", "Time the last read model took to build.",
                 "gauge", static_cast<double>(s.last_build_seconds));
  }

  // ---- The chat platforms: each mounts its routes and delivers its rows. ----
  void start_platforms() {
    for (const auto* platform : chat_platforms()) {
      auto running = platform->start(host);
      running->mount(routes);
      outbox.add_delivery(std::string{platform->name}, running->make_delivery());
      platforms_running.push_back(std::move(running));
    }
  }

  // ---- Long-running services (outbox delivery, digest scheduler). -----------
  void add_services() {
    outbox.on_outcome(handlers::record_reminder_outcome);
    stats.add_collector([this](std::string& out) { outbox_worker::collect_metrics(db, out); });
    services.push_back({[this] { outbox.start(); }, [this] { return outbox.stop(); }});
    stats.add_collector([this](std::string& out) { homes.collect_metrics(out); });
    services.push_back({[this] { homes.start(); }, [this] { return homes.stop(); }});
    // The scheduler needs a second connection to the same file; an in-memory
    // database (tests) has no digests to schedule.
    if (cfg.db_path != ":memory:") {
      digests = std::make_unique<scheduler>(io, cfg.db_path, settings, [this] { outbox.wake(); });
      digests->before_pass([this]() -> asio::awaitable<void> {
        for (auto& running : platforms_running)
          co_await running->before_digest_pass(digest_locale_wait);
      });
      services.push_back({[this] { digests->start(); }, [this] { return digests->stop(); }});
    }
    // Pleo sync: with a secret key to open the credentials, on its own connection (a file).
    if (auto key = pleo::secret_key::from_base64(cfg.secret_key); key && cfg.db_path != ":memory:") {
      pleo_sync = std::make_unique<pleo_service>(io, db, cfg, std::move(*key));
      stats.add_collector([this](std::string& out) { pleo_sync->collect_metrics(out); });
      services.push_back({[this] { pleo_sync->start(); }, [this] { return pleo_sync->stop(); }});
    }
  }

  int run() {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(cfg.listen_host), cfg.listen_port);
    try {
      server.listen(endpoint);
    } catch (const boost::system::system_error& e) {
      spdlog::error("cannot listen on {}: {}", format_endpoint(endpoint), e.code().message());
      return 1;
    }
    bound = server.local_endpoint();
    server.start();
    signals.async_wait([this](boost::system::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("received {}, shutting down", signal == SIGTERM ? "SIGTERM" : "SIGINT");
      begin_shutdown();
    });
    for (auto& s : services)
      s.start();

    spdlog::info("database: {} ({})", store::engine::redacted(cfg.db_path),
                 store::engine::name(db.engine_kind()));
    spdlog::info("listening on http://{}", format_endpoint(bound));
    for (const auto& running : platforms_running)
      running->warn_if_not_configured();
    if (!pleo_sync && cfg.secret_key.empty() && store::sync_states(db).summary().credentials > 0)
      spdlog::warn("{}; Pleo sync is off", pleo::missing_key_message);
    for (auto& callback : ready_callbacks)
      callback();

    io.run();
    spdlog::info("stopped");
    return 0;
  }

  void begin_shutdown() {
    if (stopping) return;
    stopping = true;
    watchdog.expires_after(shutdown_budget);
    watchdog.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      spdlog::warn("shutdown took too long; stopping now");
      io.stop();
    });
    asio::co_spawn(io, shutdown(), asio::detached);
  }

  asio::awaitable<void> shutdown() {
    using namespace asio::experimental::awaitable_operators;
    const auto deadline = std::chrono::steady_clock::now() + shutdown_budget - 500ms;
    boost::system::error_code ignored;
    signals.cancel(ignored);
    co_await server.shutdown(request_grace);
    co_await follow_ups.drain(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::max(std::chrono::steady_clock::duration::zero(), deadline - std::chrono::steady_clock::now())));
    for (auto& s : services) {
      asio::steady_timer limit(io, deadline);
      co_await (s.stop() || limit.async_wait(asio::use_awaitable));
    }
    io.stop();
  }

  // A full disk or a read-only file still answers reads: /healthz also
  // tries a write, at most once a second however often it is asked.
  std::optional<std::string> write_health() {
    const auto now = std::chrono::steady_clock::now();
    if (now - write_probed >= 1s) {
      write_probed = now;
      write_failure = db.write_failure();
    }
    return write_failure;
  }

  static std::string format_endpoint(const asio::ip::tcp::endpoint& ep) {
    const auto address = ep.address();
    return address.is_v6() ? fmt::format("[{}]:{}", address.to_string(), ep.port())
                           : fmt::format("{}:{}", address.to_string(), ep.port());
  }

  config cfg;
  asio::io_context io{1};
  store::database db;
  std::shared_ptr<store::read_models> models = std::make_shared<store::read_models>();
  std::unique_ptr<store::generation_listener> changes; // PostgreSQL: other instances' writes
  handlers::settings settings;
  http_client outbound; // platform API calls (Slack Web API, response_url, Bot Connector)
  store_thread store_work{cfg.db_path, db};
  // Before the outbox, which holds their deliveries: destroyed after it.
  std::vector<std::unique_ptr<platform_runtime>> platforms_running;
  outbox_worker outbox{io, store_work};
  std::unique_ptr<scheduler> digests;
  std::unique_ptr<pleo_service> pleo_sync;
  background follow_ups;
  chat_requests requests{io, store_work, follow_ups, settings, [this] { outbox.wake(); }};
  // Opened homes, republished when what they show changes.
  home_refresher homes{io, store_work, settings,
                       home_refresher_options{.check_interval = cfg.home_check_interval,
                                              .republish_interval = cfg.home_republish_interval}};
  platform_host host{io,     cfg,   outbound, store_work, requests, follow_ups, [this] { outbox.wake(); },
                     &stats, &homes};
  metrics stats;
  router routes;
  http::listener server;
  asio::signal_set signals;
  asio::steady_timer watchdog;
  std::vector<service> services;
  std::vector<std::function<void()>> ready_callbacks;
  asio::ip::tcp::endpoint bound;
  bool stopping = false;
  std::chrono::steady_clock::time_point write_probed{};
  std::optional<std::string> write_failure;
};

app::app(config cfg) : impl_(std::make_unique<impl>(std::move(cfg))) {}

app::~app() = default;

int app::run() {
  return impl_->run();
}

void app::stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->begin_shutdown(); });
}

asio::ip::tcp::endpoint app::local_endpoint() const {
  return impl_->bound;
}

void app::on_ready(std::function<void()> callback) {
  impl_->ready_callbacks.push_back(std::move(callback));
}

} // namespace bot
