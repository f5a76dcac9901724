// `partnerbot serve` as a child process, killed with SIGKILL while it
// delivers a digest slot and a reminder to a slow Slack, then started
// again: every message arrives, none is lost, and only a send in flight at
// the instant of the kill may arrive twice.

#include "bot/cli/platform_list.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "handlers/context.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/digests.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/fake_slack.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

constexpr const char* crash_secret = "crash-test-signing-secret";
constexpr int bookkeepers = 24;
constexpr int reminded = 12; // bookkeepers of the reminded client

std::string bookkeeper_id(int i) {
  return fmt::format("m-b{:02}", i);
}
std::string bookkeeper_user(int i) {
  return fmt::format("UB{:02}", i);
}

// An admin, 24 bookkeepers with a client each, and one client that the
// first 12 look after together.
std::string firm_snapshot() {
  std::string members =
      R"({"id": "m-admin", "name": "Ada Admin", "email": "ada@crash.example", "role": "admin",
                            "slack_user_id": "UADMIN"})";
  std::string clients = R"({"id": "c-shared", "name": "Fælles Kunde ApS", "status": "active",
      "wallet_balance": {"amount": "100.00", "currency": "DKK"}, "missing_receipts": 5, "ready_for_export": 2,
      "bookkeepers": [)";
  for (int i = 1; i <= reminded; ++i)
    clients += fmt::format("{}\"{}\"", i > 1 ? "," : "", bookkeeper_id(i));
  clients += "]}";
  for (int i = 1; i <= bookkeepers; ++i) {
    members += fmt::format(R"(, {{"id": "{}", "name": "Bookkeeper {}", "email": "b{}@crash.example",
                               "role": "bookkeeper", "slack_user_id": "{}"}})",
                           bookkeeper_id(i), i, i, bookkeeper_user(i));
    clients += fmt::format(R"(, {{"id": "c-{:02}", "name": "Client {:02} ApS", "status": "active",
        "wallet_balance": {{"amount": "1.00", "currency": "DKK"}}, "missing_receipts": {}, "ready_for_export": 1,
        "bookkeepers": ["{}"]}})",
                           i, i, i, bookkeeper_id(i));
  }
  return fmt::format(
      R"({{"partner": {{"id": "p-crash", "name": "Crash Revision ApS", "slack_team_id": "TCRASH"}},
                          "synced_at": "2026-11-27T09:00:00Z", "members": [{}], "clients": [{}]}})",
      members, clients);
}

// The first Monday after today, 10:30 UTC: a digest slot is due then.
handlers::instant next_monday() {
  using namespace std::chrono;
  const auto today = floor<days>(system_clock::now());
  auto day = today + days(1);
  while (weekday(day) != Monday)
    day += days(1);
  return day + hours(10) + minutes(30);
}

// A database with the firm imported, every bookkeeper subscribed weekly to
// their client, and the digest slot of next Monday enqueued (due now).
void prepare(const std::string& path) {
  store::database db(path);
  REQUIRE(bot::import_snapshot(db, firm_snapshot(), "2026-11-27T09:00:00Z").ok);
  const auto created =
      handlers::to_iso(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  for (int i = 1; i <= bookkeepers; ++i)
    store::subscriptions(db).set(store::subscription{bookkeeper_id(i), fmt::format("c-{:02}", i), "",
                                                     store::frequency::weekly, "slack", created});
  handlers::settings settings;
  handlers::context ctx{db, settings};
  ctx.now = std::chrono::system_clock::now();
  const auto counts = handlers::digest_pass(ctx, next_monday());
  REQUIRE(counts.dms == bookkeepers);
}

struct delivered {
  std::map<std::string, int> digests;   // DM channel -> copies
  std::map<std::string, int> reminders; // DM channel -> copies
  static int total(const std::map<std::string, int>& copies) {
    int n = 0;
    for (const auto& [channel, count] : copies)
      n += count;
    return n;
  }
  int total_digests() const { return total(digests); }
  int total_reminders() const { return total(reminders); }
};

delivered delivered_to(const fake_slack& slack) {
  delivered out;
  for (const auto& call : slack.calls_to("chat.postMessage")) {
    const std::string channel(call.body.at("channel").as_string());
    const std::string text(call.body.at("text").as_string());
    if (text.starts_with("Pleo digest"))
      ++out.digests[channel];
    else if (text.find("asks you to look at Fælles Kunde ApS") != std::string::npos)
      ++out.reminders[channel];
  }
  return out;
}

// Kills the bot with SIGKILL once `half_way` holds (or 15 s have gone) and
// returns what it had delivered by then.
template <class Condition>
delivered kill_half_way(bot_process& bot, const fake_slack& slack, Condition half_way) {
  const bool reached = eventually(half_way, 15s, 5ms);
  bot.kill_hard();
  auto at_kill = delivered_to(slack);
  INFO(bot.log());
  REQUIRE(reached);
  return at_kill;
}

bot_process start(const std::string& db_path, const fake_slack& slack) {
  return bot_process({"serve"}, {"PARTNERBOT_DB=" + db_path, "PARTNERBOT_LISTEN=127.0.0.1:0",
                                 "SLACK_SIGNING_SECRET=" + std::string(crash_secret),
                                 "SLACK_BOT_TOKEN=xoxb-crash", "SLACK_API_URL=" + slack.base_url()});
}

http_reply signed_post(unsigned short port, const std::string& path, const std::string& body) {
  return http_request(port, "POST", path, body, slack_headers(crash_secret, body));
}

// `remind` as the admin, then the form submitted with one task ticked.
void send_reminder(unsigned short port, fake_slack& slack) {
  command_fields cmd;
  cmd.text = "remind Fælles Kunde";
  cmd.team_id = "TCRASH";
  cmd.user_id = "UADMIN";
  REQUIRE(signed_post(port, "/slack/commands", command_body(cmd)).status == 200);
  REQUIRE(slack.wait_for("views.open", 1, 5s));
  const auto view = slack.calls_to("views.open").back().body.at("view").as_object();
  const std::string metadata(view.at("private_metadata").as_string());
  const auto body = interaction_body(view_submission_payload("TCRASH", "UADMIN", "reminder", metadata,
                                                             {{"tasks", "checkboxes", {"missing_receipts"}}},
                                                             "VCRASH1", "h1"));
  const auto r = signed_post(port, "/slack/interactions", body);
  REQUIRE(r.status == 200);
  REQUIRE(r.body.empty()); // accepted: the modal closes
}

} // namespace

