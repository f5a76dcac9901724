// POST /api/messages end to end: a real app on 127.0.0.1 with a fake Bot
// Framework (keys, token endpoint, Connector), activities signed with a key
// made in the test, answers read where Teams would get them.

#include "bot/chat/config.hpp"
#include "bot/cli/digest_command.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/teams/jwt.hpp"
#include "bot/teams/references.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"
#include "store/subscriptions.hpp"
#include "support/conditions.hpp"
#include "support/fake_botframework.hpp"
#include "support/outbox_state.hpp"
#include "support/running_app.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <date/tz.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* app_id = "app-1";
constexpr const char* bot_id = "28:app-1";
constexpr const char* tenant = "tenant-1";
constexpr const char* channel = "19:general@thread.tacv2";

// Nordlys: Anna (admin) and Bo (bookkeeper) pre-linked by Entra id, Carla
// linked by the e-mail on her Teams profile, Dorte on another client, Erik
// never in Teams. Bo looks after Acme and eleven more; Acme's bookkeepers
// are Bo, Carla and Erik (and Anna).
std::string snapshot() {
  json::array clients;
  clients.push_back({{"id", "c-acme"},
                     {"name", "Acme ApS"},
                     {"status", "active"},
                     {"wallet_balance", {{"amount", "1234.50"}, {"currency", "DKK"}}},
                     {"missing_receipts", 4},
                     {"ready_for_export", 2},
                     {"bookkeepers", json::array{"m-bo", "m-carla", "m-erik", "m-anna"}}});
  for (int i = 1; i <= 11; ++i) {
    const auto n = std::to_string(100 + i).substr(1);
    clients.push_back({{"id", "c-" + n},
                       {"name", "Bo Client " + n},
                       {"status", "active"},
                       {"wallet_balance", {{"amount", "10"}, {"currency", "DKK"}}},
                       {"missing_receipts", i},
                       {"ready_for_export", 0},
                       {"bookkeepers", json::array{"m-bo"}}});
  }
  clients.push_back({{"id", "c-dorte"},
                     {"name", "Dorte Data ApS"},
                     {"status", "active"},
                     {"wallet_balance", {{"amount", "5"}, {"currency", "DKK"}}},
                     {"missing_receipts", 0},
                     {"ready_for_export", 0},
                     {"bookkeepers", json::array{"m-dorte"}}});
  json::object doc{{"partner", {{"id", "p-nl"}, {"name", "Nordlys Revision"}, {"teams_tenant_id", tenant}}},
                   {"members",
                    json::array{
                        {{"id", "m-anna"},
                         {"name", "Anna Admin"},
                         {"email", "anna@nordlys.example"},
                         {"role", "admin"},
                         {"teams_aad_object_id", "aad-anna"}},
                        {{"id", "m-bo"},
                         {"name", "Bo Bogholder"},
                         {"email", "bo@nordlys.example"},
                         {"role", "bookkeeper"},
                         {"teams_aad_object_id", "aad-bo"}},
                        {{"id", "m-carla"},
                         {"name", "Carla Christensen"},
                         {"email", "carla@nordlys.example"},
                         {"role", "bookkeeper"}},
                        {{"id", "m-dorte"},
                         {"name", "Dorte Dahl"},
                         {"email", "dorte@nordlys.example"},
                         {"role", "bookkeeper"},
                         {"teams_aad_object_id", "aad-dorte"}},
                        {{"id", "m-erik"},
                         {"name", "Erik Eriksen"},
                         {"email", "erik@nordlys.example"},
                         {"role", "bookkeeper"}},
                    }},
                   {"clients", std::move(clients)}};
  return json::serialize(doc);
}

struct person {
  std::string teams_id; // "29:..."
  std::string aad;
};
const person anna{"29:anna", "aad-anna"};
const person bo{"29:bo", "aad-bo"};
const person carla{"29:carla", "aad-carla"};
const person dorte{"29:dorte", "aad-dorte"};

const person gus{"29:gus", "aad-gus"};    // a guest in the firm's tenant
const person olga{"29:olga", "aad-olga"}; // from another tenant, in a shared channel

std::string personal_chat(const person& p) {
  return "a:" + p.teams_id;
}

// The firm's app, talking to its own fake Bot Framework.
struct teams_app {
  test_support::fake_botframework fake;
  test_support::rsa_test_key key{"test-key-1"};
  test_support::temp_path db;
  std::optional<test_support::running_app> app;
  int sent_activities = 0;

  explicit teams_app(bool configured = true, const std::string& firm = snapshot()) {
    fake.publish(key);
    fake.add_member(carla.teams_id, "carla@nordlys.example", tenant, "user");
    {
      store::database d(db.str());
      REQUIRE(bot::import_snapshot(d, firm, "2026-11-27T09:00:00Z").ok);
    }
    app.emplace(config(configured), true);
  }

  bot::config config(bool configured = true) const {
    bot::config cfg;
    cfg.db_path = db.str();
    if (configured) cfg.microsoft_app_id = app_id;
    cfg.microsoft_app_password = "app-password";
    cfg.botframework_openid_metadata = fake.metadata_url();
    cfg.botframework_token_url = fake.token_url();
    return cfg;
  }

