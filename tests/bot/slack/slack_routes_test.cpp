#include "bot/chat/config.hpp"
#include "bot/slack/render.hpp"
#include "bot/slack/routes.hpp"
#include "bot/slack/verify.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "support/outbox_state.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <set>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm nordic{"p-1", "T0001", "Nordic", 143};
const slack_firm other{"p-2", "T0002", "Faraway", 12};

} // namespace

TEST_CASE("every signature failure gets 401 on every Slack endpoint and nothing happens") {
  slack_app app({&nordic});
  app.fake.add_user("UC", nordic.unlinked_email());
  test_support::command_fields c;
  c.team_id = nordic.team_id;
  c.user_id = "UC";
  c.text = "clients";
  const auto body = test_support::command_body(c);
  const auto now = test_support::unix_now();
  const auto good = test_support::slack_headers(signing_secret, body, now);
  auto with = [&](std::string ts, std::string sig) {
    test_support::header_list h{{"Content-Type", "application/x-www-form-urlencoded"}};
    if (!ts.empty()) h.emplace_back("X-Slack-Request-Timestamp", ts);
    if (!sig.empty()) h.emplace_back("X-Slack-Signature", sig);
    return h;
  };
  const auto ts = std::to_string(now);
  const auto sig = good[2].second;
  const auto stale_ts = std::to_string(now - 301);
  std::vector<std::pair<std::string, test_support::header_list>> cases{
      {"no headers", with("", "")},
      {"no timestamp", with("", sig)},
      {"no signature", with(ts, "")},
      {"malformed timestamp", with("yesterday", sig)},
      {"malformed signature", with(ts, "v0=xyz")},
      {"stale timestamp", with(stale_ts, bot::slack::compute_signature(signing_secret, stale_ts, body))},
      {"future timestamp",
       with(std::to_string(now + 301),
            bot::slack::compute_signature(signing_secret, std::to_string(now + 301), body))},
      {"wrong secret", with(ts, bot::slack::compute_signature("not-the-secret", ts, body))},
      {"signature of another body", with(ts, bot::slack::compute_signature(signing_secret, ts, body + "x"))},
  };
  for (const char* path : {"/slack/commands", "/slack/interactions", "/slack/events"}) {
    for (const auto& [name, headers] : cases) {
      INFO(path << ": " << name);
      auto r = test_support::http_request(app.port(), "POST", path, body, headers);
      CHECK(r.status == 401);
      CHECK(r.body.find("Nordic") == std::string::npos);
    }
  }
  // A tampered body with the original signature.
  auto tampered =
      test_support::http_request(app.port(), "POST", "/slack/commands", body + "&text=clients+all", good);
  CHECK(tampered.status == 401);
  CHECK(app.fake.calls().empty());
  store::database db(app.db_path());
  CHECK_FALSE(store::directory(db).member_for_identity("slack", nordic.team_id, "UC"));
}

TEST_CASE("Slack endpoints answer 503 while no signing secret is configured") {
  slack_app app({&nordic}, "");
  auto r = app.command(nordic, nordic.admin_user(), "clients");
  CHECK(r.status == 503);
  CHECK(r.body.find("not configured") != std::string::npos);
  CHECK(app.fake.calls().empty());
}

TEST_CASE("ssl_check requests are answered 200 with nothing else") {
  slack_app app({&nordic});
  auto r = app.post("/slack/commands", "ssl_check=1&token=legacy");
  CHECK(r.status == 200);
  CHECK(r.body.empty());
  CHECK(app.fake.calls().empty());
}

TEST_CASE("url_verification echoes the challenge") {
  slack_app app({&nordic});
  auto r = app.post(
      "/slack/events",
      R"({"token":"legacy","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})",
      "application/json");
  CHECK(r.status == 200);
  CHECK(body_json(r).at("challenge") == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  auto event = app.post(
      "/slack/events",
      R"({"type":"event_callback","team_id":"T0001","event":{"type":"app_home_opened","user":"U1"}})",
      "application/json");
  CHECK(event.status == 200);
  CHECK(app.fake.calls().empty());
}

