#include "bot/app.hpp"

#include "bot/background.hpp"
#include "bot/chat_requests.hpp"
#include "bot/heap_stats.hpp"
#include "bot/http/listener.hpp"
#include "bot/http_client.hpp"
#include "bot/metrics.hpp"
#include "bot/outbox_worker.hpp"
#include "bot/platforms.hpp"
#include "bot/pleo_service.hpp"
#include "bot/router.hpp"
#include "bot/scheduler.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/install.hpp"
#include "bot/slack/oauth.hpp"
#include "bot/slack/platform.hpp"
#include "bot/slack/routes.hpp"
#include "bot/slack/web_api.hpp"
#include "bot/store_thread.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/delivery.hpp"
#include "bot/teams/openid_keys.hpp"
#include "bot/teams/platform.hpp"
#include "bot/teams/routes.hpp"
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
    register_platform_routes();
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
      out += "# HELP partnerbot_database_engine The database engine this instance stores in.\n"
             "# TYPE partnerbot_database_engine gauge\n";
      out += fmt::format("partnerbot_database_engine{{engine=\"{}\"}} 1\n",
                         store::engine::name(db.engine_kind()));
      out += "# HELP partnerbot_db_connections Database connections this instance holds open (one per "
             "thread that works on the store).\n"
             "# TYPE partnerbot_db_connections gauge\n";
      out += fmt::format("partnerbot_db_connections {}\n", store::open_connections());
      const auto claims = store::outbox_claims();
      out += "# HELP partnerbot_outbox_claims_total Outbox rows this instance tried to claim: won, or lost "
             "to another deliverer that claimed them first.\n"
             "# TYPE partnerbot_outbox_claims_total counter\n";
      out += fmt::format("partnerbot_outbox_claims_total{{result=\"won\"}} {}\n", claims.won);
      out += fmt::format("partnerbot_outbox_claims_total{{result=\"lost\"}} {}\n", claims.lost);
    });
  }

  // ---- Client lists from memory. ---------------------------------------------
  // Every firm's read model is built before the server listens, so the first
  // answers are as fast as the rest; later changes are picked up by a
  // background rebuild while SQLite answers.
  void start_read_models() {
    db.share_read_models(models);
    store_work.share_read_models(models);
    try {
      models->prime(db);
    } catch (const std::exception& e) {
      spdlog::warn("client read models not built at start ({}); lists read SQLite until they are", e.what());
    }
    if (cfg.db_path != ":memory:") models->rebuild_in_background(cfg.db_path);
    if (db.engine_kind() == store::engine::kind::postgres) {
      // Another instance's writes: rebuild at once rather than at the next poll.
      changes = std::make_unique<store::generation_listener>(
          cfg.db_path, [m = models](const std::string& firm) { m->poke(firm); });
      stats.add_collector([this](std::string& out) {
        out += "# HELP partnerbot_db_notifications_total Change announcements received from other "
               "instances (and this one).\n"
               "# TYPE partnerbot_db_notifications_total counter\n";
        out += fmt::format("partnerbot_db_notifications_total {}\n", changes->received());
        out += "# HELP partnerbot_db_listen_reconnects_total Times the change listener lost its connection.\n"
               "# TYPE partnerbot_db_listen_reconnects_total counter\n";
        out += fmt::format("partnerbot_db_listen_reconnects_total {}\n", changes->reconnects());
        out += "# HELP partnerbot_db_listening Whether the change listener is connected.\n"
               "# TYPE partnerbot_db_listening gauge\n";
        out += fmt::format("partnerbot_db_listening {}\n", changes->listening() ? 1 : 0);
      });
    }
    stats.add_collector([this](std::string& out) { collect_read_model_metrics(out); });
    stats.add_collector(collect_heap_metrics);
  }

  void collect_read_model_metrics(std::string& out) const {
    const auto s = models->stats();
    out += "# HELP partnerbot_read_model_bytes Memory held by the firms' in-memory client read models.\n"
           "# TYPE partnerbot_read_model_bytes gauge\n";
    out += fmt::format("partnerbot_read_model_bytes {}\n", s.bytes);
    out += "# HELP partnerbot_read_model_max_bytes The read models' memory budget.\n"
           "# TYPE partnerbot_read_model_max_bytes gauge\n";
    out += fmt::format("partnerbot_read_model_max_bytes {}\n", s.max_bytes);
    out += "# HELP partnerbot_read_model_clients Clients held in read models.\n"
           "# TYPE partnerbot_read_model_clients gauge\n";
    out += fmt::format("partnerbot_read_model_clients {}\n", s.clients);
    out += "# HELP partnerbot_read_model_builds_total Read models built.\n"
           "# TYPE partnerbot_read_model_builds_total counter\n";
    out += fmt::format("partnerbot_read_model_builds_total {}\n", s.builds);
    out +=
        "# HELP partnerbot_read_model_built_on_request_total Answers that waited for their firm's model to "
        "be built.\n"
        "# TYPE partnerbot_read_model_built_on_request_total counter\n";
    out += fmt::format("partnerbot_read_model_built_on_request_total {}\n", s.built_on_request);
    out += "# HELP partnerbot_read_model_last_build_seconds Time the last read model took to build.\n"
           "# TYPE partnerbot_read_model_last_build_seconds gauge\n";
    out += fmt::format("partnerbot_read_model_last_build_seconds {:.6f}\n", s.last_build_seconds);
  }

  // ---- Platform routes: one line per platform adapter. ----------------------
  void register_platform_routes() {
    std::shared_ptr<slack::installer> slack_install;
    // Installations are readable with the secret key (Install from Slack needs one).
    slack_tokens = slack::installation_tokens_for(io, store_work, slack_api, cfg);
    if (slack_tokens)
      slack_install = std::make_shared<slack::installer>(slack::install_services{
          .cfg = cfg, .store = store_work, .api = slack_api, .tokens = *slack_tokens});
    for (auto& r : slack::make_routes(slack::services{.requests = requests,
                   .api = slack_api,
                   .background = follow_ups,
                   .signing_secret = cfg.slack_signing_secret,
                   .install = slack_install}))
      routes.add(r.method, r.path, std::move(r.handler));
    for (auto& r : teams::make_routes(teams::services{.requests = requests,
                   .store = store_work,
                   .api = teams_api,
                   .keys = teams_keys,
                   .background = follow_ups,
                   .outbox_wakeup = [this] { outbox.wake(); },
                   .app_id = cfg.microsoft_app_id,
                   .stats = &stats}))
      routes.add(r.method, r.path, std::move(r.handler));
  }

  // ---- Long-running services (outbox delivery, digest scheduler). -----------
  void add_services() {
    outbox.add_delivery(std::string{platforms::slack}, std::make_unique<slack::delivery>(slack_api));
    outbox.add_delivery(std::string{platforms::teams},
                        std::make_unique<teams::delivery>(teams_api, store_work, teams::message_activity));
    outbox.on_outcome(handlers::record_reminder_outcome);
    stats.add_collector([this](std::string& out) { outbox_worker::collect_metrics(db, out); });
    services.push_back({[this] { outbox.start(); }, [this] { return outbox.stop(); }});
    // The scheduler needs a second connection to the same file; an in-memory
    // database (tests) has no digests to schedule.
    if (cfg.db_path != ":memory:") {
      digests = std::make_unique<scheduler>(io, cfg.db_path, settings, [this] { outbox.wake(); });
      digests->before_pass([this]() -> asio::awaitable<void> {
        // Teams needs no lookup: its activities carry the locale.
        co_await requests.read_digest_locales(slack_profiles, digest_locale_wait);
      });
      services.push_back({[this] { digests->start(); }, [this] { return digests->stop(); }});
    }
    // Pleo sync: with a secret key to open the credentials, on its own connection (a file).
    if (auto key = pleo::secret_key::from_base64(cfg.secret_key); key && cfg.db_path != ":memory:") {
      pleo_sync = std::make_unique<pleo_service>(io, outbound, db, cfg, std::move(*key));
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
    if (!cfg.slack_configured()) spdlog::warn("{}; /slack/* answers 503", slack_not_configured_message);
    if (cfg.microsoft_app_id.empty())
      spdlog::warn("Teams is not configured: set MicrosoftAppId; /api/messages answers 503");
    else if (!teams_api.configuration_error().empty())
      spdlog::warn("Teams replies cannot be sent: {}", teams_api.configuration_error());
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
  slack::web_api slack_api{outbound, cfg.slack_api_url, cfg.slack_bot_token};
  std::unique_ptr<slack::installation_tokens> slack_tokens;
  teams::connector teams_api{io, outbound, teams::connector_settings_of(cfg)};
  teams::openid_keys teams_keys{io, outbound, cfg.botframework_openid_metadata};
  store_thread store_work{cfg.db_path, db};
  outbox_worker outbox{io, store_work};
  std::unique_ptr<scheduler> digests;
  std::unique_ptr<pleo_service> pleo_sync;
  background follow_ups;
  chat_requests requests{io, store_work, follow_ups, settings, [this] { outbox.wake(); }};
  // Slack as the step before a digest pass asks it for its recipients' locales.
  slack::platform slack_profiles{slack_api};
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