  std::string token(json::object claims) const { return key.sign(claims); }
  std::string token() const {
    return token(
        test_support::bot_framework_claims(app_id, fake.service_url(), std::chrono::system_clock::now()));
  }

  test_support::http_reply post(const json::object& activity, const std::string& authorization) {
    return test_support::http_request(
        app->port(), "POST", "/api/messages", json::serialize(activity),
        {{"Content-Type", "application/json"}, {"Authorization", authorization}});
  }
  test_support::http_reply post(const json::object& activity) { return post(activity, "Bearer " + token()); }

  json::object base(const std::string& type, const person& from, const std::string& conversation,
                    const std::string& conversation_type) {
    return json::object{{"type", type},
                        {"id", "incoming-" + std::to_string(++sent_activities)},
                        {"channelId", "msteams"},
                        {"serviceUrl", fake.service_url()},
                        {"from", {{"id", from.teams_id}, {"aadObjectId", from.aad}, {"name", from.aad}}},
                        {"conversation",
                         {{"id", conversation},
                          {"conversationType", conversation_type},
                          {"tenantId", tenant},
                          {"isGroup", conversation_type != "personal"}}},
                        {"recipient", {{"id", bot_id}, {"name", "Partnerbot"}}},
                        {"locale", "en-US"},
                        {"channelData", {{"tenant", {{"id", tenant}}}}}};
  }

  // Text typed in the person's personal chat with the bot.
  test_support::http_reply say(const person& p, const std::string& text) {
    auto a = base("message", p, personal_chat(p), "personal");
    a["text"] = text;
    return post(a);
  }
  // A card control pressed (Action.Submit): the data, plus input values Teams merges in.
  test_support::http_reply press(const person& p, const std::string& card_activity_id, json::object value) {
    auto a = base("message", p, personal_chat(p), "personal");
    a["replyToId"] = card_activity_id;
    a["value"] = std::move(value);
    return post(a);
  }
  // The team's install: the bot and these members added to the channel.
  void install_in_team(const std::vector<person>& members) {
    auto a = base("conversationUpdate", anna, channel, "channel");
    json::array added{{{"id", bot_id}}};
    for (const auto& m : members)
      added.push_back({{"id", m.teams_id}, {"aadObjectId", m.aad}});
    a["membersAdded"] = std::move(added);
    a.erase("from");
    REQUIRE(post(a).status == 200);
  }

  // The next activity the bot sends, after `before` sends were seen.
  test_support::botframework_request next_send(std::size_t before) {
    REQUIRE(fake.wait_for("send", before + 1, 10s));
    return fake.requests_to("send").at(before);
  }
};

json::object card_of(const test_support::botframework_request& sent) {
  const auto& attachments = sent.body.at("attachments").as_array();
  REQUIRE(attachments.size() == 1);
  CHECK(attachments[0].at("contentType") == "application/vnd.microsoft.card.adaptive");
  return attachments[0].at("content").as_object();
}

std::string text_of(const json::value& card) {
  return test_support::all_text(card);
}

// An Action.Submit whose title contains `title_part`: its data.
std::optional<json::object> submit_data(const json::value& v, std::string_view title_part) {
  if (const auto* o = v.if_object()) {
    const auto* type = o->if_contains("type");
    const auto* title = o->if_contains("title");
    if (type && *type == "Action.Submit" && title && title->is_string() &&
        std::string_view(title->get_string()).find(title_part) != std::string_view::npos)
      return o->at("data").as_object();
    for (const auto& [k, child] : *o)
      if (auto found = submit_data(child, title_part)) return found;
  } else if (const auto* a = v.if_array()) {
    for (const auto& child : *a)
      if (auto found = submit_data(child, title_part)) return found;
  }
  return std::nullopt;
}

// Every input of a card (Input.Toggle, Input.Text): id -> type.
void inputs_of(const json::value& v, std::map<std::string, std::string>& out) {
  if (const auto* o = v.if_object()) {
    const auto* type = o->if_contains("type");
    if (type && type->is_string() && type->get_string().starts_with("Input."))
      out[std::string(o->at("id").as_string())] = std::string(type->get_string());
    for (const auto& [k, child] : *o)
      inputs_of(child, out);
  } else if (const auto* a = v.if_array()) {
    for (const auto& child : *a)
      inputs_of(child, out);
  }
}

// A counter from /metrics (the full sample name, labels included); -1 when absent.
long long teams_metric(const teams_app& t, const std::string& sample) {
  const auto r = test_support::http_request(t.app->port(), "GET", "/metrics");
  const auto at = r.body.find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(r.body.substr(at + sample.size() + 2));
}

std::string refused_metric(const std::string& reason) {
  return "partnerbot_teams_activities_refused_total{reason=\"" + reason + "\"}";
}

std::set<std::string> created_for(const test_support::fake_botframework& fake) {
  std::set<std::string> out;
  for (const auto& r : fake.requests_to("create"))
    out.insert(std::string(r.body.at("members").at(0).at("id").as_string()));
  return out;
}

