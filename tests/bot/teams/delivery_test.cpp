#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/delivery.hpp"
#include "bot/teams/references.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "support/digest_firm.hpp"
#include "support/fake_botframework.hpp"
#include "support/log_capture.hpp"
#include "support/outbox_run.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* delivery_tenant = "tenant-1";

// Stands in for the Adaptive Card renderer: the summary as text, the block count as a marker.
json::object plain_render(const handlers::view& v) {
  return json::object{{"type", "message"}, {"text", v.summary}, {"blocks", v.blocks.size()}};
}

struct delivery_rig : test_support::outbox_parts {
  test_support::fake_botframework fake;
  bot::teams::connector api{io, http, {"app-1", "pw", "", "", fake.token_url()}};

  delivery_rig() : outbox_parts(options()) {
    worker.add_delivery("teams", std::make_unique<bot::teams::delivery>(api, store_work, plain_render));
  }

  static bot::outbox_options options() {
    bot::outbox_options o;
    o.backoff_base = 50ms;
    o.backoff_cap = 200ms;
    o.max_attempts = 5;
    o.pacing = 10ms;
    return o;
  }

  // A user talked to the bot in their personal chat.
  void met(const std::string& aad, const std::string& user_id) { met_at(fake.service_url(), aad, user_id); }
  void met_at(const std::string& service_url, const std::string& aad, const std::string& user_id) {
    json::object a{{"type", "message"},
                   {"channelId", "msteams"},
                   {"serviceUrl", service_url},
                   {"from", {{"id", user_id}, {"aadObjectId", aad}}},
                   {"conversation", {{"id", "a:" + user_id}, {"conversationType", "personal"}}},
                   {"recipient", {{"id", "28:app-1"}}},
                   {"channelData", {{"tenant", {{"id", delivery_tenant}}}}}};
    remember(a);
  }
  // The app was added to a team channel.
  void installed_in(const std::string& channel) {
    json::object a{{"type", "conversationUpdate"},
                   {"channelId", "msteams"},
                   {"serviceUrl", fake.service_url()},
                   {"membersAdded", json::array{{{"id", "28:app-1"}}}},
                   {"conversation", {{"id", channel}, {"conversationType", "channel"}, {"isGroup", true}}},
                   {"recipient", {{"id", "28:app-1"}}},
                   {"channelData", {{"tenant", {{"id", delivery_tenant}}}}}};
    remember(a);
  }
  void remember(const json::object& a) {
    auto parsed = bot::teams::parse_activity(json::serialize(a));
    REQUIRE(parsed.has_value());
    bot::teams::remember_references(db, *parsed, test_support::now_ms());
  }

  void enqueue(std::string key, std::string kind, std::string recipient, std::string text) {
    handlers::view v{text, {handlers::section{"", text, {}}}};
    REQUIRE(store::outbox(db).enqueue({std::move(key), "teams", delivery_tenant, std::move(kind),
                                       std::move(recipient), "", handlers::view_to_json(v), "notice"},
                                      test_support::now_ms()));
  }

  std::optional<store::outbox_row> row(const std::string& key) { return store::outbox(db).by_key(key); }
  // Runs the deliverer and requires `n` messages sent; returns them.
  std::vector<test_support::botframework_request> deliver_expecting_sends(std::size_t n) {
    deliver();
    auto sends = fake.requests_to("send");
    REQUIRE(sends.size() == n);
    return sends;
  }
  // The row of `key` ended as `status` after `attempts` tries; returns it.
  store::outbox_row check_row(const std::string& key, const std::string& status, int attempts) {
    const auto found = row(key);
    REQUIRE(found);
    CHECK(found->status == status);
    CHECK(found->attempts == attempts);
    return *found;
  }
};

} // namespace

TEST_CASE("a DM creates the 1:1 conversation from the stored reference and posts there with an alert") {
  delivery_rig r;
  r.met("aad-bo", "29:1bo");
  r.enqueue("k-dm", "user", "aad-bo", "Pleo digest for Bo");
  r.deliver();

  const auto creates = r.fake.requests_to("create");
  REQUIRE(creates.size() == 1);
  CHECK(creates[0].body.at("members").at(0).at("id") == "29:1bo");
  CHECK(creates[0].body.at("bot").at("id") == "28:app-1");
  CHECK(creates[0].body.at("tenantId") == delivery_tenant);
  const auto sends = r.fake.requests_to("send");
  REQUIRE(sends.size() == 1);
  CHECK(sends[0].conversation_id == "a:29:1bo");
  CHECK(sends[0].body.at("text") == "Pleo digest for Bo");
  CHECK(sends[0].body.at("blocks") == 1);
  CHECK(sends[0].body.at("channelData").at("notification").at("alert") == true);
  CHECK(r.row("k-dm")->status == "sent");
}

