// Two `partnerbot serve` processes on one PostgreSQL database: each digest
// DM of a slot is sent once whichever instance's pass or deliverer reaches
// it; when one instance is killed with SIGKILL the other delivers the rest
// once the dead one's claims run out; an import is answered by both within
// a second; a reminder form submitted to both at once is sent once. Needs
// PARTNERBOT_TEST_PG (scripts/with-postgres); without it the tests warn and
// do nothing.

#include "bot/cli/platform_list.hpp"
#include "bot/jobs/outbox_worker.hpp"
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
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <thread>

using namespace std::chrono_literals;
using namespace test_support;

namespace {

constexpr int instance_subscribers = 200;
constexpr const char* instance_secret = "instances-test-secret";

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

// Without PARTNERBOT_TEST_PG the two-instance tests warn and do nothing.
bool instances_postgres_missing() {
  if (store_test::test_postgres_uri()) return false;
  WARN("PARTNERBOT_TEST_PG is not set: the two-instance test is skipped");
  return true;
}

// How many messages whose text `matches` each channel was sent.
template <class Matches>
std::map<std::string, int> posts_by_channel(const fake_slack& slack, Matches matches) {
  std::map<std::string, int> out;
  for (const auto& call : slack.calls_to("chat.postMessage"))
    if (matches(std::string(call.body.at("text").as_string())))
      ++out[std::string(call.body.at("channel").as_string())];
  return out;
}

std::map<std::string, int> digests_by_channel(const fake_slack& slack) {
  return posts_by_channel(slack, [](const std::string& text) { return text.starts_with("Pleo digest"); });
}

int total_of(const std::map<std::string, int>& m) {
  int n = 0;
  for (const auto& [k, v] : m)
    n += v;
  return n;
}

bot_process serve_on(const std::string& where, const fake_slack& slack) {
  return bot_process({"serve"}, {"PARTNERBOT_DB=" + where, "PARTNERBOT_LISTEN=127.0.0.1:0",
                                 "SLACK_SIGNING_SECRET=" + std::string(instance_secret),
                                 "SLACK_BOT_TOKEN=xoxb-two", "SLACK_API_URL=" + slack.base_url()});
}

// Both instances exit cleanly, and what they were to do is done.
void stop_both(bot_process& one, bot_process& two, bool done) {
  INFO(one.log());
  INFO(two.log());
  CHECK(one.stop() == 0);
  CHECK(two.stop() == 0);
  REQUIRE(done);
}

std::int64_t pending_rows(const std::string& where) {
  store::database check(where);
  return store::outbox(check).counts().pending;
}

} // namespace

TEST_CASE("two instances on one PostgreSQL send each DM of a 200-subscription digest slot exactly once") {
  if (instances_postgres_missing()) return;
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
  stop_both(one, two, eventually([&] { return pending_rows(where) == 0; }, 40s, 50ms));

  const auto sent = digests_by_channel(slack);
  CHECK(sent.size() == static_cast<std::size_t>(instance_subscribers));
  CHECK(total_of(sent) == instance_subscribers);
  store::database check(where);
  const auto counts = store::outbox(check).counts();
  CHECK(counts.sent == instance_subscribers);
  CHECK(counts.failed == 0);
}

TEST_CASE("SIGKILL of one of two instances mid-slot: the other delivers the rest after the claim lease") {
  if (instances_postgres_missing()) return;
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

namespace {

// An admin and one client that three bookkeepers look after; `extra_client`
// adds a second client (the same firm imported again, one client larger).
std::string two_instance_firm(bool extra_client) {
  std::string members =
      R"({"id": "m-boss", "name": "Bodil Boss", "email": "boss@two.example", "role": "admin",
          "slack_user_id": "UBOSS"})";
  for (int i = 1; i <= 3; ++i)
    members += fmt::format(R"(, {{"id": "m-r{}", "name": "Bogholder {}", "email": "r{}@two.example",
                               "role": "bookkeeper", "slack_user_id": "UR{}"}})",
                           i, i, i, i);
  std::string clients = R"({"id": "c-shared", "name": "Fælles Fjord ApS", "status": "active",
      "wallet_balance": {"amount": "10.00", "currency": "DKK"}, "missing_receipts": 4, "ready_for_export": 1,
      "bookkeepers": ["m-r1", "m-r2", "m-r3"]})";
  if (extra_client)
    clients += R"(, {"id": "c-new", "name": "Nyankomne Nordlys ApS", "status": "active",
      "wallet_balance": {"amount": "5.00", "currency": "DKK"}, "missing_receipts": 2, "ready_for_export": 0,
      "bookkeepers": ["m-r1"]})";
  return fmt::format(R"({{"partner": {{"id": "p-rem", "name": "Påmindelser ApS", "slack_team_id": "TREM"}},
                          "synced_at": "2026-11-27T09:00:00Z", "members": [{}], "clients": [{}]}})",
                     members, clients);
}

http_reply instance_post(unsigned short port, const std::string& path, const std::string& body) {
  return http_request(port, "POST", path, body, slack_headers(instance_secret, body));
}

// The admin's `search` answer from one instance, as text.
std::string search_from(unsigned short port, const std::string& words) {
  command_fields cmd;
  cmd.text = "search " + words;
  cmd.team_id = "TREM";
  cmd.user_id = "UBOSS";
  const auto r = instance_post(port, "/slack/commands", command_body(cmd));
  return r.status == 200 ? r.body : std::string{};
}