// Fjord: Anna (admin) and three bookkeepers of Fjord Fisk ApS whom the
// snapshot links by Entra id and who never wrote to the bot: Yrsa and Zeki
// have the app, Xenia has not.
std::string teams_fjord_snapshot() {
  json::array clients;
  clients.push_back({{"id", "c-fjord"},
                     {"name", "Fjord Fisk ApS"},
                     {"status", "active"},
                     {"wallet_balance", {{"amount", "10"}, {"currency", "DKK"}}},
                     {"missing_receipts", 3},
                     {"ready_for_export", 1},
                     {"bookkeepers", json::array{"m-yrsa", "m-zeki", "m-xenia"}}});
  const auto member = [](const char* id, const char* name, const char* role, const char* aad) {
    return json::object{{"id", id},
                        {"name", name},
                        {"email", std::string(id) + "@fjord.example"},
                        {"role", role},
                        {"teams_aad_object_id", aad}};
  };
  json::object doc{{"partner", {{"id", "p-fjord"}, {"name", "Fjord Revision"}, {"teams_tenant_id", tenant}}},
                   {"members", json::array{member("m-anna", "Anna Admin", "admin", "aad-anna"),
                                           member("m-yrsa", "Yrsa Yde", "bookkeeper", "aad-yrsa"),
                                           member("m-zeki", "Zeki Zorlu", "bookkeeper", "aad-zeki"),
                                           member("m-xenia", "Xenia Xu", "bookkeeper", "aad-xenia")}},
                   {"clients", std::move(clients)}};
  return json::serialize(doc);
}

} // namespace

TEST_CASE("an activity without a valid Bot Framework token gets 401 and changes nothing") {
  teams_app t;
  auto message = t.base("message", anna, personal_chat(anna), "personal");
  message["text"] = "clients";
  const auto now = std::chrono::system_clock::now();
  const auto good = test_support::bot_framework_claims(app_id, t.fake.service_url(), now);

  auto expired = good;
  expired["exp"] = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count() - 600;
  auto other_bot = good;
  other_bot["aud"] = "someone-else";
  auto other_issuer = good;
  other_issuer["iss"] = "https://login.microsoftonline.com/tenant-1/v2.0";
  auto other_service = good;
  other_service["serviceurl"] = "https://smba.trafficmanager.net/emea/";
  test_support::rsa_test_key stranger("unpublished-key");
  const auto payload = bot::teams::base64url_encode(json::serialize(good));
  const auto tampered_token = [&] {
    auto token = t.token(good);
    auto changed = other_bot;
    changed["aud"] = app_id;
    changed["exp"] = good.at("exp").as_int64() + 86400;
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    return token.substr(0, first + 1) + bot::teams::base64url_encode(json::serialize(changed)) +
           token.substr(second);
  }();

  const std::vector<std::pair<std::string, std::string>> refused = {
      {"no token", ""},
      {"expired", "Bearer " + t.token(expired)},
      {"wrong audience", "Bearer " + t.token(other_bot)},
      {"wrong issuer", "Bearer " + t.token(other_issuer)},
      {"wrong serviceurl", "Bearer " + t.token(other_service)},
      {"unknown kid", "Bearer " + stranger.sign(good)},
      {"alg none", "Bearer " + bot::teams::base64url_encode(R"({"alg":"none","kid":"test-key-1"})") + "." +
                       payload + "."},
      {"tampered payload", "Bearer " + tampered_token},
  };
  for (const auto& [why, authorization] : refused) {
    CAPTURE(why);
    auto r = t.post(message, authorization);
    CHECK(r.status == 401);
    CHECK(r.body == "Unauthorized");
  }
  // The unknown kid fetched the keys once more, then was refused.
  CHECK(t.fake.requests_to("keys").size() == 2);
  std::this_thread::sleep_for(300ms);
  CHECK(t.fake.requests_to("token").empty());
  CHECK(t.fake.requests_to("send").empty());
  store::database db(t.db.str());
  CHECK_FALSE(bot::teams::user_reference(db, tenant, anna.aad));

  // The same activity with a good token is answered.
  CHECK(t.post(message).status == 200);
  CHECK(t.fake.wait_for("send", 1, 10s));
}

TEST_CASE("a malformed activity with a good token gets 400, and without MicrosoftAppId 503") {
  teams_app t;
  json::object broken{{"type", "message"},
                      {"channelId", "msteams"},
                      {"serviceUrl", t.fake.service_url()},
                      {"text", "clients"}};
  auto r = t.post(broken);
  CHECK(r.status == 400);
  CHECK(r.body == "Malformed activity: conversation.id is missing");

  teams_app unconfigured(false);
  auto refused = unconfigured.say(anna, "clients");
  CHECK(refused.status == 503);
  CHECK(unconfigured.fake.requests_to("keys").empty());
}

TEST_CASE(
    "a bookkeeper's list in a personal chat is a card, and its page button updates that card in place") {
  teams_app t;
  REQUIRE(t.say(bo, "clients").status == 200);
  const auto sent = t.next_send(0);
  CHECK(sent.conversation_id == personal_chat(bo));
  const auto card = card_of(sent);
  const auto text = text_of(card);
  CHECK(text.find("Acme ApS") != std::string::npos);
  CHECK(text.find("Bo Client 01") != std::string::npos);
  CHECK(text.find("Dorte Data ApS") == std::string::npos);
  CHECK(text.find("Showing 1\u201310 of 12") != std::string::npos);

  auto next = submit_data(card, "Next");
  REQUIRE(next);
  const std::string card_id = "activity-of-the-list";
  REQUIRE(t.press(bo, card_id, *next).status == 200);
  REQUIRE(t.fake.wait_for("update", 1, 10s));
  const auto update = t.fake.requests_to("update").at(0);
  CHECK(update.conversation_id == personal_chat(bo));
  CHECK(update.activity_id == card_id);
  const auto page2 = text_of(card_of(update));
  CHECK(page2.find("Showing 11\u201312 of 12") != std::string::npos);
  CHECK(page2.find("Dorte Data ApS") == std::string::npos);
  // One token for every reply.
  CHECK(t.fake.requests_to("token").size() == 1);
  CHECK(update.authorization == sent.authorization);
}