TEST_CASE("a DM in a tenant where the app was never seen fails and sends nothing") {
  delivery_rig r;
  r.enqueue("k-stranger", "user", "aad-nobody", "hello");
  r.enqueue("k-unlinked", "user", "", "hello");
  r.deliver();
  CHECK(r.fake.requests_to("create").empty());
  CHECK(r.fake.requests_to("send").empty());
  auto stranger = r.row("k-stranger");
  CHECK(stranger->status == "failed");
  CHECK(stranger->last_error == "no serviceUrl known for the tenant: the app has not been seen there");
  CHECK(stranger->attempts == 1);
  CHECK(r.row("k-unlinked")->status == "failed");
}

TEST_CASE("a DM to someone who never wrote to the bot opens the chat by aadObjectId and remembers it") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna"); // the tenant's serviceUrl is known from Anna
  r.fake.refuse_conversation("aad-xenia");
  r.enqueue("k-bo", "user", "aad-bo", "reminder for Bo");
  r.enqueue("k-xenia", "user", "aad-xenia", "reminder for Xenia");
  r.deliver();

  CHECK(r.fake.created_for() == std::vector<std::string>{"aad-bo", "aad-xenia"});
  const auto creates = r.fake.requests_to("create");
  REQUIRE(creates.size() == 2);
  CHECK(creates[0].body.at("bot").at("id") == "28:app-1");
  CHECK(creates[0].body.at("tenantId") == delivery_tenant);
  CHECK(creates[0].body.at("isGroup") == false);
  const auto sends = r.fake.requests_to("send");
  REQUIRE(sends.size() == 1);
  CHECK(sends[0].conversation_id == "a:aad-bo");
  CHECK(sends[0].body.at("channelData").at("notification").at("alert") == true);
  CHECK(r.row("k-bo")->status == "sent");
  // Only the 403 makes a row unreachable.
  CHECK(r.row("k-xenia")->status == "failed");
  CHECK(r.row("k-xenia")->last_error == "unreachable: ForbiddenOperationException");
  CHECK(r.row("k-xenia")->attempts == 1);

  // Bo's chat is remembered: the next message goes straight to it.
  auto bo = bot::teams::user_reference(r.db, delivery_tenant, "aad-bo");
  REQUIRE(bo);
  CHECK(bo->conversation_id == "a:aad-bo");
  CHECK_FALSE(bot::teams::user_reference(r.db, delivery_tenant, "aad-xenia"));
}

TEST_CASE("a remembered 1:1 chat is used without creating it again") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna");
  bot::teams::conversation_reference made;
  made.service_url = r.fake.service_url();
  made.tenant_id = delivery_tenant;
  made.aad_object_id = "aad-bo";
  made.conversation_id = "a:bo-chat";
  REQUIRE(bot::teams::remember_user(r.db, made, test_support::now_ms()));
  r.enqueue("k-again", "user", "aad-bo", "second reminder");
  r.deliver();
  CHECK(r.fake.requests_to("create").empty());
  const auto sends = r.fake.requests_to("send");
  REQUIRE(sends.size() == 1);
  CHECK(sends[0].conversation_id == "a:bo-chat");
  CHECK(r.row("k-again")->status == "sent");
}

TEST_CASE("a form payload goes out as its card") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna");
  handlers::form f;
  f.id = "reminder";
  f.title = "Acme ApS";
  f.submit_label = "Send";
  f.private_metadata = R"({"client":"c-acme"})";
  handlers::text_input comment;
  comment.id = "comment";
  comment.label = "Comment";
  f.inputs.push_back(comment);
  REQUIRE(store::outbox(r.db).enqueue({"k-form", "teams", delivery_tenant, "reply",
                                       bot::teams::reply_address("a:29:1anna", "17"), "",
                                       handlers::form_to_json(f), "form"},
                                      test_support::now_ms()));
  const auto sends = r.deliver_expecting_sends(1);
  CHECK(sends[0].conversation_id == "a:29:1anna");
  const auto& attachment = sends[0].body.at("attachments").at(0);
  CHECK(attachment.at("contentType") == "application/vnd.microsoft.card.adaptive");
  CHECK(json::serialize(attachment).find("\"Input.Text\"") != std::string::npos);
  CHECK(r.row("k-form")->status == "sent");
}

