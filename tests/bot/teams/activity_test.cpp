#include "bot/teams/activity.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using bot::teams::activity_kind;
using bot::teams::parse_activity;

namespace {

// A channel message that @mentions the bot, shaped like a real capture.
constexpr const char* channel_mention = R"({
  "text": "<at>Partnerbot</at>&nbsp;clients all missing\n",
  "textFormat": "plain",
  "type": "message",
  "timestamp": "2026-11-30T09:12:33.123Z",
  "id": "1701335553123",
  "channelId": "msteams",
  "serviceUrl": "https://smba.trafficmanager.net/emea/56653e9d-2158-46ee-90d7-675c39642038/",
  "from": {"id": "29:1abc", "name": "Anna Admin", "aadObjectId": "aad-anna"},
  "conversation": {"isGroup": true, "conversationType": "channel", "tenantId": "tenant-1",
                   "id": "19:general@thread.tacv2;messageid=1701335553123"},
  "recipient": {"id": "28:app-1", "name": "Partnerbot"},
  "entities": [
    {"mentioned": {"id": "28:app-1", "name": "Partnerbot"}, "text": "<at>Partnerbot</at>", "type": "mention"},
    {"locale": "da-DK", "country": "DK", "platform": "Web", "timezone": "Europe/Copenhagen", "type": "clientInfo"}
  ],
  "channelData": {"teamsChannelId": "19:general@thread.tacv2", "teamsTeamId": "19:team@thread.tacv2",
                  "channel": {"id": "19:general@thread.tacv2"}, "team": {"id": "19:team@thread.tacv2"},
                  "tenant": {"id": "tenant-1"}},
  "locale": "da-DK"
})";

constexpr const char* personal_message = R"({
  "type": "message", "id": "m-1", "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/emea/",
  "from": {"id": "29:1bo", "name": "Bo", "aadObjectId": "aad-bo"},
  "conversation": {"conversationType": "personal", "tenantId": "tenant-1", "id": "a:1personal"},
  "recipient": {"id": "28:app-1", "name": "Partnerbot"},
  "text": "  search acme  ", "locale": "en-US",
  "channelData": {"tenant": {"id": "tenant-1"}}
})";

std::string with(const char* base, const std::string& key, const boost::json::value& value) {
  auto doc = boost::json::parse(base).as_object();
  doc[key] = value;
  return boost::json::serialize(doc);
}

} // namespace

TEST_CASE("a channel message loses the bot's mention and keeps the command") {
  auto a = parse_activity(channel_mention);
  REQUIRE(a.has_value());
  CHECK(a->kind == activity_kind::message);
  CHECK(a->mentions_bot);
  CHECK(a->text == "clients all missing");
  CHECK(a->service_url == "https://smba.trafficmanager.net/emea/56653e9d-2158-46ee-90d7-675c39642038/");
  CHECK(a->channel_id == "msteams");
  CHECK(a->tenant_id == "tenant-1");
  CHECK(a->team_id == "19:team@thread.tacv2");
  CHECK(a->conversation.type == "channel");
  CHECK(a->conversation.is_group);
  CHECK(a->conversation.without_thread() == "19:general@thread.tacv2");
  CHECK(a->from.id == "29:1abc");
  CHECK(a->from.aad_object_id == "aad-anna");
  CHECK(a->recipient.id == "28:app-1");
  CHECK(a->locale == "da-DK");
}

TEST_CASE("text arrives HTML-escaped and is read as characters") {
  auto a = parse_activity(
      with(personal_message, "text", "search Ærø &amp; S&#248;n&nbsp;&#xC5;&lt;3&gt; &bogus; & done"));
  REQUIRE(a.has_value());
  CHECK(a->text == "search Ærø & Søn Å<3> &bogus; & done");
  auto nul = parse_activity(with(personal_message, "text", "a&#0;b&#xD800;c"));
  REQUIRE(nul.has_value());
  CHECK(nul->text == "a&#0;b&#xD800;c");
}

