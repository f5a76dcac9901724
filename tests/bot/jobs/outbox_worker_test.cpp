#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/digests.hpp"
#include "handlers/reminders.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"
#include "support/digest_firm.hpp"
#include "support/fake_slack.hpp"
#include "support/log_capture.hpp"
#include "support/outbox_run.hpp"
#include "support/starvable_folder.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>

using digest_tests::at;
using digest_tests::digest_firm;
using namespace std::chrono_literals;

namespace {

bot::outbox_options fast_retries() {
  bot::outbox_options o;
  o.backoff_base = 50ms;
  o.backoff_cap = 200ms;
  o.max_attempts = 5;
  return o;
}

// One delivery worker against the fake Slack, run on the test's thread.
struct worker_rig {
  test_support::fake_slack& slack;
  boost::asio::io_context io{1};
  bot::http_client http{io};
  bot::slack::web_api api{http, slack.base_url(), "xoxb-test-token"};
  bot::store_thread store_work;
  bot::outbox_worker worker;

  worker_rig(test_support::fake_slack& s, store::database& db, bot::outbox_options o = fast_retries())
      : slack(s), store_work(db), worker(io, store_work, o) {
    worker.add_delivery("slack", std::make_unique<bot::slack::delivery>(api));
    worker.on_outcome(handlers::record_reminder_outcome);
  }

  // Delivers until nothing is due within the budget, then stops.
  void deliver(std::chrono::milliseconds budget = 10s) { test_support::deliver_due(io, worker, budget); }
};

store::outbound_message message(std::string key, std::string kind, std::string recipient, std::string text) {
  handlers::view v{text, {handlers::section{"", text, {}}}};
  return {std::move(key), "slack", "T1", std::move(kind), std::move(recipient), "", handlers::view_to_json(v),
          "notice"};
}

std::size_t count_text(const std::vector<test_support::recorded_call>& calls, std::string_view text) {
  std::size_t n = 0;
  for (const auto& c : calls)
    if (auto* t = c.body.if_contains("text"); t && t->is_string() && t->get_string() == text) ++n;
  return n;
}

} // namespace

TEST_CASE("a digest DM opens the conversation with the member's Slack user and posts there") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  REQUIRE(handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z")).dms == 1);

  test_support::fake_slack slack;
  worker_rig r(slack, *f.db);
  r.deliver();

  const auto opens = slack.calls_to("conversations.open");
  REQUIRE(opens.size() == 1);
  CHECK(opens[0].body.at("users").as_string() == "UBO");
  CHECK(opens[0].authorization == "Bearer xoxb-test-token");
  const auto posts = slack.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body.at("channel").as_string() == "DUBO");
  CHECK(posts[0].body.contains("blocks"));
  CHECK(posts[0].body.at("text").as_string().starts_with("Pleo digest"));
  CHECK(store::outbox(*f.db).counts().sent == 1);
  CHECK(r.worker.done().sent == 1);
}

TEST_CASE("a slot is sent once across a crash between enqueue and send and across a second pass") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-anna", "c-zulu", store::frequency::weekly, "2026-11-20T12:00:00Z");
  {
    auto ctx = f.context();
    REQUIRE(handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z")).dms == 2);
  }
  test_support::fake_slack slack;
  {
    // The process dies after the pass committed and before anything was sent.
    worker_rig doomed(slack, *f.db);
    doomed.worker.start();
  }
  CHECK(slack.calls_to("chat.postMessage").empty());

  // Restart: a new connection to the same file, a new worker.
  f.db = std::make_unique<store::database>(f.path.str());
  {
    worker_rig r(slack, *f.db);
    r.deliver();
  }
  CHECK(slack.calls_to("chat.postMessage").size() == 2);

  // The scheduler's start-up pass and a `digest run` for the same slot send nothing more.
  auto ctx = f.context();
  const auto again = handlers::digest_pass(ctx, at("2026-11-30T14:00:00Z"));
  CHECK(again.dms == 0);
  CHECK(again.already_claimed == 2);
  {
    worker_rig r(slack, *f.db);
    r.deliver(2s);
  }
  CHECK(slack.calls_to("chat.postMessage").size() == 2);
  CHECK(store::outbox(*f.db).counts().sent == 2);
}

TEST_CASE("a 429 waits for Retry-After and the message is delivered once") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.script("chat.postMessage", {429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "1"}}});
  REQUIRE(store::outbox(db).enqueue(message("k-429", "channel", "C1", "hello after a wait"),
                                    test_support::now_ms()));

  worker_rig r(slack, db);
  const auto started = std::chrono::steady_clock::now();
  r.deliver();
  const auto took = std::chrono::steady_clock::now() - started;

  CHECK(slack.calls_to("chat.postMessage").size() == 2); // the refused one and the delivered one
  CHECK(took >= 1s);
  const auto row = store::outbox(db).by_key("k-429");
  REQUIRE(row);
  CHECK(row->status == "sent");
  CHECK(r.worker.done().sent == 1);
  CHECK(r.worker.done().retried == 1);
}

