// Two `partnerbot serve` processes on one PostgreSQL database: each digest
// DM of a slot is sent once whichever instance's pass or deliverer reaches
// it, and when one instance is killed with SIGKILL the other delivers the
// rest once the dead one's claims run out. Needs PARTNERBOT_TEST_PG
// (scripts/with-postgres); without it the tests warn and do nothing.

#include "bot/outbox_worker.hpp"
#include "bot/platforms.hpp"
#include "handlers/context.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/digests.hpp"
#include "store/database.hpp"
#include "store/engines.hpp"
#include "store/outbox.hpp"
#include "store/subscriptions.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/fake_slack.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <map>
#include <thread>

using namespace std::chrono_literals;
using namespace test_support;

namespace {

constexpr int instance_subscribers = 200;

std::string instance_member(int i) {
  return fmt::format("m-i{:03}", i);
}

// 200 bookkeepers with a client each, subscribed weekly.
std::string instance_firm() {
  std::string members, clients;
  for (int i = 1; i <= instance_subscribers; ++i) {
    members += fmt::format(R"({}{{"id": "{}", "name": "Bookkeeper {:03}", "email": "b{}@two.example",
                               "role": "bookkeeper", "slack_user_id": "UI{:03}"}})",
                           i > 1 ? "," : "", instance_member(i), i, i, i);
    clients += fmt::format(R"({}{{"id": "c-i{:03}", "name": "Kunde {:03} ApS", "status": "active",
        "wallet_balance": {{"amount": "1.00", "currency": "DKK"}}, "missing_receipts": 3, "ready_for_export": 1,
        "bookkeepers": ["{}"]}})",
                           i > 1 ? "," : "", i, i, instance_member(i));
  }
  return fmt::format(R"({{"partner": {{"id": "p-two", "name": "To Instanser ApS", "slack_team_id": "TTWO"}},
                          "synced_at": "2026-11-27T09:00:00Z", "members": [{}], "clients": [{}]}})",
                     members, clients);
}

// The first Monday after today, 10:30 UTC: a digest slot is due then.
handlers::instant slot_monday() {
  using namespace std::chrono;
  auto day = floor<days>(system_clock::now()) + days(1);
  while (weekday(day) != Monday)
    day += days(1);
  return day + hours(10) + minutes(30);
}

void prepare_firm(const std::string& where) {
  store::database db(where);
  REQUIRE(bot::import_snapshot(db, instance_firm(), "2026-11-27T09:00:00Z").ok);
  const auto created =
      handlers::to_iso(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  for (int i = 1; i <= instance_subscribers; ++i)
    store::subscriptions(db).set(store::subscription{instance_member(i), fmt::format("c-i{:03}", i), "",
                                                     store::frequency::weekly, "slack", created});
}

// Both instances' schedulers reach the slot at once: each runs the pass on
// its own connection. Returns the DMs each enqueued.
std::pair<int, int> passes_at_once(const std::string& where) {
  int first = 0, second = 0;
  auto pass = [&where](int& dms) {
    store::database db(where);
    handlers::settings settings;
    handlers::context ctx{db, settings};
    ctx.now = std::chrono::system_clock::now();
    dms = handlers::digest_pass(ctx, slot_monday()).dms;
  };
  std::thread a(pass, std::ref(first)), b(pass, std::ref(second));
  a.join();
  b.join();
  return {first, second};
}

std::map<std::string, int> digests_by_channel(const fake_slack& slack) {
  std::map<std::string, int> out;
  for (const auto& call : slack.calls_to("chat.postMessage")) {
    const std::string text(call.body.at("text").as_string());
    if (text.starts_with("Pleo digest")) ++out[std::string(call.body.at("channel").as_string())];
  }
  return out;
}

int total_of(const std::map<std::string, int>& m) {
  int n = 0;
  for (const auto& [k, v] : m)
    n += v;
  return n;
}

bot_process serve_on(const std::string& where, const fake_slack& slack) {
  return bot_process({"serve"}, {"PARTNERBOT_DB=" + where, "PARTNERBOT_LISTEN=127.0.0.1:0",
                                 "SLACK_SIGNING_SECRET=instances-test-secret", "SLACK_BOT_TOKEN=xoxb-two",
                                 "SLACK_API_URL=" + slack.base_url()});
}

std::int64_t pending_rows(const std::string& where) {
  store::database check(where);
  return store::outbox(check).counts().pending;
}

} // namespace