TEST_CASE("a mention of someone else becomes the grammar's neutral mention") {
  auto doc = boost::json::parse(channel_mention).as_object();
  doc["text"] = "<at>Partnerbot</at> link <at>Bo</at> bo@firm.example";
  doc["entities"].as_array().push_back(
      {{"type", "mention"}, {"mentioned", {{"id", "29:1bo"}, {"name", "Bo"}}}, {"text", "<at>Bo</at>"}});
  auto a = parse_activity(boost::json::serialize(doc));
  REQUIRE(a.has_value());
  CHECK(a->text == "link @{29:1bo} bo@firm.example");
  REQUIRE(a->mentions.size() == 1);
  CHECK(a->mentions[0].user_id == "29:1bo");
  CHECK(a->mentions[0].aad_object_id.empty());

  doc["entities"].as_array().back().as_object()["mentioned"].as_object()["aadObjectId"] = "aad-bo";
  a = parse_activity(boost::json::serialize(doc));
  REQUIRE(a.has_value());
  CHECK(a->text == "link @{aad-bo} bo@firm.example");
  CHECK(a->mentions[0].aad_object_id == "aad-bo");
}

TEST_CASE("text that only looks like a mention of the bot is left alone") {
  auto doc = boost::json::parse(channel_mention).as_object();
  doc["entities"] = boost::json::array{};
  auto a = parse_activity(boost::json::serialize(doc));
  REQUIRE(a.has_value());
  CHECK_FALSE(a->mentions_bot);
  CHECK(a->text.starts_with("<at>Partnerbot</at>"));
}

TEST_CASE("a personal message is trimmed and says where it came from") {
  auto a = parse_activity(personal_message);
  REQUIRE(a.has_value());
  CHECK(a->text == "search acme");
  CHECK(a->conversation.type == "personal");
  CHECK_FALSE(a->conversation.is_group);
  CHECK(a->conversation.id == "a:1personal");
  CHECK(a->value.is_null());
}

TEST_CASE("an Action.Submit press carries the card's data and the card's message id") {
  auto body = with(personal_message, "value", {{"pb", "a"}, {"id", "clients.page"}, {"v", "state"}});
  auto doc = boost::json::parse(body).as_object();
  doc["replyToId"] = "1701335553999";
  doc.erase("text");
  auto a = parse_activity(boost::json::serialize(doc));
  REQUIRE(a.has_value());
  CHECK(a->kind == activity_kind::message);
  CHECK(a->reply_to_id == "1701335553999");
  CHECK(a->text.empty());
  REQUIRE(a->value.is_object());
  CHECK(a->value.at("id") == "clients.page");
}

TEST_CASE("an Action.Execute invoke carries its verb and data") {
  auto doc = boost::json::parse(personal_message).as_object();
  doc["type"] = "invoke";
  doc["name"] = "adaptiveCard/action";
  doc["value"] = {
      {"action", {{"type", "Action.Execute"}, {"verb", "pb"}, {"data", {{"pb", "a"}, {"id", "x"}}}}},
      {"trigger", "manual"}};
  auto a = parse_activity(boost::json::serialize(doc));
  REQUIRE(a.has_value());
  CHECK(a->kind == activity_kind::card_action);
  CHECK(a->verb == "pb");
  CHECK(a->value.at("id") == "x");

  doc["value"].as_object()["action"].as_object()["type"] = "Action.Submit";
  CHECK_FALSE(parse_activity(boost::json::serialize(doc)).has_value());
  doc["value"] = "nope";
  CHECK_FALSE(parse_activity(boost::json::serialize(doc)).has_value());
}