TEST_CASE("an Action.Execute press is answered with the updated card in the invoke response") {
  teams_app t;
  REQUIRE(t.say(bo, "clients").status == 200);
  const auto card = card_of(t.next_send(0));
  auto next = submit_data(card, "Next");
  REQUIRE(next);

  auto invoke = t.base("invoke", bo, personal_chat(bo), "personal");
  invoke["name"] = "adaptiveCard/action";
  invoke["replyToId"] = "activity-of-the-list";
  invoke["value"] = {{"action", {{"type", "Action.Execute"}, {"verb", "pb"}, {"data", *next}}},
                     {"trigger", "manual"}};
  auto r = t.post(invoke);
  REQUIRE(r.status == 200);
  const auto body = json::parse(r.body).as_object();
  CHECK(body.at("statusCode") == 200);
  CHECK(body.at("type") == "application/vnd.microsoft.card.adaptive");
  CHECK(body.at("value").at("type") == "AdaptiveCard");
  CHECK(text_of(body.at("value")).find("Showing 11\u201312 of 12") != std::string::npos);
  // Answered in place: no extra message.
  std::this_thread::sleep_for(300ms);
  CHECK(t.fake.requests_to("send").size() == 1);
  CHECK(t.fake.requests_to("update").empty());

  // A press the bot did not make is answered, and changes nothing.
  invoke["value"] = {{"action", {{"type", "Action.Execute"}, {"verb", "x"}, {"data", {{"foo", "bar"}}}}}};
  auto stale = t.post(invoke);
  REQUIRE(stale.status == 200);
  CHECK(json::parse(stale.body).at("type") == "application/vnd.microsoft.activity.message");
}

TEST_CASE("an answer to an @mention in a channel goes to the asker's 1:1 chat, not the channel") {
  teams_app t;
  auto a = t.base("message", anna, std::string(channel) + ";messageid=1700000000001", "channel");
  a["text"] = "<at>Partnerbot</at> clients all";
  a["entities"] = json::array{{{"type", "mention"},
                               {"mentioned", {{"id", bot_id}, {"name", "Partnerbot"}}},
                               {"text", "<at>Partnerbot</at>"}}};
  REQUIRE(t.post(a).status == 200);
  const auto sent = t.next_send(0);
  CHECK(sent.conversation_id == personal_chat(anna));
  CHECK(created_for(t.fake) == std::set<std::string>{anna.teams_id});
  CHECK(text_of(card_of(sent)).find("Showing 1\u201310 of 13") != std::string::npos); // an admin's "all" tab
  for (const auto& r : t.fake.requests_to("send"))
    CHECK(r.conversation_id.find("thread") == std::string::npos);
  // The channel is remembered for channel digests.
  store::database db(t.db.str());
  CHECK(bot::teams::conversation_reference_of(db, tenant, channel));
}

TEST_CASE("a reminder from Teams reaches exactly the client's bookkeepers by proactive 1:1 chats") {
  teams_app t;
  t.install_in_team({bo, carla, dorte});
  // Carla talks to the bot once: linked by the e-mail on her Teams profile.
  REQUIRE(t.say(carla, "help").status == 200);
  t.next_send(0);
  {
    store::database db(t.db.str());
    CHECK(store::directory(db).member_for_identity("teams", tenant, carla.aad)->id == "m-carla");
  }

  REQUIRE(t.say(anna, "remind Acme").status == 200);
  const auto form_message = t.next_send(1);
  CHECK(form_message.conversation_id == personal_chat(anna));
  const auto form = card_of(form_message);
  auto submit = submit_data(form, "Send");
  REQUIRE(submit);
  std::map<std::string, std::string> inputs;
  inputs_of(form, inputs);
  int toggles = 0;
  for (const auto& [id, type] : inputs) {
    if (type == "Input.Toggle") (*submit)[id] = (toggles++ == 0) ? "true" : "false";
    if (type == "Input.Text") (*submit)[id] = "Please upload the receipts before Friday.";
  }
  REQUIRE(toggles == 3);
  const auto sends_before = t.fake.requests_to("send").size();
  REQUIRE(t.press(anna, "activity-of-the-form", *submit).status == 200);

  // Bo and Carla (not Anna, who sent it; not Dorte; Erik is not in Teams), and Anna's confirmation.
  REQUIRE(t.fake.wait_for("send", sends_before + 3, 10s));
  // A submission is answered once its messages are queued: with the outbox
  // drained, nothing more is sent.
  REQUIRE(test_support::outbox_drained(t.db.str()));
  CHECK(created_for(t.fake) == std::set<std::string>{bo.teams_id, carla.teams_id});
  std::map<std::string, std::string> to;
  const auto sends = t.fake.requests_to("send");
  for (auto r = sends.begin() + static_cast<std::ptrdiff_t>(sends_before); r != sends.end(); ++r)
    to[r->conversation_id] = text_of(card_of(*r));
  REQUIRE(to.contains(personal_chat(bo)));
  REQUIRE(to.contains(personal_chat(carla)));
  CHECK(to[personal_chat(bo)].find("Acme ApS") != std::string::npos);
  CHECK(to[personal_chat(bo)].find("Please upload the receipts before Friday.") != std::string::npos);
  CHECK(to[personal_chat(anna)].find("Erik Eriksen") != std::string::npos); // could not be reached
  CHECK_FALSE(to.contains(personal_chat(dorte)));
  for (auto r = sends.begin() + static_cast<std::ptrdiff_t>(sends_before); r != sends.end(); ++r)
    if (r->conversation_id == personal_chat(bo) || r->conversation_id == personal_chat(carla))
      CHECK(r->body.at("channelData").at("notification").at("alert") == true);

  store::database db(t.db.str());
  const auto recorded = store::reminders(db).latest_for_client("c-acme", 5);
  REQUIRE(recorded.size() == 1);

  // The same submission again (Teams redelivers, or a double click) sends nothing more.
  REQUIRE(t.press(anna, "activity-of-the-form", *submit).status == 200);
  REQUIRE(test_support::outbox_drained(t.db.str()));
  CHECK(store::reminders(db).latest_for_client("c-acme", 5).size() == 1);
  CHECK(t.fake.requests_to("send").size() == sends.size());
}