TEST_CASE("5xx answers are retried with backoff and the message is delivered once") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.script("chat.postMessage", {500, "oops", {}});
  slack.script("chat.postMessage", {503, "busy", {}});
  REQUIRE(store::outbox(db).enqueue(message("k-500", "channel", "C1", "hello after errors"),
                                    test_support::now_ms()));

  worker_rig r(slack, db);
  r.deliver();

  CHECK(slack.calls_to("chat.postMessage").size() == 3);
  const auto row = store::outbox(db).by_key("k-500");
  REQUIRE(row);
  CHECK(row->status == "sent");
  const auto counts = store::outbox(db).counts();
  CHECK(counts.sent == 1);
  CHECK(counts.retried == 2);
}

TEST_CASE("messages to one channel go at least a second apart") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  auto box = store::outbox(db);
  REQUIRE(box.enqueue(message("k-1", "channel", "C-SAME", "first"), test_support::now_ms()));
  REQUIRE(box.enqueue(message("k-2", "channel", "C-SAME", "second"), test_support::now_ms()));
  REQUIRE(box.enqueue(message("k-3", "channel", "C-OTHER", "elsewhere"), test_support::now_ms()));

  worker_rig r(slack, db);
  std::chrono::steady_clock::time_point first_seen, second_seen, other_seen;
  std::thread watcher([&] {
    slack.wait_for("chat.postMessage", 1, 10s);
    first_seen = std::chrono::steady_clock::now();
    slack.wait_for("chat.postMessage", 2, 10s);
    other_seen = std::chrono::steady_clock::now();
    slack.wait_for("chat.postMessage", 3, 10s);
    second_seen = std::chrono::steady_clock::now();
  });
  r.deliver();
  watcher.join();

  const auto posts = slack.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 3);
  CHECK(count_text(posts, "first") == 1);
  CHECK(count_text(posts, "second") == 1);
  CHECK(count_text(posts, "elsewhere") == 1);
  // Another channel is not held up; the same channel waits its second.
  CHECK(posts[2].body.at("text").as_string() == "second");
  CHECK(other_seen - first_seen < 500ms);
  CHECK(second_seen - first_seen >= 950ms);
}

TEST_CASE("one workspace's backlog in a channel does not hold back another workspace's messages") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  auto box = store::outbox(db);
  const auto now = test_support::now_ms();
  for (int i = 0; i < 30; ++i)
    REQUIRE(box.enqueue(
        message(fmt::format("k-backlog-{}", i), "channel", "C-BUSY", fmt::format("backlog {}", i)), now));
  for (int i = 0; i < 3; ++i) {
    auto m = message(fmt::format("k-other-{}", i), "channel", fmt::format("C-OTHER-{}", i),
                     fmt::format("other {}", i));
    m.workspace_id = "T2";
    REQUIRE(box.enqueue(m, now + 1)); // enqueued after the whole backlog
  }

  // A read holds fewer rows than the backlog: the order it reads in is fair too.
  auto options = fast_retries();
  options.batch = 8;
  options.pacing = 200ms;
  worker_rig r(slack, db, options);
  r.deliver(1500ms);

  // The other workspace's three went out at once; the backlog goes one per pacing interval.
  const auto posts = slack.calls_to("chat.postMessage");
  REQUIRE(posts.size() >= 4);
  CHECK(posts.size() < 33);
  std::size_t others_among_first_four = 0;
  for (std::size_t i = 0; i < 4; ++i)
    if (posts[i].body.at("channel").as_string().starts_with("C-OTHER-")) ++others_among_first_four;
  CHECK(others_among_first_four == 3);
  CHECK(count_text(posts, "backlog 0") == 1);
  CHECK(box.counts().pending == 33 - static_cast<std::int64_t>(posts.size()));
}