TEST_CASE("a command from a workspace that is not connected is told so and nothing else") {
  slack_app app({&nordic});
  slack_firm stranger{"p-x", "T9999", "Stranger", 0};
  auto r = app.command(stranger, "U1", "clients all");
  REQUIRE(r.status == 200);
  auto body = body_json(r);
  CHECK(body.at("response_type") == "ephemeral");
  CHECK(all_text(body).find("not connected to partnerbot") != std::string::npos);
  CHECK(client_names_in(r.body, nordic.prefix).empty());
  CHECK(app.fake.calls().empty());
}

TEST_CASE("an unlinked user is linked once by the e-mail on their Slack profile") {
  slack_app app({&nordic});
  app.fake.add_user("UC", nordic.unlinked_email());
  auto first = app.command(nordic, "UC", "help");
  REQUIRE(first.status == 200);
  CHECK(app.fake.calls_to("users.info").size() == 1);
  CHECK(app.fake.calls_to("users.info")[0].authorization == std::string("Bearer ") + bot_token);
  {
    store::database db(app.db_path());
    auto m = store::directory(db).member_for_identity("slack", nordic.team_id, "UC");
    REQUIRE(m);
    CHECK(m->email == nordic.unlinked_email());
  }
  auto second = app.command(nordic, "UC", "clients");
  REQUIRE(second.status == 200);
  CHECK(all_text(body_json(second)).find("not linked") == std::string::npos);
  CHECK(app.fake.calls_to("users.info").size() == 1);
}

TEST_CASE("a user whose Slack e-mail matches no member sees no data and how to link") {
  slack_app app({&nordic});
  app.fake.add_user("UX", "stranger@elsewhere.example");
  auto r = app.command(nordic, "UX", "clients all");
  REQUIRE(r.status == 200);
  auto text = all_text(body_json(r));
  CHECK(text.find("not linked") != std::string::npos);
  CHECK(client_names_in(text, nordic.prefix).empty());
  // Claiming someone else's e-mail does not work either.
  auto claim = app.command(nordic, "UX", "link " + nordic.admin_email());
  REQUIRE(claim.status == 200);
  CHECK(all_text(body_json(claim)).find("Linked") == std::string::npos);
  store::database db(app.db_path());
  CHECK_FALSE(store::directory(db).member_for_identity("slack", nordic.team_id, "UX"));
  // users.info was asked once, not once per request.
  CHECK(app.fake.calls_to("users.info").size() == 1);
}

TEST_CASE("an admin lists every client of the firm; a bookkeeper only their own") {
  slack_app app({&nordic});
  auto admin = app.command(nordic, nordic.admin_user(), "clients all");
  REQUIRE(admin.status == 200);
  auto admin_body = body_json(admin);
  CHECK(admin_body.at("response_type") == "ephemeral");
  CHECK(admin_body.at("blocks").as_array().size() <= bot::slack::limits::message_blocks);
  auto admin_text = all_text(admin_body);
  CHECK(admin_text.find(fmt::format("of {}", nordic.clients)) != std::string::npos);
  CHECK(client_names_in(admin_text, nordic.prefix).size() == 10);

  auto bookkeeper = app.command(nordic, nordic.bookkeeper_user(), "clients all");
  REQUIRE(bookkeeper.status == 200);
  auto names = client_names_in(all_text(body_json(bookkeeper)), nordic.prefix);
  CHECK(!names.empty());
  CHECK(names.size() <= static_cast<std::size_t>(nordic.bookkeeper_clients()));
  for (int i = 1; i <= nordic.clients; ++i)
    if (!slack_firm::bookkeeper_assigned(i)) CHECK(names.count(nordic.client_name(i)) == 0);
  // Answered in the HTTP response: Slack was asked only for the two members' locales.
  CHECK(app.fake.calls().size() == app.fake.calls_to("users.info").size());
  CHECK(app.fake.calls_to("users.info").size() == 2);
}

