// The whole app over a real socket: its own routes, metrics and lifecycle.

#include "support/running_app.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using test_support::http_request;
using test_support::running_app;

TEST_CASE("healthz answers ok while the database is reachable") {
  running_app app(bot::config{});
  auto reply = http_request(app.port(), "GET", "/healthz");
  CHECK(reply.status == 200);
  CHECK(reply.body == "ok\nengine: sqlite\nwritable: yes\n");
  CHECK(http_request(app.port(), "POST", "/healthz").status == 405);
}

TEST_CASE("metrics are Prometheus text counting requests by route and status") {
  running_app app(bot::config{});
  http_request(app.port(), "GET", "/healthz");
  http_request(app.port(), "GET", "/healthz");
  http_request(app.port(), "GET", "/no-such-page");
  auto reply = http_request(app.port(), "GET", "/metrics");
  CHECK(reply.status == 200);
  CHECK(reply.content_type.rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(reply.body.find("partnerbot_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n") !=
        std::string::npos);
  CHECK(reply.body.find("partnerbot_http_requests_total{route=\"other\",status=\"404\"} 1\n") !=
        std::string::npos);
  CHECK(reply.body.find(
            "partnerbot_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n") !=
        std::string::npos);
  CHECK(reply.body.find("partnerbot_process_start_time_seconds ") != std::string::npos);
}

TEST_CASE("the app starts and stops cleanly with exit code 0") {
  const auto started = std::chrono::steady_clock::now();
  running_app app(bot::config{});
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  CHECK(http_request(app.port(), "GET", "/healthz").status == 200);
  const auto stopping = std::chrono::steady_clock::now();
  app.stop();
  CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(2));
  CHECK(app.exit_code() == 0);
  app.stop(); // idempotent
}

TEST_CASE("two apps on the same database file serve side by side") {
  test_support::temp_path db(".db");
  bot::config cfg;
  cfg.db_path = db.str();
  running_app first(cfg, true);
  running_app second(cfg, true);
  CHECK(first.port() != second.port());
  CHECK(http_request(first.port(), "GET", "/healthz").status == 200);
  CHECK(http_request(second.port(), "GET", "/healthz").status == 200);
}