TEST_CASE("a channel's backlog goes out at its pace while many workspaces take their turns") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.slow_down("chat.postMessage", 10ms);
  auto box = store::outbox(db);
  const auto now = test_support::now_ms();
  for (int i = 0; i < 5; ++i)
    REQUIRE(box.enqueue(
        message(fmt::format("k-queue-{}", i), "channel", "C-QUEUE", fmt::format("queued {}", i)), now));
  // A round of every workspace's turn takes far longer than the pacing interval.
  for (int w = 0; w < 200; ++w)
    for (int i = 0; i < 2; ++i) {
      auto m = message(fmt::format("k-w{}-{}", w, i), "channel", fmt::format("C-W{}-{}", w, i), "turn");
      m.workspace_id = fmt::format("TW{}", w);
      REQUIRE(box.enqueue(m, now + 1));
    }

  auto options = fast_retries();
  options.pacing = 100ms;
  worker_rig r(slack, db, options);
  r.deliver(20s);

  std::vector<std::chrono::steady_clock::time_point> queued_at;
  for (const auto& c : slack.calls_to("chat.postMessage"))
    if (c.body.at("channel").as_string() == "C-QUEUE") queued_at.push_back(c.at);
  REQUIRE(queued_at.size() == 5);
  CHECK(box.counts().sent == 405);
  // Each post of the backlog follows the last within its pacing and a delivery or two.
  for (std::size_t i = 1; i < queued_at.size(); ++i) {
    CHECK(queued_at[i] - queued_at[i - 1] >= 100ms);
    CHECK(queued_at[i] - queued_at[i - 1] < 300ms);
  }
}

TEST_CASE(
    "posts Slack refuses past its per-channel limit are sent after Retry-After, none lost or repeated") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.limit_posts_per_channel(1000ms);
  auto box = store::outbox(db);
  for (int i = 0; i < 3; ++i)
    REQUIRE(box.enqueue(
        message(fmt::format("k-limited-{}", i), "channel", "C-LIMITED", fmt::format("limited {}", i)),
        test_support::now_ms()));

  // Paced faster than Slack allows, so Slack's limit is what holds the posts back.
  auto options = fast_retries();
  options.pacing = 100ms;
  worker_rig r(slack, db, options);
  r.deliver(10s);

  CHECK(slack.posts_refused() > 0);
  std::vector<test_support::recorded_call> accepted;
  for (const auto& c : slack.calls_to("chat.postMessage"))
    if (c.status == 200) accepted.push_back(c);
  REQUIRE(accepted.size() == 3);
  for (int i = 0; i < 3; ++i)
    CHECK(count_text(accepted, fmt::format("limited {}", i)) == 1);
  for (std::size_t i = 1; i < accepted.size(); ++i)
    CHECK(accepted[i].at - accepted[i - 1].at >= 1000ms);
  const auto counts = box.counts();
  CHECK(counts.sent == 3);
  CHECK(counts.pending == 0);
  CHECK(counts.retried == static_cast<std::int64_t>(slack.posts_refused()));
}

TEST_CASE("a permanent Slack error is recorded and not retried") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.script("chat.postMessage", {200, R"({"ok":false,"error":"channel_not_found"})", {}});
  REQUIRE(store::outbox(db).enqueue(message("k-gone", "channel", "C-GONE", "into the void"),
                                    test_support::now_ms()));

  worker_rig r(slack, db);
  r.deliver(2s);

  CHECK(slack.calls_to("chat.postMessage").size() == 1);
  const auto row = store::outbox(db).by_key("k-gone");
  REQUIRE(row);
  CHECK(row->status == "failed");
  CHECK(row->last_error == "channel_not_found");
  CHECK(store::outbox(db).counts().failed == 1);
  CHECK_FALSE(store::outbox(db).next_due_ms());
}

TEST_CASE("transient failures stop after a bounded number of attempts") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  for (int i = 0; i < 10; ++i)
    slack.script("chat.postMessage", {502, "bad gateway", {}});
  REQUIRE(store::outbox(db).enqueue(message("k-flaky", "channel", "C1", "never"), test_support::now_ms()));

  auto options = fast_retries();
  options.max_attempts = 3;
  worker_rig r(slack, db, options);
  r.deliver();

  CHECK(slack.calls_to("chat.postMessage").size() == 3);
  const auto row = store::outbox(db).by_key("k-flaky");
  REQUIRE(row);
  CHECK(row->status == "failed");
  CHECK_THAT(row->last_error, Catch::Contains("3 attempts"));
}

TEST_CASE("a private row posts to the user in the channel, as Slack's ephemeral message") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  REQUIRE(store::outbox(db).enqueue(
      message("k-eph", store::recipient_kinds::in_channel_private, "C9|U9", "just for you"),
      test_support::now_ms()));
  worker_rig r(slack, db);
  r.deliver();
  const auto calls = slack.calls_to("chat.postEphemeral");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].body.at("channel").as_string() == "C9");
  CHECK(calls[0].body.at("user").as_string() == "U9");
}