TEST_CASE("installation and membership updates list who was added") {
  auto install = parse_activity(R"({"type":"installationUpdate","action":"add","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/emea/","from":{"id":"29:1anna","aadObjectId":"aad-anna"},
    "conversation":{"id":"a:1anna","conversationType":"personal","tenantId":"tenant-1"},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"}}})");
  REQUIRE(install.has_value());
  CHECK(install->kind == activity_kind::installation_update);
  CHECK(install->action == "add");

  auto joined = parse_activity(R"({"type":"conversationUpdate","channelId":"msteams",
    "serviceUrl":"https://smba.trafficmanager.net/emea/",
    "membersAdded":[{"id":"28:app-1"},{"id":"29:1carla","aadObjectId":"aad-carla"}],
    "conversation":{"id":"19:general@thread.tacv2","conversationType":"channel","isGroup":true},
    "recipient":{"id":"28:app-1"},"channelData":{"tenant":{"id":"tenant-1"},"eventType":"teamMemberAdded"}})");
  REQUIRE(joined.has_value());
  CHECK(joined->kind == activity_kind::conversation_update);
  REQUIRE(joined->members_added.size() == 2);
  CHECK(joined->members_added[1].aad_object_id == "aad-carla");
  CHECK(joined->tenant_id == "tenant-1");
}

TEST_CASE("activities the bot does not handle parse as other") {
  auto typing = parse_activity(R"({"type":"typing","from":{"id":"29:1"}})");
  REQUIRE(typing.has_value());
  CHECK(typing->kind == activity_kind::other);
  auto other_invoke = parse_activity(with(personal_message, "type", "invoke"));
  REQUIRE(other_invoke.has_value());
  CHECK(other_invoke->kind == activity_kind::other);
}

TEST_CASE("malformed activities are refused with a reason") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{", "the body is not valid JSON"},
      {"[1,2]", "the body is not a JSON object"},
      {R"({"text":"hi"})", "type is missing"},
      {with(personal_message, "type", 7), "type is not a string"},
      {with(personal_message, "serviceUrl", nullptr), "serviceUrl is missing"},
      {with(personal_message, "conversation", {{"tenantId", "t"}}), "conversation.id is missing"},
      {with(personal_message, "from", "29:1bo"), "from is not an object"},
      {with(personal_message, "from", {{"id", 5}}), "from.id is not a string"},
      {with(personal_message, "entities", "none"), "entities is not an array"},
      {with(personal_message, "value", "submit"), "value is not an object"},
      {with(personal_message, "text", boost::json::value(std::string(70000, 'x'))),
       "text is longer than 65536 bytes"},
      {with(personal_message, "membersAdded", {{"id", "29:1"}}), "membersAdded is not an array"},
  };
  for (const auto& [body, reason] : cases) {
    CAPTURE(body.substr(0, 200));
    auto a = parse_activity(body);
    REQUIRE_FALSE(a.has_value());
    CHECK(a.error() == reason);
  }
}

TEST_CASE("deeply nested JSON is refused before it is walked") {
  std::string deep = R"({"type":"message","value":)";
  for (int i = 0; i < 100; ++i)
    deep += "[";
  for (int i = 0; i < 100; ++i)
    deep += "]";
  deep += "}";
  auto a = parse_activity(deep);
  REQUIRE_FALSE(a.has_value());
  CHECK(a.error() == "the body is not valid JSON");
}

TEST_CASE("every activity, even one the bot does not handle, says its serviceUrl and channel") {
  auto typing = parse_activity(
      R"({"type":"typing","channelId":"webchat","serviceUrl":"https://webchat.botframework.com/","x":[1]})");
  REQUIRE(typing.has_value());
  CHECK(typing->kind == activity_kind::other);
  CHECK(typing->service_url == "https://webchat.botframework.com/");
  CHECK(typing->channel_id == "webchat");
  auto a = parse_activity(channel_mention);
  REQUIRE(a.has_value());
  CHECK(a->channel_id == "msteams");
  auto bad = parse_activity(R"({"type":"typing","serviceUrl":5})");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error() == "serviceUrl is not a string");
}
