// Digests are written in each recipient's language even when the bot has
// never heard from them: the step before a pass reads unknown or day-old
// Slack locales (users.info), bounded in time, and the pass renders in them.

#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/digest_command.hpp"
#include "bot/jobs/scheduler.hpp"
#include "bot/net/background.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/platform.hpp"
#include "bot/slack/web_api.hpp"
#include "store/languages.hpp"
#include "store/outbox.hpp"
#include "support/catalogue_text.hpp"
#include "support/conditions.hpp"
#include "support/digest_firm.hpp"
#include "support/fake_slack.hpp"
#include "support/scheduler_run.hpp"
#include "support/slack_firm.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <catch2/catch.hpp>
#include <thread>

using namespace std::chrono_literals;

namespace digest_locale_test {

bot::config cli_config(const digest_tests::digest_firm& f, const test_support::fake_slack& slack) {
  bot::config cfg;
  cfg.db_path = f.path.str();
  cfg.slack_api_url = slack.base_url();
  cfg.slack_bot_token = test_support::bot_token;
  return cfg;
}

// Monday 30 November 2026, 14:00 Copenhagen: a weekly slot is due.
handlers::instant monday_afternoon_at() {
  return digest_tests::at("2026-11-30T13:00:00Z");
}

std::string dm_to(const test_support::fake_slack& slack, const std::string& channel) {
  for (const auto& call : slack.calls_to("chat.postMessage"))
    if (call.body.at("channel").as_string() == std::string_view{channel})
      return test_support::all_text(call.body);
  return {};
}

} // namespace digest_locale_test

using namespace digest_locale_test;

TEST_CASE("a digest DM to a member linked only by the snapshot is in their Slack language") {
  digest_tests::digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-anna", "c-zulu", store::frequency::weekly, "2026-11-20T12:00:00Z");
  test_support::fake_slack slack;
  slack.add_user("UBO", "bo@firm.example", "da-DK");
  // Anna is unknown to Slack: the default language.

  REQUIRE(bot::run_digest_command(cli_config(f, slack), monday_afternoon_at()) == 0);
  const auto bo = dm_to(slack, "DUBO");
  INFO(bo);
  CHECK(test_support::contains(bo, "Dit Pleo-sammendrag"));
  CHECK(test_support::contains(bo, "Acme ApS"));
  CHECK(test_support::english_in(bo) == std::vector<std::string>{});
  const auto anna = dm_to(slack, "DUANNA");
  INFO(anna);
  CHECK(test_support::contains(anna, "Your Pleo digest"));
  CHECK(test_support::danish_in(anna) == std::vector<std::string>{});
  CHECK(store::member_languages(*f.db).of("m-bo").locale == "da-DK");

  // Read today: the next run (a second slot the same week) asks nobody again.
  const auto lookups = slack.calls_to("users.info").size();
  CHECK(lookups == 2);
  f.subscribe("m-bo", "c-beta", store::frequency::daily, "2026-11-20T12:00:00Z");
  REQUIRE(bot::run_digest_command(cli_config(f, slack), digest_tests::at("2026-12-01T13:00:00Z")) == 0);
  CHECK(slack.calls_to("users.info").size() == lookups);
}

TEST_CASE("a day-old locale is read again before the digest, and a member's own choice needs none") {
  digest_tests::digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-anna", "c-zulu", store::frequency::weekly, "2026-11-20T12:00:00Z");
  store::member_languages languages(*f.db);
  languages.set_read_locale("m-bo", "en-GB",
                            handlers::to_iso(std::chrono::system_clock::now() - std::chrono::hours(25)));
  languages.set_choice("m-anna", "da");
  test_support::fake_slack slack;
  slack.add_user("UBO", "bo@firm.example", "da-DK");
  slack.add_user("UANNA", "anna@firm.example", "en-US");

  REQUIRE(bot::run_digest_command(cli_config(f, slack), monday_afternoon_at()) == 0);
  const auto lookups = slack.calls_to("users.info");
  REQUIRE(lookups.size() == 1);
  CHECK(lookups.front().body.at("user") == "UBO");
  CHECK(test_support::contains(dm_to(slack, "DUBO"), "Dit Pleo-sammendrag"));
  CHECK(test_support::contains(dm_to(slack, "DUANNA"), "Dit Pleo-sammendrag"));
}

TEST_CASE("a failing or slow users.info does not hold a digest slot: the default language goes out") {
  SECTION("failing") {
    digest_tests::digest_firm f;
    f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
    test_support::fake_slack slack;
    slack.add_user("UBO", "bo@firm.example", "da-DK");
    test_support::scripted_reply broken;
    broken.status = 503;
    broken.body = "unavailable";
    slack.script("users.info", broken);
    REQUIRE(bot::run_digest_command(cli_config(f, slack), monday_afternoon_at()) == 0);
    const auto bo = dm_to(slack, "DUBO");
    INFO(bo);
    CHECK(test_support::contains(bo, "Your Pleo digest"));
    CHECK(test_support::contains(bo, "Acme ApS"));
    CHECK(store::member_languages(*f.db).of("m-bo").locale_at.empty());
  }
  SECTION("slow") {
    digest_tests::digest_firm f;
    f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
    test_support::fake_slack slack;
    slack.add_user("UBO", "bo@firm.example", "da-DK");
    slack.slow_down("users.info", bot::digest_locale_wait + 3s);
    const auto started = std::chrono::steady_clock::now();
    int exit_code = -1;
    std::thread run(
        [&] { exit_code = bot::run_digest_command(cli_config(f, slack), monday_afternoon_at()); });
    const bool posted = slack.wait_for("chat.postMessage", 1, bot::digest_locale_wait + 2s);
    const auto waited = std::chrono::steady_clock::now() - started;
    run.join();
    CHECK(exit_code == 0);
    REQUIRE(posted);
    CHECK(waited < bot::digest_locale_wait + 2s);
    CHECK(test_support::contains(dm_to(slack, "DUBO"), "Your Pleo digest"));
    // The answer that came late is kept for the next digest.
    CHECK(store::member_languages(*f.db).of("m-bo").locale == "da-DK");
  }
}

TEST_CASE("the scheduler reads its recipients' locales before the pass it runs") {
  digest_tests::digest_firm f;
  f.subscribe("m-bo", "c-acme", store::frequency::weekly, "2026-11-20T12:00:00Z");
  test_support::fake_slack slack;
  slack.add_user("UBO", "bo@firm.example", "da-DK");

  boost::asio::io_context io{1};
  bot::http_client http(io);
  bot::slack::web_api api(http, slack.base_url(), test_support::bot_token);
  bot::slack::platform slack_users(api);
  bot::store_thread store_work(f.path.str(), *f.db);
  bot::background behind(io);
  bot::chat_requests requests(io, store_work, behind, f.settings, [] {});
  bot::scheduler s(
      io, f.path.str(), f.settings, [] {}, [] { return monday_afternoon_at(); });
  s.before_pass([&]() -> boost::asio::awaitable<void> {
    co_await requests.read_digest_locales(slack_users, bot::digest_locale_wait);
  });
  test_support::run_first_pass(io, s);
  store_work.stop();
  REQUIRE(s.passes() == 1);
  CHECK(slack.calls_to("users.info").size() == 1);
  const auto rows = store::outbox(*f.db).by_origin("digest");
  REQUIRE(rows.size() == 1);
  CHECK(test_support::contains(rows.front().message.payload, "Dit Pleo-sammendrag"));
}