TEST_CASE("the outcome of a reminder DM is recorded on the reminder") {
  digest_firm f;
  store::reminder rem;
  rem.partner_id = "p-1";
  rem.client_id = "c-acme";
  rem.sender_member_id = "m-anna";
  rem.sender_name = "Anna Admin";
  rem.created_at = "2026-11-27T12:00:00Z";
  rem.tasks = {"missing_receipts"};
  rem.recipients = {{"m-bo", "Bo Bookkeeper", "queued"}};
  const auto id = store::reminders(*f.db).record(rem, "sub-1");
  REQUIRE(id);
  auto m = message("k-rem", "user", "UBO", "please send receipts");
  m.member_id = "m-bo";
  m.origin = "reminder:" + std::to_string(*id);
  REQUIRE(store::outbox(*f.db).enqueue(m, test_support::now_ms()));

  test_support::fake_slack slack;
  worker_rig r(slack, *f.db);
  r.deliver();
  const auto latest = store::reminders(*f.db).latest_for_client("c-acme", 1);
  REQUIRE(latest.size() == 1);
  REQUIRE(latest[0].recipients.size() == 1);
  CHECK(latest[0].recipients[0].outcome == "sent");
}

TEST_CASE("outbox metrics show depth, sent, retried and failed") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  slack.script("chat.postMessage", {500, "oops", {}});
  slack.script("chat.postMessage", {200, R"({"ok":false,"error":"is_archived"})", {}});
  REQUIRE(store::outbox(db).enqueue(message("k-a", "channel", "C1", "a"), test_support::now_ms()));
  REQUIRE(
      store::outbox(db).enqueue(message("k-b", "channel", "C2", "b"), test_support::now_ms() + 3'600'000));
  worker_rig r(slack, db);
  r.deliver(3s);
  std::string out;
  bot::outbox_worker::collect_metrics(db, out);
  CHECK_THAT(out, Catch::Contains("# TYPE partnerbot_outbox_depth gauge"));
  CHECK_THAT(out, Catch::Contains("partnerbot_outbox_depth 1\n")); // k-b waits for its time
  CHECK_THAT(out, Catch::Contains("partnerbot_outbox_retried_total 1\n"));
  CHECK_THAT(out, Catch::Contains("partnerbot_outbox_failed_total 1\n"));
  CHECK_THAT(out, Catch::Contains("partnerbot_outbox_sent_total 0\n"));
}

TEST_CASE("a Slack error body with line breaks is stored and logged escaped, on one line") {
  test_support::temp_path path;
  store::database db(path.str());
  test_support::fake_slack slack;
  const std::string forged = "2026-01-01T00:00:00.000+0000 error forged line";
  slack.script("chat.postMessage", {400, "invalid\n" + forged + "\x1b[2J", {}});
  REQUIRE(store::outbox(db).enqueue(message("k-forge", "channel", "C1", "hello"), test_support::now_ms()));

  test_support::log_capture logs;
  worker_rig r(slack, db);
  r.deliver(2s);

  const auto row = store::outbox(db).by_key("k-forge");
  REQUIRE(row);
  CHECK(row->status == "failed");
  CHECK(row->last_error == "invalid\\n" + forged + "\\x1b[2J");
  bool logged = false;
  for (const auto& line : logs.lines()) {
    CHECK(line.rfind(forged, 0) != 0);
    CHECK(line.find('\x1b') == std::string::npos);
    if (line.find("invalid\\n" + forged) != std::string::npos) logged = true;
  }
  CHECK(logged);
}

TEST_CASE(
    "while the disk is full a row is not sent (its claim cannot be written), and it is sent once when space "
    "returns") {
  test_support::starvable_folder folder;
  {
    store::database db(folder.db());
    REQUIRE(
        store::outbox(db).enqueue(message("k-full", "channel", "C1", "only once"), test_support::now_ms()));
    db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)"); // every write from now on grows the log
  }
  store::database db(folder.db());
  test_support::fake_slack slack;
  auto options = fast_retries();
  options.pacing = 50ms; // a resend would come every pacing interval
  worker_rig r(slack, db, options);
  folder.take_space(::getpid());
  r.worker.start();

  // Sent unclaimed, the row could be sent again by another process on the
  // same outbox: it waits.
  r.io.run_for(1500ms);
  CHECK(slack.calls_to("chat.postMessage").empty());
  CHECK(store::outbox(db).by_key("k-full")->status == "pending");

  folder.give_space_back(::getpid());
  r.io.restart();
  r.io.run_for(1500ms);
  CHECK(slack.calls_to("chat.postMessage").size() == 1);
  CHECK(store::outbox(db).by_key("k-full")->status == "sent");

  boost::asio::co_spawn(r.io, r.worker.stop(), boost::asio::detached);
  r.io.restart();
  r.io.run_for(2s);
}