TEST_CASE("paging through a 143-client firm updates the message in place and shows each client once") {
  slack_app app({&nordic});
  auto r = app.command(nordic, nordic.admin_user(), "clients all");
  REQUIRE(r.status == 200);
  json::value page = body_json(r);
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    ++pages;
    REQUIRE(pages <= 20);
    auto text = all_text(page);
    auto names = client_names_in(text, nordic.prefix);
    seen.insert(seen.end(), names.begin(), names.end());
    int first = (pages - 1) * 10 + 1;
    int last = std::min(pages * 10, nordic.clients);
    CHECK(text.find(fmt::format("Showing {}\u2013{} of {}", first, last, nordic.clients)) !=
          std::string::npos);
    CHECK(page.at("blocks").as_array().size() <= bot::slack::limits::message_blocks);
    auto next = find_control(page, "Next");
    if (!next) break;
    auto posted = app.press_and_read(nordic, nordic.admin_user(), *next);
    CHECK(posted.at("replace_original") == true);
    page = posted;
  }
  CHECK(pages == (nordic.clients + 9) / 10);
  std::set<std::string> unique(seen.begin(), seen.end());
  CHECK(seen.size() == static_cast<std::size_t>(nordic.clients));
  CHECK(unique.size() == static_cast<std::size_t>(nordic.clients));
}

TEST_CASE("View details in a client's overflow menu shows that client's card") {
  slack_app app({&nordic});
  auto r = app.command(nordic, nordic.admin_user(), "search Client 014");
  REQUIRE(r.status == 200);
  auto details = find_control(body_json(r), "View details");
  REQUIRE(details);
  CHECK(details->overflow);
  auto card = app.press_and_read(nordic, nordic.admin_user(), *details);
  auto text = all_text(card);
  CHECK(text.find(nordic.client_name(14)) != std::string::npos);
  CHECK(text.find("DKK 1.014,50") != std::string::npos);
  // Go to client is a link: pressing it is acknowledged and nothing is posted.
  auto go = find_control(body_json(r), "Go to client");
  REQUIRE(go);
  auto responses = app.fake.calls_to("response").size();
  auto link = app.press(nordic, nordic.admin_user(), *go, "link");
  CHECK(link.status == 200);
  std::this_thread::sleep_for(100ms);
  CHECK(app.fake.calls_to("response").size() == responses);
}

TEST_CASE("another workspace's clients never appear, not even by a forged control") {
  slack_app app({&nordic, &other});
  auto theirs = app.command(other, other.admin_user(), "clients all");
  REQUIRE(theirs.status == 200);
  CHECK(client_names_in(theirs.body, nordic.prefix).empty());
  CHECK(client_names_in(all_text(body_json(theirs)), other.prefix).size() == 10);
  auto search = app.command(other, other.admin_user(), "search Nordic");
  CHECK(client_names_in(search.body, nordic.prefix).empty());
  // The reply quotes the name typed back, so look for the card, not the name.
  auto named = app.command(other, other.admin_user(), "client " + nordic.client_name(1));
  CHECK(named.body.find("No client called") != std::string::npos);
  CHECK(named.body.find(nordic.client_id(1)) == std::string::npos);
  // A forged View details for a client of the other firm.
  control forged{"clients.menu", "View details", "open|" + nordic.client_id(1), true};
  auto posted = app.press_and_read(other, other.admin_user(), forged);
  CHECK(client_names_in(all_text(posted), nordic.prefix).empty());
  // A user of one workspace is nobody in the other.
  auto crossed = app.command(other, nordic.admin_user(), "clients all");
  CHECK(client_names_in(crossed.body, nordic.prefix).empty());
  CHECK(client_names_in(crossed.body, other.prefix).empty());
}

TEST_CASE("an oversized Slack request gets 413") {
  slack_app app({&nordic});
  test_support::command_fields c;
  c.team_id = nordic.team_id;
  c.user_id = nordic.admin_user();
  c.text = std::string(1024 * 1024 + 10, 'x');
  auto r = app.post("/slack/commands", test_support::command_body(c));
  CHECK(r.status == 413);
  auto after = app.command(nordic, nordic.admin_user(), "help");
  CHECK(after.status == 200);
}

TEST_CASE("malformed but signed Slack bodies get 400 and change nothing") {
  slack_app app({&nordic});
  CHECK(app.post("/slack/commands", "text=clients").status == 400);
  CHECK(app.post("/slack/interactions", "payload=%7Bnot-json").status == 400);
  CHECK(app.post("/slack/events", "not json", "application/json").status == 400);
  CHECK(app.fake.calls().empty());
}