TEST_CASE("a channel digest is posted to the channel the app was installed in") {
  delivery_rig r;
  r.installed_in("19:general@thread.tacv2");
  r.enqueue("k-channel", "channel", "19:general@thread.tacv2", "Firm digest");
  r.enqueue("k-unknown-channel", "channel", "19:elsewhere@thread.tacv2", "Firm digest");
  const auto sends = r.deliver_expecting_sends(1);
  CHECK(sends[0].conversation_id == "19:general@thread.tacv2");
  CHECK(sends[0].body.at("text") == "Firm digest");
  CHECK_FALSE(sends[0].body.contains("channelData"));
  CHECK(r.row("k-channel")->status == "sent");
  CHECK(r.row("k-unknown-channel")->status == "failed");
}

TEST_CASE("an answer stays in a personal chat and leaves a channel for the user's 1:1 chat") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna");
  r.installed_in("19:general@thread.tacv2");
  r.enqueue("k-personal", "private", "a:29:1anna|aad-anna", "your list");
  r.enqueue("k-channel", "private", "19:general@thread.tacv2;messageid=7|aad-anna", "your private list");
  const auto sends = r.deliver_expecting_sends(2);
  CHECK(r.fake.requests_to("create").size() == 1);
  for (const auto& s : sends)
    CHECK(s.conversation_id == "a:29:1anna");
  CHECK(r.row("k-personal")->status == "sent");
  CHECK(r.row("k-channel")->status == "sent");
}

TEST_CASE("a private message goes into a personal chat only when that chat is its recipient's own") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna");
  r.met("aad-bo", "29:1bo");
  // Anna's own chat: posted there. Bo's chat named for Anna (a forged form
  // says where its confirmation goes): Anna gets it in her own 1:1 chat.
  r.enqueue("k-own", "private", "a:29:1anna|aad-anna", "your confirmation");
  r.enqueue("k-other", "private", "a:29:1bo|aad-anna", "your other confirmation");
  const auto sends = r.deliver_expecting_sends(2);
  for (const auto& s : sends)
    CHECK(s.conversation_id == "a:29:1anna");
  const auto creates = r.fake.requests_to("create");
  REQUIRE(creates.size() == 1);
  CHECK(creates[0].body.at("members").at(0).at("id") == "29:1anna");
  CHECK(r.row("k-own")->status == "sent");
  CHECK(r.row("k-other")->status == "sent");
}

TEST_CASE("a serviceUrl outside the Bot Connector's hosts fails the message for good without the token") {
  test_support::log_capture logs;
  delivery_rig r;
  r.met_at("https://connector.attacker.example/tenant-secret/", "aad-eve", "29:1eve");
  r.enqueue("k-elsewhere", "user", "aad-eve", "hello");
  r.deliver();
  CHECK(r.fake.requests().empty()); // no token fetched, nothing sent
  CHECK(r.check_row("k-elsewhere", "failed", 1).last_error == "serviceUrl is not the Bot Connector's");
  bool logged = false;
  for (const auto& line : logs.lines()) {
    CHECK(line.find("tenant-secret") == std::string::npos);
    logged = logged || line.find("https://connector.attacker.example") != std::string::npos;
  }
  CHECK(logged);
}

TEST_CASE("a reply posts in the request's conversation and a replace updates the card in place") {
  delivery_rig r;
  r.met("aad-anna", "29:1anna");
  r.enqueue("k-reply", "reply", bot::teams::reply_address("a:29:1anna", "1701335553000"), "your answer");
  r.enqueue("k-replace", "replace", bot::teams::reply_address("a:29:1anna", "1701335553999"), "page 2");
  r.enqueue("k-nowhere", "reply", bot::teams::reply_address("a:29:1stranger", "1"), "lost");
  r.enqueue("k-bad", "replace", "no address", "lost");
  const auto sends = r.deliver_expecting_sends(1);
  CHECK(sends[0].conversation_id == "a:29:1anna");
  CHECK(sends[0].body.at("text") == "your answer");
  const auto updates = r.fake.requests_to("update");
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].conversation_id == "a:29:1anna");
  CHECK(updates[0].activity_id == "1701335553999");
  CHECK(updates[0].body.at("text") == "page 2");
  CHECK(r.row("k-nowhere")->status == "failed");
  CHECK(r.row("k-bad")->last_error == "bad recipient for replace");
}

TEST_CASE("reply addresses keep conversation ids whole") {
  const auto address = bot::teams::reply_address("19:abc@thread.tacv2;messageid=17", "17");
  const auto target = bot::teams::parse_reply_address(address);
  REQUIRE(target);
  CHECK(target->conversation_id == "19:abc@thread.tacv2;messageid=17");
  CHECK(target->activity_id == "17");
  CHECK_FALSE(bot::teams::parse_reply_address("a:1|"));
  CHECK_FALSE(bot::teams::parse_reply_address("a:1"));
}

