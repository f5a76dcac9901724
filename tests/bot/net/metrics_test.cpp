#include "bot/net/metrics.hpp"
#include "support/conditions.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

using test_support::contains;

namespace {} // namespace

TEST_CASE("metrics count requests by route and status") {
  bot::metrics m;
  m.observe_request("/healthz", 200, 1ms);
  m.observe_request("/healthz", 200, 2ms);
  m.observe_request("/healthz", 503, 1ms);
  m.count_request("other", 404);
  const auto text = m.render();
  CHECK(contains(text, "# TYPE partnerbot_http_requests_total counter\n"));
  CHECK(contains(text, "partnerbot_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"));
  CHECK(contains(text, "partnerbot_http_requests_total{route=\"/healthz\",status=\"503\"} 1\n"));
  CHECK(contains(text, "partnerbot_http_requests_total{route=\"other\",status=\"404\"} 1\n"));
}

TEST_CASE("the latency histogram is cumulative and ends with +Inf, sum and count") {
  bot::metrics m;
  m.observe_request("/x", 200, 300us); // <= 0.0005
  m.observe_request("/x", 200, 3ms);   // <= 0.005
  m.observe_request("/x", 200, 10s);   // only +Inf
  const auto text = m.render();
  CHECK(contains(text, "# TYPE partnerbot_http_request_duration_seconds histogram\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.0005\"} 1\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.0025\"} 1\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_bucket{route=\"/x\",le=\"0.005\"} 2\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_bucket{route=\"/x\",le=\"2.5\"} 2\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_count{route=\"/x\"} 3\n"));
  CHECK(contains(text, "partnerbot_http_request_duration_seconds_sum{route=\"/x\"} 10.003300\n"));
}

TEST_CASE("metrics carry the process start time and lines added by collectors") {
  bot::metrics m;
  m.add_collector(
      [](std::string& out) { out += "# TYPE partnerbot_outbox_depth gauge\npartnerbot_outbox_depth 7\n"; });
  const auto text = m.render();
  CHECK(contains(
      text, "# TYPE partnerbot_process_start_time_seconds gauge\npartnerbot_process_start_time_seconds 1"));
  CHECK(contains(text, "partnerbot_outbox_depth 7\n"));
}

TEST_CASE("label values are escaped") {
  bot::metrics m;
  m.count_request("a\"b\\c", 200);
  CHECK(contains(m.render(), "route=\"a\\\"b\\\\c\""));
}