TEST_CASE("remind opens a modal through views.open and its submission is validated then confirmed") {
  slack_app app({&nordic});
  const auto client = nordic.client_name(7);
  REQUIRE(slack_firm::bookkeeper_assigned(7));
  auto r = app.command(nordic, nordic.admin_user(), "remind " + client, "trigger-remind");
  REQUIRE(r.status == 200);
  REQUIRE(app.fake.wait_for("views.open", 1, 5s));
  auto open = app.fake.calls_to("views.open").front();
  CHECK(open.authorization == std::string("Bearer ") + bot_token);
  CHECK(open.body.at("trigger_id") == "trigger-remind");
  const auto& view = open.body.at("view").as_object();
  CHECK(view.at("type") == "modal");
  CHECK(view.at("callback_id") == "reminder");
  CHECK(bot::slack::text_length(view.at("title").at("text").as_string()) <= bot::slack::limits::modal_title);
  std::string metadata(view.at("private_metadata").as_string());
  bool has_tasks = false;
  for (const auto& b : view.at("blocks").as_array())
    if (b.as_object().contains("block_id") && b.at("block_id") == "tasks") has_tasks = true;
  CHECK(has_tasks);

  // Nothing ticked: the modal stays open with an error on the tasks block.
  auto empty = app.post("/slack/interactions",
                        test_support::interaction_body(test_support::view_submission_payload(
                            nordic.team_id, nordic.admin_user(), "reminder", metadata,
                            {{"tasks", "checkboxes", {}}, {"comment", "plain_text_input", {}}})));
  REQUIRE(empty.status == 200);
  auto errors = body_json(empty);
  CHECK(errors.at("response_action") == "errors");
  CHECK(errors.at("errors").as_object().contains("tasks"));

  // A proper submission closes the modal; the admin gets a notice where the form was opened.
  std::vector<std::string> all_tasks;
  for (const auto& b : view.at("blocks").as_array())
    if (b.as_object().contains("block_id") && b.at("block_id") == "tasks")
      for (const auto& o : b.at("element").at("options").as_array())
        all_tasks.emplace_back(o.at("value").as_string());
  REQUIRE(!all_tasks.empty());
  auto sent =
      app.post("/slack/interactions", test_support::interaction_body(test_support::view_submission_payload(
                                          nordic.team_id, nordic.admin_user(), "reminder", metadata,
                                          {{"tasks", "checkboxes", {all_tasks.front()}},
                                           {"comment", "plain_text_input", {"Please & thank you"}}})));
  REQUIRE(sent.status == 200);
  CHECK(sent.body.empty());
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 1, 5s));
  auto notice = app.fake.calls_to("chat.postEphemeral").front();
  CHECK(notice.body.at("channel") == "C0001");
  CHECK(notice.body.at("user").as_string() == nordic.admin_user());
}

TEST_CASE("a bookkeeper's forged reminder submission is refused and nothing is sent") {
  slack_app app({&nordic});
  REQUIRE(app.command(nordic, nordic.admin_user(), "remind " + nordic.client_name(7)).status == 200);
  REQUIRE(app.fake.wait_for("views.open", 1, 5s));
  std::string metadata(
      app.fake.calls_to("views.open").front().body.at("view").at("private_metadata").as_string());
  auto forged =
      app.post("/slack/interactions", test_support::interaction_body(test_support::view_submission_payload(
                                          nordic.team_id, nordic.bookkeeper_user(), "reminder", metadata,
                                          {{"tasks", "checkboxes", {"missing_receipts"}}})));
  REQUIRE(forged.status == 200);
  CHECK(body_json(forged).at("response_action") == "errors");
  // A submission is answered once its messages are queued; none were.
  REQUIRE(outbox_drained(app.db_path()));
  {
    store::database db(app.db_path());
    CHECK(store::outbox(db).counts().sent == 0);
    CHECK(store::outbox(db).counts().failed == 0);
  }
  CHECK(app.fake.calls_to("chat.postEphemeral").empty());
  CHECK(app.fake.calls_to("chat.postMessage").empty());
}

TEST_CASE("a linked user's link command reads their Slack profile instead of saying it cannot see it") {
  slack_app app({&nordic});
  app.fake.add_user(nordic.admin_user(), nordic.admin_email());
  auto r = app.command(nordic, nordic.admin_user(), "link " + nordic.admin_email());
  REQUIRE(r.status == 200);
  const auto text = all_text(body_json(r));
  CHECK(text.find("can't see the e-mail") == std::string::npos);
  CHECK(text.find("already linked") != std::string::npos);
  CHECK(app.fake.calls_to("users.info").size() == 1);
}