TEST_CASE("a digest subscribed from Teams is delivered by proactive DM when the slot comes") {
  teams_app t;
  REQUIRE(t.say(bo, "digest Acme weekly").status == 200);
  const auto confirmation = text_of(card_of(t.next_send(0)));
  CHECK(confirmation.find("Monday") != std::string::npos);
  {
    store::database db(t.db.str());
    CHECK(store::subscriptions(db).of_member("m-bo").size() == 1);
  }

  using namespace std::chrono;
  const auto today = floor<days>(system_clock::now());
  auto ahead = (date::Monday - date::weekday{today}).count();
  if (ahead == 0) ahead = 7;
  const auto monday_afternoon = sys_days{today + days{ahead}} + hours{13};
  REQUIRE(bot::run_digest_command(t.config(), monday_afternoon) == 0);

  CHECK(created_for(t.fake) == std::set<std::string>{bo.teams_id});
  const auto sends = t.fake.requests_to("send");
  REQUIRE(sends.size() == 2);
  CHECK(sends[1].conversation_id == personal_chat(bo));
  const auto digest = text_of(card_of(sends[1]));
  CHECK(digest.find("Acme ApS") != std::string::npos);
  CHECK(digest.find("Bo Client") == std::string::npos);
  CHECK(sends[1].body.at("channelData").at("notification").at("alert") == true);

  // The same slot again sends nothing.
  REQUIRE(bot::run_digest_command(t.config(), monday_afternoon + hours{2}) == 0);
  CHECK(t.fake.requests_to("send").size() == 2);
}

TEST_CASE("a Teams reminder reaches bookkeepers who never wrote to the bot, and the admin learns who has "
          "not got the app") {
  teams_app t(true, teams_fjord_snapshot());
  t.fake.refuse_conversation("aad-xenia");

  // Anna opens the form: it comes through the outbox as a card in her chat.
  REQUIRE(t.say(anna, "remind Fjord").status == 200);
  const auto form_message = t.next_send(0);
  CHECK(form_message.conversation_id == personal_chat(anna));
  {
    store::database db(t.db.str());
    // The row is marked sent just after the Connector took it.
    CHECK(test_support::eventually([&] {
      const auto forms = store::outbox(db).by_origin("form");
      return forms.size() == 1 && forms[0].status == "sent";
    }));
  }
  const auto form = card_of(form_message);
  auto submit = submit_data(form, "Send");
  REQUIRE(submit);
  std::map<std::string, std::string> inputs;
  inputs_of(form, inputs);
  for (const auto& [id, type] : inputs)
    if (type == "Input.Toggle") (*submit)[id] = "true";
  REQUIRE(t.press(anna, "activity-of-the-form", *submit).status == 200);

  // Two DMs and, once they are delivered, Anna's confirmation.
  REQUIRE(t.fake.wait_for("send", 4, 10s));
  const auto created = t.fake.created_for();
  CHECK(std::set<std::string>(created.begin(), created.end()) ==
        std::set<std::string>{"aad-yrsa", "aad-zeki", "aad-xenia"});
  std::map<std::string, std::string> to;
  for (const auto& r : t.fake.requests_to("send"))
    to[r.conversation_id] = text_of(card_of(r));
  CHECK(to.size() == 3);
  REQUIRE(to.contains("a:aad-yrsa"));
  REQUIRE(to.contains("a:aad-zeki"));
  CHECK(to["a:aad-yrsa"].find("Fjord Fisk ApS") != std::string::npos);
  CHECK_FALSE(to.contains("a:aad-xenia"));
  const auto confirmation = to[personal_chat(anna)];
  CHECK(confirmation.find("Done! 2 bookkeepers notified about Fjord Fisk ApS") != std::string::npos);
  CHECK(confirmation.find("Xenia Xu (has not got the app in Teams)") != std::string::npos);
  CHECK(confirmation.find("Yrsa") == std::string::npos);

  store::database db(t.db.str());
  const auto recorded = store::reminders(db).latest_for_client("c-fjord", 5);
  REQUIRE(recorded.size() == 1);
  std::map<std::string, std::string> outcome;
  for (const auto& r : recorded[0].recipients)
    outcome[r.member_id] = r.outcome;
  CHECK(outcome["m-yrsa"] == "sent");
  CHECK(outcome["m-zeki"] == "sent");
  CHECK(outcome["m-xenia"] == "failed: unreachable: ForbiddenOperationException");
  // The chats made are remembered for the next reminder.
  CHECK(bot::teams::user_reference(db, tenant, "aad-yrsa")->conversation_id == "a:aad-yrsa");
}

