// An opened Home tab is kept up to date: a change to what it shows (a
// subscription, a language, an import from another process) publishes it
// again, at most once per interval per member, in its latest state; a
// member who never opened it is sent nothing.

#include "bot/chat/config.hpp"
#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "support/conditions.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm refresh_firm{"p-1", "T0001", "Nordic", 12};
constexpr auto refresh_interval = 1500ms;
constexpr auto refresh_check = 50ms;

void with_quick_homes(bot::config& cfg) {
  cfg.home_republish_interval = refresh_interval;
  cfg.home_check_interval = refresh_check;
}

std::string refresh_home_opened(const std::string& team_id, const std::string& user_id) {
  return json::serialize(
      json::object{{"type", "event_callback"},
                   {"team_id", team_id},
                   {"api_app_id", "A0PARTNER"},
                   {"event", {{"type", "app_home_opened"}, {"user", user_id}, {"tab", "home"}}},
                   {"event_id", "EvHomeRefresh"},
                   {"event_time", 1700000000}});
}

// The refresher's checks so far, from /metrics.
long long home_checks(const slack_app& app) {
  const auto metrics = http_request(app.port(), "GET", "/metrics").body;
  const std::string name = "partnerbot_home_checks_total ";
  const auto at = metrics.find("\n" + name);
  REQUIRE(at != std::string::npos);
  return std::stoll(metrics.substr(at + 1 + name.size()));
}

// Waits until the refresher has looked at least `n` more times, and long
// enough for an interval to pass.
void let_checks_pass(const slack_app& app) {
  const auto from = home_checks(app);
  const auto enough = from + 2 * (refresh_interval / refresh_check);
  REQUIRE(eventually([&] { return home_checks(app) >= enough; }, 20s));
}

std::string publish_text(const recorded_call& c) {
  return all_text(c.body.at("view"));
}

// Waits for the n-th views.publish and says when it was seen (within a poll of its arrival).
std::chrono::steady_clock::time_point publish_seen(const slack_app& app, std::size_t n) {
  REQUIRE(eventually([&] { return app.fake.calls_to("views.publish").size() >= n; }, 10s, 5ms));
  return std::chrono::steady_clock::now();
}

// Two publishes seen this far apart were at least an interval apart (less the polls' slack).
constexpr auto seen_slack = 100ms;

} // namespace

TEST_CASE("an opened Home tab is republished when what it shows changes, at most once an interval, and "
          "never to a member who did not open it") {
  slack_app app(raw_snapshots{{refresh_firm.snapshot()}}, with_quick_homes);
  const auto admin = refresh_firm.admin_user();
  REQUIRE(app.post("/slack/events", refresh_home_opened(refresh_firm.team_id, admin), "application/json")
              .status == 200);
  const auto first = publish_seen(app, 1);
  CHECK(publish_text(app.fake.calls_to("views.publish")[0]).find("You have no digest") != std::string::npos);

  // A subscription change: the home is published again, with it.
  REQUIRE(app.command(refresh_firm, admin, "digest Nordic Client 004 weekly").status == 200);
  const auto second_seen = publish_seen(app, 2);
  CHECK(second_seen - first >= refresh_interval - seen_slack); // opening counts as a publish
  auto calls = app.fake.calls_to("views.publish");
  CHECK(calls[1].body.at("user_id").as_string() == admin);
  const auto second = publish_text(calls[1]);
  CHECK(second.find("You have no digests") == std::string::npos);
  CHECK(second.find("Weekly \u00b7 next:") != std::string::npos);

  // Two more changes at once: one publish, an interval later, with both.
  REQUIRE(app.command(refresh_firm, admin, "digest Nordic Client 003 daily").status == 200);
  REQUIRE(app.command(refresh_firm, admin, "language da").status == 200);
  const auto third_seen = publish_seen(app, 3);
  CHECK(third_seen - second_seen >= refresh_interval - seen_slack);
  calls = app.fake.calls_to("views.publish");
  const auto third = publish_text(calls[2]);
  CHECK(third.find("Svarene kommer p\u00e5 dansk") != std::string::npos);
  CHECK(third.find("Dagligt \u00b7 n\u00e6ste:") != std::string::npos);
  CHECK(third.find("Ugentligt \u00b7 n\u00e6ste:") != std::string::npos);
  let_checks_pass(app);
  CHECK(app.fake.calls_to("views.publish").size() == 3);

  // New figures imported by another process (`partnerbot import`): client 5 now misses the most.
  {
    auto doc = json::parse(refresh_firm.snapshot()).as_object();
    doc["clients"].as_array()[4].as_object()["missing_receipts"] = 9;
    store::database db(app.db_path());
    REQUIRE(bot::import_snapshot(db, json::serialize(doc), "2026-11-28T09:00:00Z").ok);
  }
  REQUIRE(app.fake.wait_for("views.publish", 4, 10s));
  const auto fourth = publish_text(app.fake.calls_to("views.publish")[3]);
  CHECK(fourth.find("Nordic Client 005") != std::string::npos);
  CHECK(fourth.find("Nordic Client 005") < fourth.find("Nordic Client 004"));

  // The bookkeeper never opened theirs: their changes publish nothing, to anyone.
  REQUIRE(
      app.command(refresh_firm, refresh_firm.bookkeeper_user(), "digest Nordic Client 007 monthly").status ==
      200);
  let_checks_pass(app);
  calls = app.fake.calls_to("views.publish");
  CHECK(calls.size() == 4);
  for (const auto& c : calls)
    CHECK(c.body.at("user_id").as_string() == admin);
}