TEST_CASE("two instances on one PostgreSQL send each DM of a 200-subscription digest slot exactly once") {
  if (!store_test::test_postgres_uri()) {
    WARN("PARTNERBOT_TEST_PG is not set: the two-instance test is skipped");
    return;
  }
  const auto where = store_test::fresh_postgres_schema();
  prepare_firm(where);
  const auto [first, second] = passes_at_once(where);
  CHECK(first + second == instance_subscribers); // the slot is enqueued once, split however it fell

  fake_slack slack;
  slack.slow_down("chat.postMessage", 5ms);
  auto one = serve_on(where, slack);
  auto two = serve_on(where, slack);
  REQUIRE(one.wait_listening() != 0);
  REQUIRE(two.wait_listening() != 0);
  const bool drained = eventually([&] { return pending_rows(where) == 0; }, 40s, 50ms);
  INFO(one.log());
  INFO(two.log());
  CHECK(one.stop() == 0);
  CHECK(two.stop() == 0);
  REQUIRE(drained);

  const auto sent = digests_by_channel(slack);
  CHECK(sent.size() == static_cast<std::size_t>(instance_subscribers));
  CHECK(total_of(sent) == instance_subscribers);
  store::database check(where);
  const auto counts = store::outbox(check).counts();
  CHECK(counts.sent == instance_subscribers);
  CHECK(counts.failed == 0);
}

TEST_CASE("SIGKILL of one of two instances mid-slot: the other delivers the rest after the claim lease") {
  if (!store_test::test_postgres_uri()) {
    WARN("PARTNERBOT_TEST_PG is not set: the two-instance test is skipped");
    return;
  }
  const auto where = store_test::fresh_postgres_schema();
  prepare_firm(where);
  const auto [first, second] = passes_at_once(where);
  REQUIRE(first + second == instance_subscribers);

  fake_slack slack;
  slack.slow_down("chat.postMessage", 40ms);
  auto survivor = serve_on(where, slack);
  REQUIRE(survivor.wait_listening() != 0);
  std::map<std::string, int> at_kill;
  {
    auto victim = serve_on(where, slack);
    REQUIRE(victim.wait_listening() != 0);
    const bool under_way =
        eventually([&] { return total_of(digests_by_channel(slack)) >= instance_subscribers / 4; }, 20s, 5ms);
    victim.kill_hard();
    at_kill = digests_by_channel(slack);
    INFO(victim.log());
    REQUIRE(under_way);
  }
  CHECK(at_kill.size() < static_cast<std::size_t>(instance_subscribers));
  const bool drained = eventually([&] { return pending_rows(where) == 0; }, 60s, 100ms);
  INFO(survivor.log());
  CHECK(survivor.stop() == 0);
  REQUIRE(drained);

  const auto sent = digests_by_channel(slack);
  CHECK(sent.size() == static_cast<std::size_t>(instance_subscribers)); // nothing lost
  int repeated = 0;
  for (const auto& [channel, copies] : sent) {
    INFO(channel);
    CHECK(copies <= 2);
    if (copies > 1) ++repeated;
  }
  // Only sends in flight at the kill may repeat: at most the victim's delivery slots.
  CHECK(repeated <= bot::outbox_options{}.concurrency);
  store::database check(where);
  CHECK(store::outbox(check).counts().failed == 0);
}