TEST_CASE("the app added to a team reads the team's roster, so its members are reachable at once") {
  teams_app t(true, teams_fjord_snapshot());
  // More members than one page holds.
  for (int i = 0; i < 501; ++i)
    t.fake.add_roster_member(channel, "29:member-" + std::to_string(i), "aad-member-" + std::to_string(i),
                             "Member " + std::to_string(i));
  auto a = t.base("conversationUpdate", anna, channel, "channel");
  a["membersAdded"] = json::array{{{"id", bot_id}}};
  a["channelData"] = {{"tenant", {{"id", tenant}}}, {"team", {{"id", channel}, {"name", "Fjord"}}}};
  REQUIRE(t.post(a).status == 200);

  REQUIRE(t.fake.wait_for("roster", 2, 10s));
  const auto pages = t.fake.requests_to("roster");
  CHECK(pages[0].conversation_id == channel);
  CHECK(pages[1].query.find("continuationToken=500") != std::string::npos);
  store::database db(t.db.str());
  REQUIRE(test_support::eventually(
      [&] { return bot::teams::user_reference(db, tenant, "aad-member-500").has_value(); }, 10s));
  CHECK(bot::teams::user_reference(db, tenant, "aad-member-0")->user_id == "29:member-0");
  // The team's channel too, for channel digests.
  CHECK(bot::teams::conversation_reference_of(db, tenant, channel));

  // A member who joins later is stored from their own conversationUpdate; no roster read.
  auto joined = t.base("conversationUpdate", anna, channel, "channel");
  joined["membersAdded"] = json::array{{{"id", "29:late"}, {"aadObjectId", "aad-late"}}};
  joined["channelData"] = a["channelData"];
  REQUIRE(t.post(joined).status == 200);
  CHECK(bot::teams::user_reference(db, tenant, "aad-late")->user_id == "29:late");
  CHECK(t.fake.requests_to("roster").size() == 2);
}

TEST_CASE("an installationUpdate in a personal scope stores the installer and the tenant") {
  teams_app t(true, teams_fjord_snapshot());
  auto a = t.base("installationUpdate", bo, personal_chat(bo), "personal");
  a["action"] = "add";
  REQUIRE(t.post(a).status == 200);
  store::database db(t.db.str());
  CHECK(bot::teams::user_reference(db, tenant, bo.aad)->user_id == bo.teams_id);
  CHECK(bot::teams::tenant_reference(db, tenant)->service_url == t.fake.service_url());
  CHECK(t.fake.requests_to("roster").empty());
}

TEST_CASE("an activity from a channel other than Teams is refused before anything happens") {
  teams_app t;
  // The Bot Framework's keys are endorsed for many channels, not only Teams.
  t.fake.publish(t.key, {"msteams", "webchat", "directline"});
  // A Direct Line or Web Chat client writes any tenant and user ids into
  // its body: here the firm's admin, whose clients it asks for.
  for (const char* channel_id : {"webchat", "directline"}) {
    CAPTURE(channel_id);
    auto a = t.base("message", anna, personal_chat(anna), "personal");
    a["channelId"] = channel_id;
    a["text"] = "clients all";
    auto r = t.post(a);
    CHECK(r.status == 403);
    CHECK(r.body == "Forbidden: only Microsoft Teams activities are accepted.");
    auto install = t.base("installationUpdate", anna, channel, "channel");
    install["channelId"] = channel_id;
    install["action"] = "add";
    CHECK(t.post(install).status == 403);
  }
  CHECK(teams_metric(t, refused_metric("channel")) == 4);

  // Bo asks from Teams, and is answered; Anna's requests left nothing behind.
  REQUIRE(t.say(bo, "clients").status == 200);
  CHECK(t.next_send(0).conversation_id == personal_chat(bo));
  store::database db(t.db.str());
  REQUIRE(test_support::eventually([&] { return store::outbox(db).counts().sent == 1; }));
  const auto counts = store::outbox(db).counts();
  CHECK(counts.pending == 0);
  CHECK(counts.failed == 0);
  CHECK(t.fake.requests_to("send").size() == 1);
  CHECK(t.fake.requests_to("create").empty());
  CHECK(t.fake.requests_to("member").empty());
  CHECK_FALSE(bot::teams::user_reference(db, tenant, anna.aad));
  CHECK_FALSE(bot::teams::conversation_reference_of(db, tenant, personal_chat(anna)));
  CHECK_FALSE(bot::teams::conversation_reference_of(db, tenant, channel));
}

