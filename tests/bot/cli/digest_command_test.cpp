#include "bot/cli/digest_command.hpp"
#include "bot/jobs/scheduler.hpp"
#include "store/outbox.hpp"
#include "support/digest_firm.hpp"
#include "support/fake_slack.hpp"
#include "support/scheduler_run.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>

using digest_tests::at;
using digest_tests::digest_firm;
using namespace std::chrono_literals;

namespace {

bot::config config_for(const digest_firm& f, const test_support::fake_slack& slack) {
  bot::config cfg;
  cfg.db_path = f.path.str();
  cfg.slack_api_url = slack.base_url();
  cfg.slack_bot_token = "xoxb-test-token";
  return cfg;
}

} // namespace

TEST_CASE("digest run delivers the slot due at --at, and a second run sends nothing") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-anna", "c-zulu", store::frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-cy", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  test_support::fake_slack slack;
  const auto cfg = config_for(f, slack);

  // Monday 14:00 local catches up the 10:00 slot.
  CHECK(bot::run_digest_command(cfg, at("2026-11-30T13:00:00Z")) == 0);
  CHECK(slack.calls_to("chat.postMessage").size() == 2);
  const auto counts = store::outbox(*f.db).counts();
  CHECK(counts.sent == 2);
  CHECK(counts.failed == 1); // Cy has no chat identity
  CHECK(counts.pending == 0);

  CHECK(bot::run_digest_command(cfg, at("2026-11-30T15:00:00Z")) == 0);
  CHECK(slack.calls_to("chat.postMessage").size() == 2);
}

TEST_CASE("digest run before 10:00 Copenhagen sends nothing") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  test_support::fake_slack slack;
  CHECK(bot::run_digest_command(config_for(f, slack), at("2026-11-30T08:00:00Z")) == 0); // 09:00 local
  CHECK(slack.calls().empty());
  CHECK(store::outbox(*f.db).counts().pending == 0);
}

TEST_CASE("the scheduler runs a catch-up pass when it starts") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  boost::asio::io_context io{1};
  std::atomic<int> wakeups{0};
  const auto monday_noon = at("2026-11-30T11:00:00Z");
  bot::scheduler s(
      io, f.path.str(), f.settings, [&] { ++wakeups; }, [monday_noon] { return monday_noon; });
  test_support::run_first_pass(io, s);
  CHECK(s.passes() == 1);
  CHECK(wakeups > 0);
  CHECK(store::outbox(*f.db).counts().pending == 1);
}
