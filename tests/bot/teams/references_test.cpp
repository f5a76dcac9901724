#include "bot/teams/activity.hpp"
#include "bot/teams/references.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace {

bot::teams::activity parsed(const std::string& body) {
  auto a = bot::teams::parse_activity(body);
  REQUIRE(a.has_value());
  return *a;
}

const std::string personal = R"({"type":"message","id":"m-1","channelId":"msteams",
  "serviceUrl":"https://smba.trafficmanager.net/emea/","text":"clients",
  "from":{"id":"29:1bo","name":"Bo","aadObjectId":"aad-bo"},
  "conversation":{"conversationType":"personal","tenantId":"tenant-1","id":"a:1bo"},
  "recipient":{"id":"28:app-1","name":"Partnerbot"},"channelData":{"tenant":{"id":"tenant-1"}}})";

} // namespace

TEST_CASE("a user who talks to the bot can be reached proactively afterwards") {
  store::database db(":memory:");
  CHECK_FALSE(bot::teams::user_reference(db, "tenant-1", "aad-bo"));
  // The user, their chat, and the tenant's serviceUrl.
  CHECK(bot::teams::remember_references(db, parsed(personal), 1000) == 3);

  auto user = bot::teams::user_reference(db, "tenant-1", "aad-bo");
  REQUIRE(user);
  CHECK(user->service_url == "https://smba.trafficmanager.net/emea/");
  CHECK(user->tenant_id == "tenant-1");
  CHECK(user->user_id == "29:1bo");
  CHECK(user->aad_object_id == "aad-bo");
  CHECK(user->bot_id == "28:app-1");
  auto chat = bot::teams::conversation_reference_of(db, "tenant-1", "a:1bo");
  REQUIRE(chat);
  CHECK(chat->conversation_type == "personal");
  // The next message writes nothing.
  CHECK(bot::teams::remember_references(db, parsed(personal), 2000) == 0);
  // Another tenant knows nothing of this user.
  CHECK_FALSE(bot::teams::user_reference(db, "tenant-2", "aad-bo"));
}

TEST_CASE("installing the app in a team remembers the channel and the members added") {
  store::database db(":memory:");
  const auto update = parsed(R"({"type":"conversationUpdate","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/emea/",
    "membersAdded":[{"id":"28:app-1"},{"id":"29:1carla","aadObjectId":"aad-carla"},{"id":"29:1guest"}],
    "conversation":{"id":"19:general@thread.tacv2","conversationType":"channel","isGroup":true},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"},"team":{"id":"19:general@thread.tacv2"}}})");
  CHECK(bot::teams::remember_references(db, update, 1000) == 3);
  CHECK(bot::teams::user_reference(db, "tenant-1", "aad-carla")->user_id == "29:1carla");
  auto channel = bot::teams::conversation_reference_of(db, "tenant-1", "19:general@thread.tacv2");
  REQUIRE(channel);
  CHECK(channel->conversation_type == "channel");
  // A thread of that channel finds the channel.
  CHECK(bot::teams::conversation_reference_of(db, "tenant-1", "19:general@thread.tacv2;messageid=42"));
  // The bot itself is never stored as a user.
  CHECK_FALSE(bot::teams::user_reference(db, "tenant-1", ""));
}

TEST_CASE("a moved serviceUrl replaces the stored one") {
  store::database db(":memory:");
  bot::teams::remember_references(db, parsed(personal), 1000);
  auto doc = boost::json::parse(personal).as_object();
  doc["serviceUrl"] = "https://smba.trafficmanager.net/amer/tenant-1/";
  CHECK(bot::teams::remember_references(db, parsed(boost::json::serialize(doc)), 2000) == 3);
  CHECK(bot::teams::user_reference(db, "tenant-1", "aad-bo")->service_url ==
        "https://smba.trafficmanager.net/amer/tenant-1/");
}

TEST_CASE("an activity without a tenant stores nothing") {
  store::database db(":memory:");
  auto doc = boost::json::parse(personal).as_object();
  doc.erase("channelData");
  doc["conversation"].as_object().erase("tenantId");
  CHECK(bot::teams::remember_references(db, parsed(boost::json::serialize(doc)), 1000) == 0);
}

TEST_CASE("any activity in a tenant tells its serviceUrl, for users known only by aadObjectId") {
  store::database db(":memory:");
  CHECK_FALSE(bot::teams::tenant_reference(db, "tenant-1"));
  const auto install = parsed(R"({"type":"installationUpdate","action":"add","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/amer/tenant-1/",
    "from":{"id":"29:1admin","aadObjectId":"aad-admin"},
    "conversation":{"id":"19:general@thread.tacv2","conversationType":"channel","isGroup":true},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"},"team":{"id":"19:general@thread.tacv2"}}})");
  CHECK(install.kind == bot::teams::activity_kind::installation_update);
  CHECK(bot::teams::remember_references(db, install, 1000) == 3);
  auto tenant = bot::teams::tenant_reference(db, "tenant-1");
  REQUIRE(tenant);
  CHECK(tenant->service_url == "https://smba.trafficmanager.net/amer/tenant-1/");
  CHECK(tenant->bot_id == "28:app-1");
  CHECK(bot::teams::user_reference(db, "tenant-1", "aad-admin")->user_id == "29:1admin");
  CHECK(bot::teams::conversation_reference_of(db, "tenant-1", "19:general@thread.tacv2"));
  CHECK_FALSE(bot::teams::tenant_reference(db, "tenant-2"));
  // Installed in a team: its roster is to be read.
  CHECK(bot::teams::added_to_team(install));
}

TEST_CASE("only the app's own arrival in a team asks for the team's roster") {
  const auto bot_added = parsed(R"({"type":"conversationUpdate","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/emea/","membersAdded":[{"id":"28:app-1"}],
    "conversation":{"id":"19:general@thread.tacv2","conversationType":"channel","isGroup":true},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"},"team":{"id":"19:general@thread.tacv2"}}})");
  CHECK(bot::teams::added_to_team(bot_added));
  const auto member_added = parsed(R"({"type":"conversationUpdate","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/emea/","membersAdded":[{"id":"29:1new","aadObjectId":"aad-new"}],
    "conversation":{"id":"19:general@thread.tacv2","conversationType":"channel","isGroup":true},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"},"team":{"id":"19:general@thread.tacv2"}}})");
  CHECK_FALSE(bot::teams::added_to_team(member_added));
  CHECK_FALSE(bot::teams::added_to_team(parsed(personal)));
}