TEST_CASE("a request without a valid token is refused before its body is parsed") {
  teams_app t;
  // Nearly a megabyte, and not even JSON: reading it would cost the I/O thread.
  const std::string huge = R"({"type":"message","text":")" + std::string(900 * 1024, '[');
  auto expired =
      test_support::bot_framework_claims(app_id, t.fake.service_url(), std::chrono::system_clock::now());
  expired["exp"] = expired.at("nbf").as_int64() - 3600;
  for (const std::string& authorization :
       {std::string(), std::string("Bearer not-a-token"), "Bearer " + t.token(expired)}) {
    CAPTURE(authorization.substr(0, 20));
    auto r =
        test_support::http_request(t.app->port(), "POST", "/api/messages", huge,
                                   {{"Content-Type", "application/json"}, {"Authorization", authorization}});
    CHECK(r.status == 401);
    CHECK(r.body == "Unauthorized");
  }
  CHECK(teams_metric(t, "partnerbot_teams_activity_bodies_parsed_total") == 0);
  CHECK(teams_metric(t, refused_metric("token")) == 3);

  // With a valid token the body is read (and refused as what it is).
  auto malformed = test_support::http_request(
      t.app->port(), "POST", "/api/messages", huge,
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + t.token()}});
  CHECK(malformed.status == 400);
  CHECK(teams_metric(t, "partnerbot_teams_activity_bodies_parsed_total") == 1);

  // A valid token for the fake's serviceUrl, on an activity naming another one.
  auto a = t.base("message", anna, personal_chat(anna), "personal");
  a["serviceUrl"] = "https://smba.trafficmanager.net/emea/";
  a["text"] = "clients";
  auto moved = t.post(a);
  CHECK(moved.status == 401);
  CHECK(moved.body == "Unauthorized");
  CHECK(teams_metric(t, refused_metric("service_url")) == 1);
  CHECK(t.fake.requests_to("token").empty());
  store::database db(t.db.str());
  CHECK_FALSE(bot::teams::user_reference(db, tenant, anna.aad));
}

TEST_CASE("an activity whose serviceUrl is not the Bot Connector's is refused, and the token goes nowhere") {
  teams_app t;
  const std::string elsewhere = "https://connector.attacker.example/teams/";
  auto a = t.base("message", anna, personal_chat(anna), "personal");
  a["serviceUrl"] = elsewhere;
  a["text"] = "clients";
  const auto signed_for_elsewhere =
      t.token(test_support::bot_framework_claims(app_id, elsewhere, std::chrono::system_clock::now()));
  auto r = t.post(a, "Bearer " + signed_for_elsewhere);
  CHECK(r.status == 403);
  CHECK(r.body == "Forbidden: serviceUrl is not a Bot Connector.");
  CHECK(teams_metric(t, refused_metric("connector_host")) == 1);
  CHECK(t.fake.requests_to("token").empty());
  store::database db(t.db.str());
  CHECK_FALSE(bot::teams::user_reference(db, tenant, anna.aad));
  CHECK(store::outbox(db).counts().pending == 0);
}

TEST_CASE("a guest or someone from another tenant is not linked by the e-mail on their Teams profile") {
  teams_app t;
  // Both show the address of Erik, whom no chat user holds yet.
  t.fake.add_member(gus.teams_id, "erik@nordlys.example", tenant, "guest");
  t.fake.add_member(olga.teams_id, "erik@nordlys.example", "tenant-other", "user");
  std::size_t sends = 0;

  REQUIRE(t.say(gus, "clients").status == 200);
  CHECK(text_of(card_of(t.next_send(sends++))).find("Acme ApS") == std::string::npos);
  REQUIRE(t.say(gus, "link erik@nordlys.example").status == 200);
  CHECK(text_of(card_of(t.next_send(sends++))).find("Linked") == std::string::npos);

  // Olga writes in the shared channel the bot is in.
  auto from_outside = t.base("message", olga, std::string(channel) + ";messageid=1700000000002", "channel");
  from_outside["text"] = "<at>Partnerbot</at> clients";
  from_outside["entities"] = json::array{{{"type", "mention"},
                                          {"mentioned", {{"id", bot_id}, {"name", "Partnerbot"}}},
                                          {"text", "<at>Partnerbot</at>"}}};
  REQUIRE(t.post(from_outside).status == 200);
  const auto to_olga = t.next_send(sends++);
  CHECK(to_olga.conversation_id == personal_chat(olga));
  CHECK(text_of(card_of(to_olga)).find("Acme ApS") == std::string::npos);

  // Their profiles were read, and vouched for nothing.
  std::set<std::string> asked;
  for (const auto& m : t.fake.requests_to("member"))
    asked.insert(m.activity_id);
  CHECK(asked.contains(gus.teams_id));
  CHECK(asked.contains(olga.teams_id));
  {
    store::database db(t.db.str());
    CHECK_FALSE(store::directory(db).member_for_identity("teams", tenant, gus.aad));
    CHECK_FALSE(store::directory(db).member_for_identity("teams", tenant, olga.aad));
  }

  // An admin links the guest.
  auto link = t.base("message", anna, personal_chat(anna), "personal");
  link["text"] = "link <at>Gus</at> erik@nordlys.example";
  link["entities"] =
      json::array{{{"type", "mention"},
                   {"mentioned", {{"id", gus.teams_id}, {"aadObjectId", gus.aad}, {"name", "Gus"}}},
                   {"text", "<at>Gus</at>"}}};
  REQUIRE(t.post(link).status == 200);
  t.next_send(sends++);
  store::database db(t.db.str());
  const auto linked = store::directory(db).member_for_identity("teams", tenant, gus.aad);
  REQUIRE(linked);
  CHECK(linked->id == "m-erik");
}

