// The Home tab: app_home_opened publishes the member's home view
// (views.publish), in their language; `home` / `hjem` typed shows the same.

#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm home_firm{"p-1", "T0001", "Nordic", 12};

std::string home_opened_event(const std::string& team_id, const std::string& user_id,
                              const std::string& tab = "home") {
  return json::serialize(
      json::object{{"type", "event_callback"},
                   {"team_id", team_id},
                   {"api_app_id", "A0PARTNER"},
                   {"event", {{"type", "app_home_opened"}, {"user", user_id}, {"tab", tab}}},
                   {"event_id", "EvHome"},
                   {"event_time", 1700000000}});
}

// The view of the n-th views.publish (1-based) once it has arrived.
json::object published_home(slack_app& app, std::size_t n) {
  REQUIRE(app.fake.wait_for("views.publish", n, 5s));
  return app.fake.calls_to("views.publish")[n - 1].body;
}

} // namespace

TEST_CASE("opening the Home tab publishes the member's clients that need attention, in Danish for a Danish "
          "member") {
  slack_app app({&home_firm});
  REQUIRE(app.command(home_firm, home_firm.admin_user(), "language da").status == 200);

  auto r = app.post("/slack/events", home_opened_event(home_firm.team_id, home_firm.admin_user()),
                    "application/json");
  CHECK(r.status == 200);
  auto call = published_home(app, 1);
  CHECK(call.at("user_id").as_string() == home_firm.admin_user());
  const auto& view = call.at("view").as_object();
  CHECK(view.at("type").as_string() == "home");
  const auto text = all_text(view);
  CHECK(text.find("Hej Ada Admin") != std::string::npos);
  CHECK(text.find("Kunder der kræver opmærksomhed") != std::string::npos);
  CHECK(text.find("Dine sammendrag") != std::string::npos);
  CHECK(text.find("Svarene kommer på dansk") != std::string::npos);
  CHECK(text.find("Nordic Revision ApS i alt") != std::string::npos);
  CHECK(text.find("Giv bogholderne besked") != std::string::npos);
  // Most missing receipts first (4 each: clients 4 and 9), ten at most, none without.
  const auto names = client_names_in(text, "Nordic");
  CHECK(names.size() == 10);
  CHECK_FALSE(names.contains("Nordic Client 005"));
  const auto first_four = text.find("Nordic Client 004");
  CHECK(first_four != std::string::npos);
  CHECK(first_four < text.find("Nordic Client 001"));
  CHECK(text.find("Nordic Client 009") < text.find("Nordic Client 003"));
  CHECK(app.fake.calls_to("views.publish")[0].authorization == std::string("Bearer ") + bot_token);

  // Typed, in either language, the same content as a message.
  auto typed = app.command(home_firm, home_firm.admin_user(), "hjem");
  CHECK(typed.status == 200);
  const auto typed_text = all_text(body_json(typed));
  CHECK(typed_text.find("Kunder der kræver opmærksomhed") != std::string::npos);
  CHECK(client_names_in(typed_text, "Nordic") == names);
}

TEST_CASE("a bookkeeper's Home tab shows only their clients; an unlinked user's shows how to link") {
  slack_app app({&home_firm});
  app.post("/slack/events", home_opened_event(home_firm.team_id, home_firm.bookkeeper_user()),
           "application/json");
  const auto text = all_text(published_home(app, 1).at("view"));
  CHECK(text.find("Clients that need attention") != std::string::npos);
  CHECK(text.find("in total") == std::string::npos);
  // The only one of theirs missing receipts (client 7: 7 % 5 = 2).
  CHECK(client_names_in(text, "Nordic") == std::set<std::string>{"Nordic Client 007"});

  app.fake.add_user("UNEW", "stranger@elsewhere.example");
  app.post("/slack/events", home_opened_event(home_firm.team_id, "UNEW"), "application/json");
  const auto unlinked = all_text(published_home(app, 2).at("view"));
  CHECK(unlinked.find("You are not linked yet") != std::string::npos);

  // The Messages tab publishes nothing (decided before the acknowledgement).
  app.post("/slack/events", home_opened_event(home_firm.team_id, home_firm.admin_user(), "messages"),
           "application/json");
  CHECK(app.fake.calls_to("views.publish").size() == 2);
}