TEST_CASE("a 429 waits for its Retry-After and the message is delivered once") {
  delivery_rig r;
  r.installed_in("19:general@thread.tacv2");
  r.fake.script("send", {429, R"({"error":{"code":"Throttled"}})", {{"Retry-After", "1"}}});
  r.enqueue("k-429", "channel", "19:general@thread.tacv2", "after a wait");
  const auto started = std::chrono::steady_clock::now();
  r.deliver();
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(r.fake.requests_to("send").size() == 2);
  CHECK(r.row("k-429")->status == "sent");
}

TEST_CASE("412, 502, 503 and 504 are retried until the message goes through") {
  delivery_rig r;
  r.installed_in("19:general@thread.tacv2");
  for (int status : {412, 502, 503, 504})
    r.fake.script("send", {status, "{}", {}});
  r.enqueue("k-flaky", "channel", "19:general@thread.tacv2", "eventually");
  r.deliver_expecting_sends(5);
  r.check_row("k-flaky", "sent", 5);
}

TEST_CASE("a user who blocked the bot is recorded as unreachable, not retried") {
  delivery_rig r;
  r.met("aad-bo", "29:1bo");
  r.fake.script("send", {403, R"({"error":{"code":"MessageWritesBlocked","message":"blocked"}})", {}});
  r.enqueue("k-blocked", "user", "aad-bo", "reminder");
  r.deliver_expecting_sends(1);
  CHECK(r.check_row("k-blocked", "failed", 1).last_error == "unreachable: MessageWritesBlocked");
}

TEST_CASE("an app no longer installed for the user fails the conversation create for good") {
  delivery_rig r;
  r.met("aad-bo", "29:1bo");
  r.fake.script("create", {403, R"({"error":{"code":"ForbiddenOperationException","message":"no"}})", {}});
  r.enqueue("k-gone", "user", "aad-bo", "reminder");
  r.deliver();
  CHECK(r.fake.requests_to("send").empty());
  CHECK(r.row("k-gone")->last_error == "unreachable: ForbiddenOperationException");
}

TEST_CASE("many deliveries share one token") {
  delivery_rig r;
  for (int i = 0; i < 6; ++i) {
    const auto n = std::to_string(i);
    r.met("aad-" + n, "29:u" + n);
    r.enqueue("k-" + n, "user", "aad-" + n, "digest " + n);
  }
  r.deliver();
  CHECK(r.fake.requests_to("send").size() == 6);
  CHECK(r.fake.requests_to("token").size() == 1);
  CHECK(store::outbox(r.db).counts().sent == 6);
}

TEST_CASE("Connector answers are classified for the outbox") {
  using outcome = bot::delivery_result::outcome;
  auto answer = [](int status, std::string code = {}, std::optional<std::chrono::seconds> after = {}) {
    bot::teams::connector_result r;
    r.transport_ok = true;
    r.http_status = status;
    r.ok = status >= 200 && status < 300;
    r.code = std::move(code);
    r.error = "http " + std::to_string(status);
    r.retry_after = after;
    return r;
  };
  CHECK(bot::teams::classify(answer(201)).result == outcome::sent);
  auto throttled = bot::teams::classify(answer(429, "", 7s));
  CHECK(throttled.result == outcome::retry);
  REQUIRE(throttled.retry_after);
  CHECK(*throttled.retry_after == 7s);
  for (int status : {401, 412, 500, 502, 503, 504}) {
    CAPTURE(status);
    CHECK(bot::teams::classify(answer(status)).result == outcome::retry);
  }
  auto blocked = bot::teams::classify(answer(403, "MessageWritesBlocked"));
  CHECK(blocked.result == outcome::permanent);
  CHECK(blocked.error == "unreachable: MessageWritesBlocked");
  // Only a 403 says the user has not got the app.
  CHECK(bot::teams::classify(answer(404)).error == "conversation not found");
  CHECK(bot::teams::classify(answer(400)).result == outcome::permanent);
  CHECK(bot::teams::classify(answer(413)).result == outcome::permanent);

  bot::teams::connector_result down;
  down.error = "transport: connection refused";
  CHECK(bot::teams::classify(down).result == outcome::retry);
  auto refused = answer(401);
  refused.token_failed = true;
  auto credentials = bot::teams::classify(refused);
  CHECK(credentials.result == outcome::retry);
  REQUIRE(credentials.retry_after);
  CHECK(*credentials.retry_after == std::chrono::minutes(5));
}
