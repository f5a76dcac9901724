// Digests end to end: members subscribe through signed Slack requests (the
// command, the card's frequency menu, a channel), then `digest run` sends
// each slot once through the outbox to the fake Slack.

#include "bot/chat/config.hpp"
#include "bot/cli/demo_firm.hpp"
#include "bot/cli/digest_command.hpp"
#include "store/database.hpp"
#include "store/subscriptions.hpp"
#include "support/demo_clients.hpp"
#include "support/instants.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>

namespace json = boost::json;
using namespace test_support;

namespace {

constexpr const char* digest_channel = "C0DIGEST";

const demo_client& first_client(const std::vector<demo_client>& cs, bool carlas) {
  for (const auto& c : cs) {
    if (c.status == "active" && c.assigned_to("m-carla") == carlas) return c;
  }
  FAIL("the demo firm has no such client");
  return cs.front();
}

// The first static select in a message: its action id and option values.
struct select_menu {
  std::string action_id;
  std::vector<std::pair<std::string, std::string>> options; // label, value
};
std::optional<select_menu> find_select(const json::value& v) {
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (auto s = find_select(e)) return s;
  } else if (v.is_object()) {
    const auto& o = v.get_object();
    if (auto* type = o.if_contains("type"); type && *type == "static_select") {
      select_menu s{std::string(o.at("action_id").as_string()), {}};
      for (const auto& opt : o.at("options").as_array())
        s.options.emplace_back(opt.at("text").at("text").as_string(), opt.at("value").as_string());
      return s;
    }
    for (const auto& [key, value] : o)
      if (auto s = find_select(value)) return s;
  }
  return std::nullopt;
}

std::string blocks_text_of(const recorded_call& call) {
  return call.body.contains("blocks") ? all_text(call.body.at("blocks")) : std::string();
}

} // namespace

TEST_CASE("members subscribe over Slack and digest run sends each DM and the channel digest once") {
  const auto clients = demo_clients();
  const auto& carlas = first_client(clients, true);
  const auto& not_carlas = first_client(clients, false);
  slack_app app(raw_snapshots{{bot::demo_snapshot()}});
  app.fake.add_user("UANNA", "anna@nordlys.example");
  app.fake.add_user("UCARLA", "carla@nordlys.example");

  // Carla by command; the reply says when the first one goes out.
  auto subscribed = app.command(demo_team, "UCARLA", "digest " + carlas.name + " weekly");
  REQUIRE(subscribed.status == 200);
  CHECK(all_text(body_json(subscribed)).find("Monday") != std::string::npos);
  // Not to a client she cannot see, and not a channel digest.
  auto refused = app.command(demo_team, "UCARLA", "digest " + not_carlas.name + " weekly");
  CHECK(all_text(body_json(refused)).find("Monday") == std::string::npos);
  auto no_channel = app.command(demo_team, "UCARLA", "digest channel weekly", "trigger-1", "C0CARLA");
  CHECK(all_text(body_json(no_channel)).find("admin") != std::string::npos);

  // Anna with the frequency menu on a client's card.
  auto card = body_json(app.command(demo_team, "UANNA", "client " + not_carlas.name));
  auto menu = find_select(card);
  REQUIRE(menu);
  auto daily =
      std::find_if(menu->options.begin(), menu->options.end(), [](auto& o) { return o.first == "Daily"; });
  REQUIRE(daily != menu->options.end());
  auto updated =
      app.press_and_read(demo_team, "UANNA", control{menu->action_id, "Daily", daily->second, true});
  CHECK(all_text(updated).find(not_carlas.name) != std::string::npos);

  // Anna subscribes the channel she types in.
  auto channel = app.command(demo_team, "UANNA", "digest channel weekly", "trigger-1", digest_channel);
  REQUIRE(channel.status == 200);

  {
    store::database db(app.db_path());
    store::subscriptions subs(db);
    CHECK(subs.of_member("m-carla").size() == 1);
    CHECK(subs.of_member("m-anna").size() == 1);
    CHECK(subs.channels_of("p-demo").size() == 1);
  }
  // `digests` lists Carla's one subscription with a control to change it.
  auto mine = body_json(app.command(demo_team, "UCARLA", "digests"));
  CHECK(all_text(mine).find(carlas.name) != std::string::npos);
  CHECK(all_text(mine).find(not_carlas.name) == std::string::npos);

  bot::config cfg;
  cfg.db_path = app.db_path();
  cfg.slack_api_url = app.fake.base_url();
  cfg.slack_bot_token = bot_token;
  const auto monday = test_support::next_monday_afternoon();
  REQUIRE(bot::run_digest_command(cfg, monday) == 0);

  const auto opened = app.fake.calls_to("conversations.open");
  std::set<std::string> dm_users;
  for (const auto& c : opened)
    dm_users.insert(std::string(c.body.at("users").as_string()));
  CHECK(dm_users == std::set<std::string>{"UANNA", "UCARLA"});
  const auto posts = app.fake.calls_to("chat.postMessage");
  REQUIRE(posts.size() == 3);
  bool carla_got_hers = false, channel_got_firm = false;
  const std::string bearer = std::string("Bearer ") + bot_token;
  for (const auto& p : posts) {
    const std::string to(p.body.at("channel").as_string());
    if (to == "DUCARLA") {
      carla_got_hers = blocks_text_of(p).find(carlas.name) != std::string::npos;
      CHECK(blocks_text_of(p).find(not_carlas.name) == std::string::npos);
    }
    if (to == digest_channel) channel_got_firm = blocks_text_of(p).find("firm digest") != std::string::npos;
    CHECK(p.authorization == bearer);
  }
  CHECK(carla_got_hers);
  CHECK(channel_got_firm);

  // The same slot again, later that day: nothing more.
  REQUIRE(bot::run_digest_command(cfg, monday + std::chrono::hours(2)) == 0);
  CHECK(app.fake.calls_to("chat.postMessage").size() == 3);

  // Off stops it: the next Monday sends Carla nothing.
  app.command(demo_team, "UCARLA", "digest " + carlas.name + " off");
  REQUIRE(bot::run_digest_command(cfg, monday + std::chrono::days(7)) == 0);
  std::size_t to_carla = 0;
  for (const auto& p : app.fake.calls_to("chat.postMessage"))
    to_carla += p.body.at("channel") == "DUCARLA";
  CHECK(to_carla == 1);
}