TEST_CASE("a reminder confirmation goes to its sender only, whatever conversation the form names") {
  teams_app t;
  REQUIRE(t.say(bo, "help").status == 200); // Bo's personal chat is known to the bot
  t.next_send(0);
  REQUIRE(t.say(anna, "remind Dorte Data ApS").status == 200);
  const auto form = card_of(t.next_send(1));
  auto submit = submit_data(form, "Send");
  REQUIRE(submit);
  std::map<std::string, std::string> inputs;
  inputs_of(form, inputs);
  int toggles = 0;
  for (const auto& [id, type] : inputs)
    if (type == "Input.Toggle") (*submit)[id] = (toggles++ == 0) ? "true" : "false";
  REQUIRE(toggles == 3);
  // The card's data is the submitter's to edit: this form says its
  // confirmation goes to Bo's personal chat.
  auto meta = json::parse(submit->at("meta").as_string()).as_object();
  REQUIRE(meta.at("conversation").as_string() == personal_chat(anna));
  meta["conversation"] = personal_chat(bo);
  (*submit)["meta"] = json::serialize(meta);
  const auto sends_before = t.fake.requests_to("send").size();
  REQUIRE(t.press(anna, "activity-of-the-form", *submit).status == 200);

  std::optional<test_support::botframework_request> confirmation;
  REQUIRE(test_support::eventually(
      [&] {
        const auto sends = t.fake.requests_to("send");
        for (auto r = sends.begin() + static_cast<std::ptrdiff_t>(sends_before); r != sends.end(); ++r)
          if (r->conversation_id == personal_chat(anna)) confirmation = *r;
        return confirmation.has_value();
      },
      10s));
  CHECK(text_of(card_of(*confirmation)).find("Dorte Data ApS") != std::string::npos);
  store::database db(t.db.str());
  REQUIRE(test_support::eventually([&] { return store::outbox(db).counts().pending == 0; }, 10s));
  const auto sends = t.fake.requests_to("send");
  for (auto r = sends.begin() + static_cast<std::ptrdiff_t>(sends_before); r != sends.end(); ++r)
    CHECK(r->conversation_id != personal_chat(bo));
}

TEST_CASE("the app installed for a user welcomes them once with their home in their language, and `home` "
          "shows it again") {
  teams_app t;
  // Anna installs it for herself with Teams in Danish: Teams announces it twice.
  auto install = t.base("installationUpdate", anna, personal_chat(anna), "personal");
  install["action"] = "add";
  install["locale"] = "da-DK";
  REQUIRE(t.post(install).status == 200);
  auto added = t.base("conversationUpdate", anna, personal_chat(anna), "personal");
  added["membersAdded"] = json::array{{{"id", bot_id}}};
  added["locale"] = "da-DK";
  REQUIRE(t.post(added).status == 200);
  // Removing it, or adding it to a team, welcomes nobody.
  auto removed = t.base("installationUpdate", bo, personal_chat(bo), "personal");
  removed["action"] = "remove";
  REQUIRE(t.post(removed).status == 200);
  t.install_in_team({bo});

  const auto welcome = t.next_send(0);
  CHECK(welcome.conversation_id == personal_chat(anna));
  const auto card = card_of(welcome);
  const auto text = text_of(card);
  const auto whole = json::serialize(card); // names and labels are titles too
  CHECK(text.find("Hej Anna Admin") != std::string::npos);
  CHECK(text.find("Kunder der kr\u00e6ver opm\u00e6rksomhed") != std::string::npos);
  CHECK(whole.find("Bo Client 11") != std::string::npos);   // most missing receipts first
  CHECK(whole.find("Dorte Data ApS") == std::string::npos); // nothing missing
  CHECK(text.find("Nordlys Revision i alt") != std::string::npos);
  CHECK(whole.find("Giv bogholderne besked") != std::string::npos);

  // Typed (from an English Teams this time): the same home, in English.
  REQUIRE(t.say(anna, "home").status == 200);
  const auto typed = t.next_send(1);
  CHECK(typed.conversation_id == personal_chat(anna));
  const auto typed_card = card_of(typed);
  const auto typed_text = text_of(typed_card);
  CHECK(typed_text.find("Hello Anna Admin") != std::string::npos);
  CHECK(typed_text.find("Clients that need attention") != std::string::npos);
  CHECK(json::serialize(typed_card).find("Bo Client 11") != std::string::npos);
  // One welcome for the two announcements, none for Bo.
  CHECK(t.fake.requests_to("send").size() == 2);
}
