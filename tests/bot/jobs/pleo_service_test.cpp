// `serve` keeps the figures fresh: a sync at start-up and on schedule, its
// state on /metrics, chat requests answered while it waits on Pleo.

#include "bot/jobs/pleo_service.hpp"
#include "handlers/digest_schedule.hpp"
#include "store/sync_state.hpp"
#include "support/conditions.hpp"
#include "support/instants.hpp"
#include "support/pleo_firm.hpp"

#include <thread>

using namespace pleo_test;
using test_support::at;
using test_support::fake_fault;
using test_support::http_request;
using test_support::running_app;

namespace {

bot::config serve_config(const pleo_firm& f) {
  bot::config cfg;
  cfg.db_path = f.file.str();
  cfg.secret_key = test_key();
  cfg.pleo_api_url = f.api.base_url();
  cfg.pleo_requests_per_minute = 60000;
  return cfg;
}

// Polls /metrics until `line` shows up (or the time is up).
bool metrics_show(unsigned short port, const std::string& line, std::chrono::seconds within) {
  return test_support::eventually(
      [&] { return http_request(port, "GET", "/metrics").body.find(line) != std::string::npos; }, within);
}

} // namespace

TEST_CASE("serve syncs at start-up and shows syncs, failures and the oldest figures' age on /metrics") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  f.company("c-bravo", "Bravo ApS", quiet_entries(), 2);
  f.api.revoke_api_key(f.company_of["c-bravo"]);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  REQUIRE(f.add_credential("c-bravo", f.api_key_of["c-bravo"]) == 0);

  running_app app(serve_config(f), true);
  REQUIRE(metrics_show(app.port(), "partnerbot_pleo_syncs_total 1\n", std::chrono::seconds(10)));
  const auto metrics = http_request(app.port(), "GET", "/metrics").body;
  CHECK_THAT(metrics, Catch::Contains("partnerbot_pleo_client_syncs_total 1\n"));
  CHECK_THAT(metrics, Catch::Contains("partnerbot_pleo_sync_failures_total 1\n"));
  CHECK_THAT(metrics, Catch::Contains("partnerbot_pleo_clients_failing 1\n"));
  CHECK_THAT(metrics, Catch::Contains("partnerbot_pleo_credentials 2\n"));
  CHECK_THAT(metrics, Catch::Contains("# TYPE partnerbot_pleo_oldest_figures_age_seconds gauge\n"));
  // Bravo kept the snapshot's figures of 27 Nov: days old.
  const std::string sample = "\npartnerbot_pleo_oldest_figures_age_seconds ";
  const auto age_at = metrics.find(sample);
  REQUIRE(age_at != std::string::npos);
  CHECK(std::stod(metrics.substr(age_at + sample.size())) > 24 * 3600);
  CHECK(f.client("c-acme").missing_receipts == 1);
}

TEST_CASE("serve syncs again every PLEO_SYNC_INTERVAL") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  auto cfg = serve_config(f);
  cfg.pleo_sync_interval = std::chrono::seconds(1);
  running_app app(cfg, true);
  REQUIRE(metrics_show(app.port(), "partnerbot_pleo_syncs_total 3\n", std::chrono::seconds(10)));
  CHECK(f.api.count("company") >= 3);
  CHECK(f.api.count("introspect") == 1); // the company id is learned once
}

TEST_CASE("chat requests are answered while a sync waits on Pleo, and stopping cuts the wait short") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  f.api.script(f.company_of["c-acme"], {fake_fault::stall, "company", 0, std::chrono::milliseconds(20000)});
  running_app app(serve_config(f), true);
  REQUIRE(metrics_show(app.port(), "partnerbot_pleo_sync_in_progress 1\n", std::chrono::seconds(10)));
  for (int i = 0; i < 20; ++i) {
    const auto started = std::chrono::steady_clock::now();
    CHECK(http_request(app.port(), "GET", "/healthz").status == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(500));
  }
  CHECK(f.api.count("entries") == 0); // still waiting on the company
  const auto stopping = std::chrono::steady_clock::now();
  app.stop();
  CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(3));
  CHECK(app.exit_code() == 0);
  // Cut short by the stop, the client is not marked failing.
  store::database db(f.file.str());
  CHECK_FALSE(store::sync_states(db).find("c-acme"));
}

TEST_CASE("without PARTNERBOT_SECRET_KEY serve runs and does not sync") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  auto cfg = serve_config(f);
  cfg.secret_key.clear();
  running_app app(cfg, true);
  CHECK(http_request(app.port(), "GET", "/healthz").status == 200);
  CHECK(http_request(app.port(), "GET", "/metrics").body.find("partnerbot_pleo_") == std::string::npos);
  CHECK(f.api.requests().empty());
}

TEST_CASE("the next sync comes after the interval, or early enough to end before the next digest slot") {
  using namespace std::chrono_literals;
  // Monday 30 Nov 2026; the slot is 10:00 Copenhagen = 09:00 UTC.
  CHECK(bot::next_sync_at(at("2026-11-30T08:00:00Z"), 2min, 15min) == at("2026-11-30T08:15:00Z"));
  // The interval would pass the slot: start 1.5 x the last pass + 1 min before it.
  CHECK(bot::next_sync_at(at("2026-11-30T08:50:00Z"), 2min, 15min) == at("2026-11-30T08:56:00Z"));
  // That pass was the one before the slot: then the interval again.
  CHECK(bot::next_sync_at(at("2026-11-30T08:56:00Z"), 2min, 15min) == at("2026-11-30T09:11:00Z"));
  // A pass longer than the interval starts at most an interval early.
  CHECK(bot::next_sync_at(at("2026-11-30T08:40:00Z"), 20min, 15min) == at("2026-11-30T08:45:00Z"));
  // After the slot: the interval.
  CHECK(bot::next_sync_at(at("2026-11-30T09:30:00Z"), 2min, 1h) == at("2026-11-30T10:30:00Z"));
}