std::map<std::string, int> reminders_by_channel(const fake_slack& slack) {
  return posts_by_channel(slack, [](const std::string& text) {
    return text.find("asks you to look at Fælles Fjord ApS") != std::string::npos;
  });
}

// A fresh schema with the two-instance firm (without its extra client) imported.
std::string schema_with_two_instance_firm() {
  const auto where = store_test::fresh_postgres_schema();
  store::database db(where);
  REQUIRE(bot::import_snapshot(db, two_instance_firm(false), "2026-11-27T09:00:00Z").ok);
  return where;
}

struct instance_ports {
  unsigned short one = 0;
  unsigned short two = 0;
};

// The ports both instances listen on, once they do.
instance_ports listening_ports(bot_process& one, bot_process& two) {
  const instance_ports ports{one.wait_listening(), two.wait_listening()};
  REQUIRE(ports.one != 0);
  REQUIRE(ports.two != 0);
  return ports;
}

// Two instances serving a schema that holds the two-instance firm, on one fake Slack.
struct two_instances {
  std::string where = schema_with_two_instance_firm();
  fake_slack slack;
  bot_process one = serve_on(where, slack);
  bot_process two = serve_on(where, slack);
  instance_ports port = listening_ports(one, two);
};

std::int64_t metric_value(unsigned short port, const std::string& name) {
  const auto r = http_request(port, "GET", "/metrics");
  const auto at = r.body.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(r.body.substr(at + name.size() + 2));
}

} // namespace

TEST_CASE("an import written beside two instances on one PostgreSQL is answered by both within a second") {
  if (instances_postgres_missing()) return;
  two_instances t;
  // Both have answered from their models before the import.
  CHECK(search_from(t.port.one, "Nyankomne").find("Nyankomne Nordlys") == std::string::npos);
  CHECK(search_from(t.port.two, "Nyankomne").find("Nyankomne Nordlys") == std::string::npos);
  const auto announced_before = metric_value(t.port.two, "partnerbot_db_notifications_total");

  // The snapshot imported by `partnerbot import` on the same database, as a firm's imports run.
  temp_path snapshot(".json");
  std::ofstream(snapshot.str()) << two_instance_firm(true);
  {
    bot_process import({"import", snapshot.str()}, {"PARTNERBOT_DB=" + t.where});
    const bool done =
        eventually([&] { return import.log().find("imported partner") != std::string::npos; }, 20s);
    INFO(import.log());
    REQUIRE(done);
    REQUIRE(import.stop(20s) == 0);
  }
  const auto imported = std::chrono::steady_clock::now();
  const bool on_two = eventually(
      [&] { return search_from(t.port.two, "Nyankomne").find("Nyankomne Nordlys") != std::string::npos; }, 1s,
      20ms);
  const auto took = std::chrono::steady_clock::now() - imported;
  INFO(t.two.log());
  CHECK(on_two);
  CHECK(took < 1s);
  CHECK(search_from(t.port.one, "Nyankomne").find("Nyankomne Nordlys") != std::string::npos);
  // The other instance heard of it by notification, not only by its periodic check.
  CHECK(eventually(
      [&] { return metric_value(t.port.two, "partnerbot_db_notifications_total") > announced_before; }, 5s));
  CHECK(t.one.stop() == 0);
  CHECK(t.two.stop() == 0);
}

TEST_CASE("a reminder form submitted to two instances at once is recorded and sent once") {
  if (instances_postgres_missing()) return;
  two_instances t;

  command_fields cmd;
  cmd.text = "remind Fælles Fjord";
  cmd.team_id = "TREM";
  cmd.user_id = "UBOSS";
  REQUIRE(instance_post(t.port.one, "/slack/commands", command_body(cmd)).status == 200);
  REQUIRE(t.slack.wait_for("views.open", 1, 5s));
  const auto view = t.slack.calls_to("views.open").back().body.at("view").as_object();
  const std::string metadata(view.at("private_metadata").as_string());
  const auto body = interaction_body(view_submission_payload(
      "TREM", "UBOSS", "reminder", metadata, {{"tasks", "checkboxes", {"missing_receipts"}}}, "VTWO1", "h1"));

  // The same submission reaches both instances at the same moment (a retry
  // that a load balancer sent to the other one).
  http_reply first, second;
  std::thread a([&] { first = instance_post(t.port.one, "/slack/interactions", body); });
  std::thread b([&] { second = instance_post(t.port.two, "/slack/interactions", body); });
  a.join();
  b.join();
  CHECK(first.status == 200);
  CHECK(second.status == 200);

  stop_both(
      t.one, t.two,
      eventually([&] { return reminders_by_channel(t.slack).size() == 3 && pending_rows(t.where) == 0; }, 20s,
                 50ms));
  const auto sent = reminders_by_channel(t.slack);
  CHECK(sent.size() == 3);
  for (const auto& [channel, copies] : sent) {
    INFO(channel);
    CHECK(copies == 1);
  }
  store::database check(t.where);
  CHECK(store_test::scalar(check, "SELECT count(*) FROM reminders") == 1);
  CHECK(store_test::scalar(check, "SELECT count(*) FROM reminder_recipients") == 3);
}