// Messages recorded before a kill that arrived again after it: the sends
// that were in flight at that instant.
int repeated_after(const std::map<std::string, int>& at_kill, const std::map<std::string, int>& after) {
  int n = 0;
  for (const auto& [channel, copies] : at_kill)
    if (auto it = after.find(channel); it != after.end() && it->second > copies) ++n;
  return n;
}

TEST_CASE("SIGKILL in the middle of a digest slot and of a reminder loses nothing and repeats only sends in "
          "flight") {
  temp_path db;
  prepare(db.str());
  fake_slack slack;
  slack.slow_down("chat.postMessage", 250ms);
  const int slots = bot::outbox_options{}.concurrency;

  // 1. Killed half-way through the digest slot.
  delivered at_first_kill;
  {
    auto bot = start(db.str(), slack);
    REQUIRE(bot.wait_listening() != 0);
    at_first_kill =
        kill_half_way(bot, slack, [&] { return delivered_to(slack).total_digests() >= bookkeepers / 3; });
  }
  CHECK(at_first_kill.digests.size() < static_cast<std::size_t>(bookkeepers));

  // 2. Started again, a reminder sent, killed half-way through its DMs.
  delivered at_second_kill;
  {
    auto bot = start(db.str(), slack);
    const auto port = bot.wait_listening();
    REQUIRE(port != 0);
    send_reminder(port, slack);
    at_second_kill =
        kill_half_way(bot, slack, [&] { return delivered_to(slack).total_reminders() >= reminded / 3; });
  }
  CHECK(at_second_kill.reminders.size() < static_cast<std::size_t>(reminded));

  // 3. Started once more: it delivers the rest, the rows the killed
  //    processes had claimed once their claims run out.
  auto last = start(db.str(), slack);
  REQUIRE(last.wait_listening() != 0);
  const bool drained = eventually(
      [&] {
        store::database check(db.str());
        return store::outbox(check).counts().pending == 0;
      },
      40s);
  INFO(last.log());
  CHECK(last.stop() == 0);
  REQUIRE(drained);

  const auto after = delivered_to(slack);
  CHECK(after.digests.size() == static_cast<std::size_t>(bookkeepers));
  CHECK(after.reminders.size() == static_cast<std::size_t>(reminded));
  for (const auto* kind : {&after.digests, &after.reminders})
    for (const auto& [channel, copies] : *kind) {
      INFO(channel);
      CHECK(copies <= 2);
    }
  // At most one repeat per delivery slot for each kill.
  CHECK(repeated_after(at_first_kill.digests, after.digests) <= slots);
  CHECK(repeated_after(at_second_kill.reminders, after.reminders) <= slots);
  const int repeats = after.total_digests() + after.total_reminders() - bookkeepers - reminded;
  CHECK(repeats <= 2 * slots);

  store::database check(db.str());
  const auto counts = store::outbox(check).counts();
  CHECK(counts.failed == 0);
  CHECK(counts.sent == bookkeepers + reminded + 1); // and the admin's confirmation
  CHECK(check.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
}
