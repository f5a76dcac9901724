// Reminders end to end: signed Slack requests to the real server, DMs and
// notices observed at the fake Slack Web API, the audit read from the store.

#include "handlers/reminders.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"
#include "support/conditions.hpp"
#include "support/firm_files.hpp"
#include "support/outbox_state.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

// Fjord Revision: Fjordvej Tandklinik is looked after by Bente and Carsten;
// Dorte works elsewhere; Erik has no chat account; one client has no one.
constexpr const char* fjord_team = "TFJORD1";
const std::string fjord_snapshot = test_support::firm_file("fjord_firm");

// Another firm on the same bot, on its own workspace.
constexpr const char* faraway_team = "TFAR002";
const std::string faraway_snapshot = test_support::firm_file("faraway_firm");

constexpr const char* admin = "UASTRID";
constexpr const char* bente = "UBENTE";
constexpr const char* tand = "Fjordvej Tandklinik ApS";

slack_app fjord_app() {
  return slack_app(raw_snapshots{{fjord_snapshot}});
}

// Lets stray follow-ups land before counting that nothing else happened:
// for calls the outbox does not make (views.open), there is no state to wait on.
void settle() {
  std::this_thread::sleep_for(200ms);
}

const json::object* block_with_id(const json::object& view, const std::string& id) {
  for (const auto& b : view.at("blocks").as_array())
    if (const auto* bid = b.as_object().if_contains("block_id");
        bid && bid->is_string() && std::string_view(bid->get_string()) == id)
      return &b.as_object();
  return nullptr;
}

// `remind NAME` as Fjord's admin; returns the modal given to views.open.
json::object open_form(slack_app& app, const std::string& name, const std::string& channel = "C0001") {
  const auto before = app.fake.calls_to("views.open").size();
  auto r = app.command(fjord_team, admin, "remind " + name, "trigger-remind", channel);
  REQUIRE(r.status == 200);
  REQUIRE(app.fake.wait_for("views.open", before + 1, 5s));
  auto call = app.fake.calls_to("views.open").back();
  CHECK(call.body.at("trigger_id") == "trigger-remind");
  return call.body.at("view").as_object();
}

std::string metadata_of(const json::object& view) {
  return std::string(view.at("private_metadata").as_string());
}

http_reply submit(slack_app& app, const std::string& team, const std::string& user,
                  const std::string& metadata, std::vector<std::string> tasks, const std::string& comment,
                  const std::string& view_id, const std::string& hash = "h1") {
  std::vector<submitted_input> inputs{{"tasks", "checkboxes", std::move(tasks)}};
  inputs.push_back({"comment", "plain_text_input",
                    comment.empty() ? std::vector<std::string>{} : std::vector<std::string>{comment}});
  return app.post("/slack/interactions", interaction_body(view_submission_payload(
                                             team, user, "reminder", metadata, inputs, view_id, hash)));
}

std::multiset<std::string> field_values(const std::vector<recorded_call>& calls, const char* field) {
  std::multiset<std::string> out;
  for (const auto& c : calls)
    if (const auto* v = c.body.if_contains(field); v && v->is_string())
      out.insert(std::string(v->get_string()));
  return out;
}

std::vector<store::reminder> reminders_of(const slack_app& app, const std::string& client_id) {
  store::database db(app.db_path());
  return store::reminders(db).latest_for_client(client_id, 10);
}

// Every DM the outbox holds for this app, once none is left pending.
// Reminder DMs in the outbox, once it has drained (confirmations not counted).
std::int64_t queued_dms(const slack_app& app) {
  store::outbox_counts c;
  std::int64_t confirmations = 0;
  const bool drained = eventually([&] {
    store::database db(app.db_path());
    store::outbox box(db);
    c = box.counts();
    // Confirmations and answers to pressed controls are outbox rows too; only DMs count here.
    confirmations = static_cast<std::int64_t>(box.by_origin(handlers::reminder_confirmation_origin).size() +
                                              box.by_origin("answer").size());
    return c.pending == 0;
  });
  CHECK(drained);
  return c.pending + c.sent + c.failed - confirmations;
}

std::string outcome_of(const store::reminder& r, const std::string& member_id) {
  for (const auto& x : r.recipients)
    if (x.member_id == member_id) return x.outcome;
  return "(not a recipient)";
}

} // namespace

TEST_CASE("the reminder modal names the client and offers its tasks with current figures") {
  auto app = fjord_app();
  auto r = app.command(fjord_team, admin, "remind fjordvej", "trigger-form");
  REQUIRE(r.status == 200);
  CHECK(r.body.empty()); // the modal is the answer
  REQUIRE(app.fake.wait_for("views.open", 1, 5s));
  const auto call = app.fake.calls_to("views.open").front();
  CHECK(call.authorization == std::string("Bearer ") + bot_token);
  CHECK(call.body.at("trigger_id") == "trigger-form");
  const auto& view = call.body.at("view").as_object();
  CHECK(view.at("type") == "modal");
  CHECK(view.at("title").at("text") == tand);
  CHECK(view.at("submit").at("text") == "Send");
  CHECK(contains(metadata_of(view), "c-tand"));

  const auto* tasks = block_with_id(view, "tasks");
  REQUIRE(tasks);
  CHECK(tasks->at("element").at("type") == "checkboxes");
  std::vector<std::string> labels;
  for (const auto& o : tasks->at("element").at("options").as_array())
    labels.emplace_back(o.at("text").at("text").as_string());
  CHECK(labels == std::vector<std::string>{"Missing receipts (7)", "Wallet balance (DKK 12.345,50)",
                                           "Expenses ready for export (3)"});
  CHECK_FALSE(tasks->at("element").as_object().contains("initial_options"));

  const auto* comment = block_with_id(view, "comment");
  REQUIRE(comment);
  CHECK(comment->at("optional") == true);
  CHECK(comment->at("element").at("type") == "plain_text_input");
  CHECK(comment->at("element").at("multiline") == true);
  const auto max_length = comment->at("element").at("max_length").to_number<std::int64_t>();
  CHECK(max_length > 0);
  CHECK(max_length <= 3000); // Slack's own cap for a plain-text input

  SECTION("a name longer than a modal title keeps the title within Slack's 24 characters") {
    const auto long_view = open_form(app, "Vestjyllands");
    std::string title(long_view.at("title").at("text").as_string());
    CHECK(!title.empty());
    CHECK(title.size() <= 24);
    CHECK(contains(all_text(long_view), "Vestjyllands Tømrer- og Snedkerforretning ApS"));
    CHECK(contains(metadata_of(long_view), "c-long"));
  }
}

namespace {

// The admin presses the reply's "Notify the bookkeepers" (in an overflow
// menu or not); the views.open call it makes, the `opened`th so far.
recorded_call form_opened_from(slack_app& app, const http_reply& reply, bool in_overflow,
                               const std::string& response_id, std::size_t opened) {
  REQUIRE(reply.status == 200);
  auto control = find_control(body_json(reply), "Notify the bookkeepers");
  REQUIRE(control);
  CHECK(control->overflow == in_overflow);
  REQUIRE(app.press(fjord_team, admin, *control, response_id).status == 200);
  REQUIRE(app.fake.wait_for("views.open", opened, 5s));
  return app.fake.calls_to("views.open").back();
}

} // namespace

TEST_CASE("the reminder modal also opens from a client's overflow menu and card") {
  auto app = fjord_app();
  const auto from_menu =
      form_opened_from(app, app.command(fjord_team, admin, "search fjordvej"), true, "menu", 1);
  CHECK(from_menu.body.at("trigger_id") == "trigger-2"); // the click's own trigger
  CHECK(contains(metadata_of(from_menu.body.at("view").as_object()), "c-tand"));

  const auto from_card =
      form_opened_from(app, app.command(fjord_team, admin, std::string("client ") + tand), false, "card", 2);
  CHECK(contains(metadata_of(from_card.body.at("view").as_object()), "c-tand"));
}

TEST_CASE("a sent reminder reaches exactly the client's assigned bookkeepers") {
  auto app = fjord_app();
  const auto view = open_form(app, tand, "CFJORDOPS");
  const std::string comment = "Please chase the March receipts before Friday";
  auto r = submit(app, fjord_team, admin, metadata_of(view), {"ready_for_export", "missing_receipts"},
                  comment, "VSEND1");
  REQUIRE(r.status == 200);
  CHECK(r.body.empty()); // closes the modal

  REQUIRE(app.fake.wait_for("chat.postMessage", 2, 5s));
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 1, 5s));
  CHECK(queued_dms(app) == 2);
  const auto opened = app.fake.calls_to("conversations.open");
  const auto posted = app.fake.calls_to("chat.postMessage");
  CHECK(field_values(opened, "users") == std::multiset<std::string>{"UBENTE", "UCARSTEN"});
  CHECK(field_values(posted, "channel") == std::multiset<std::string>{"DUBENTE", "DUCARSTEN"});
  for (const auto& dm : posted) {
    CHECK(dm.authorization == std::string("Bearer ") + bot_token);
    const auto text = all_text(dm.body);
    INFO(text);
    CHECK(contains(text, tand));
    CHECK(contains(text, "Astrid Admin"));
    CHECK(contains(text, "Missing receipts"));
    CHECK(contains(text, "7"));
    CHECK(contains(text, "Expenses ready for export"));
    CHECK(contains(text, "3"));
    CHECK(contains(text, comment));
    CHECK_FALSE(contains(text, "Wallet balance")); // not ticked
    CHECK(contains(json::serialize(dm.body), "https://app.pleo.io/partner/clients/c-tand"));
  }

  // The admin hears back where the form was opened.
  const auto notices = app.fake.calls_to("chat.postEphemeral");
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].body.at("channel") == "CFJORDOPS");
  CHECK(notices[0].body.at("user") == admin);
  const auto notice = all_text(notices[0].body);
  CHECK(contains(notice, "Done! 2 bookkeepers notified"));
  CHECK_FALSE(contains(notice, "Could not reach"));

  // Recorded for audit, with each recipient's outcome once delivered.
  REQUIRE(eventually([&] {
    auto rs = reminders_of(app, "c-tand");
    return rs.size() == 1 && outcome_of(rs[0], "m-bente") == "sent" &&
           outcome_of(rs[0], "m-carsten") == "sent";
  }));
  const auto record = reminders_of(app, "c-tand").front();
  CHECK(record.partner_id == "p-fjord");
  CHECK(record.sender_member_id == "m-astrid");
  CHECK(record.tasks == std::vector<std::string>{"missing_receipts", "ready_for_export"});
  CHECK(record.comment == comment);
  CHECK(record.recipients.size() == 2);
}

TEST_CASE("an assigned bookkeeper with no chat account is reported to the admin and not messaged") {
  auto app = fjord_app();
  const auto view = open_form(app, "Havnegade Bageri");
  auto r = submit(app, fjord_team, admin, metadata_of(view), {"wallet_balance"}, "", "VGAP1");
  REQUIRE(r.status == 200);
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 1, 5s));
  REQUIRE(app.fake.wait_for("chat.postMessage", 1, 5s));
  CHECK(queued_dms(app) == 1);
  const auto notice = all_text(app.fake.calls_to("chat.postEphemeral").front().body);
  CHECK(contains(notice, "Done! 1 bookkeeper notified"));
  CHECK(contains(notice, "Could not reach: Erik Offline"));
  CHECK(field_values(app.fake.calls_to("conversations.open"), "users") ==
        std::multiset<std::string>{"UBENTE"});
  CHECK(app.fake.calls_to("chat.postMessage").size() == 1);
  CHECK(contains(all_text(app.fake.calls_to("chat.postMessage").front().body), "DKK 480,00"));

  const auto rs = reminders_of(app, "c-bager");
  REQUIRE(rs.size() == 1);
  CHECK(outcome_of(rs[0], "m-erik").starts_with("unreachable"));
}

TEST_CASE("a bookkeeper Slack no longer knows is recorded as not reached") {
  auto app = fjord_app();
  app.fake.script("conversations.open", {200, R"({"ok":false,"error":"user_not_found"})", {}});
  const auto view = open_form(app, tand);
  REQUIRE(submit(app, fjord_team, admin, metadata_of(view), {"missing_receipts"}, "", "VLOST1").status ==
          200);
  REQUIRE(app.fake.wait_for("conversations.open", 2, 5s));
  REQUIRE(app.fake.wait_for("chat.postMessage", 1, 5s));
  std::string lost;
  REQUIRE(eventually([&] {
    auto rs = reminders_of(app, "c-tand");
    if (rs.size() != 1) return false;
    int sent = 0;
    for (const auto& x : rs[0].recipients) {
      if (x.outcome == "sent")
        ++sent;
      else if (x.outcome.starts_with("failed"))
        lost = x.name;
    }
    return sent == 1 && !lost.empty();
  }));
  CHECK(queued_dms(app) == 2);
  // queued_dms waited for the outbox to drain: nothing more is sent.
  CHECK(app.fake.calls_to("chat.postMessage").size() == 1); // a permanent error is not retried
  // The admin's confirmation waited for the outcome and names who was missed.
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 1, 5s));
  const auto notice = all_text(app.fake.calls_to("chat.postEphemeral").front().body);
  CHECK(contains(notice, "Done! 1 bookkeeper notified"));
  CHECK(contains(notice, lost + " (the message could not be delivered in Slack)"));
  auto card = app.command(fjord_team, admin, std::string("client ") + tand);
  CHECK(contains(all_text(body_json(card)), "1 notified, 1 not reached"));
}

TEST_CASE("a double-clicked or retried reminder submission sends once") {
  auto app = fjord_app();
  const auto metadata = metadata_of(open_form(app, tand));
  auto send = [&] {
    return submit(app, fjord_team, admin, metadata, {"missing_receipts"}, "Once only", "VDUP1");
  };

  // Two clicks arriving together, then Slack's retry of the same view.
  http_reply first, second;
  std::thread a([&] { first = send(); });
  std::thread b([&] { second = send(); });
  a.join();
  b.join();
  CHECK(first.status == 200);
  CHECK(second.status == 200);
  auto retry = send();
  CHECK(retry.status == 200);
  CHECK(retry.body.empty());

  REQUIRE(app.fake.wait_for("chat.postMessage", 2, 5s));
  CHECK(queued_dms(app) == 2);
  CHECK(app.fake.calls_to("chat.postMessage").size() == 2);
  CHECK(field_values(app.fake.calls_to("conversations.open"), "users") ==
        std::multiset<std::string>{"UBENTE", "UCARSTEN"});
  CHECK(reminders_of(app, "c-tand").size() == 1);

  // A new form for the same client is a new reminder.
  const auto again = metadata_of(open_form(app, tand));
  REQUIRE(submit(app, fjord_team, admin, again, {"missing_receipts"}, "", "VDUP2").status == 200);
  REQUIRE(app.fake.wait_for("chat.postMessage", 4, 5s));
  CHECK(queued_dms(app) == 4);
  CHECK(reminders_of(app, "c-tand").size() == 2);
  // One confirmation per reminder, however often the form was submitted.
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 2, 5s));
  // A submission is answered once its messages are queued: with the outbox
  // drained, every confirmation there is has been sent.
  REQUIRE(outbox_drained(app.db_path()));
  CHECK(app.fake.calls_to("chat.postEphemeral").size() == 2);
}

TEST_CASE("a bookkeeper cannot open the reminder form by command or by a forged control") {
  auto app = fjord_app();
  auto typed = app.command(fjord_team, bente, std::string("remind ") + tand);
  REQUIRE(typed.status == 200);
  CHECK(contains(all_text(body_json(typed)), "Only admins"));

  // Their own list and card do not offer it.
  auto own_list = app.command(fjord_team, bente, "search fjordvej");
  CHECK(contains(all_text(body_json(own_list)), tand));
  CHECK_FALSE(find_control(body_json(own_list), "Notify the bookkeepers"));
  auto own_card = app.command(fjord_team, bente, std::string("client ") + tand);
  CHECK(contains(all_text(body_json(own_card)), tand));
  CHECK_FALSE(find_control(body_json(own_card), "Notify the bookkeepers"));

  // The controls an admin is shown, pressed by the bookkeeper.
  auto menu =
      find_control(body_json(app.command(fjord_team, admin, "search fjordvej")), "Notify the bookkeepers");
  auto button = find_control(body_json(app.command(fjord_team, admin, std::string("client ") + tand)),
                             "Notify the bookkeepers");
  REQUIRE(menu);
  REQUIRE(button);
  for (const auto& forged : {*menu, *button}) {
    INFO(forged.action_id << " " << forged.value);
    auto refusal = app.press_and_read(fjord_team, bente, forged);
    CHECK(contains(all_text(refusal), "Only admins"));
  }
  settle();
  CHECK(app.fake.calls_to("views.open").empty());
  CHECK(app.fake.calls_to("chat.postMessage").empty());
  CHECK(queued_dms(app) == 0);
  CHECK(reminders_of(app, "c-tand").empty());
}

TEST_CASE("a reminder form naming another firm's client is refused and nothing is sent") {
  slack_app app(raw_snapshots{{fjord_snapshot, faraway_snapshot}});
  // Xena's genuine form for her own client, replayed on Fjord's workspace by its admin.
  REQUIRE(app.command(faraway_team, "UXENA", "remind Foreign", "trigger-far").status == 200);
  REQUIRE(app.fake.wait_for("views.open", 1, 5s));
  const auto foreign = metadata_of(app.fake.calls_to("views.open").front().body.at("view").as_object());
  REQUIRE(contains(foreign, "c-foreign"));
  auto replayed = submit(app, fjord_team, admin, foreign, {"missing_receipts"}, "", "VFORGE1");
  REQUIRE(replayed.status == 200);
  auto errors = body_json(replayed);
  CHECK(errors.at("response_action") == "errors");
  CHECK(errors.at("errors").as_object().contains("tasks"));

  // Fjord's form, its metadata edited to name Faraway's client, submitted by Fjord's admin.
  auto edited = metadata_of(open_form(app, tand));
  edited.replace(edited.find("c-tand"), 6, "c-foreign");
  CHECK(body_json(submit(app, fjord_team, admin, edited, {"missing_receipts"}, "", "VFORGE2"))
            .at("response_action") == "errors");

  // And the other way: Xena naming Fjord's client, in a form and by a forged button.
  const std::string fjord_client = R"({"client":"c-tand","conversation":"C0001"})";
  CHECK(body_json(submit(app, faraway_team, "UXENA", fjord_client, {"missing_receipts"}, "", "VFORGE3"))
            .at("response_action") == "errors");
  auto button = find_control(body_json(app.command(fjord_team, admin, std::string("client ") + tand)),
                             "Notify the bookkeepers");
  REQUIRE(button);
  auto pressed = app.press_and_read(faraway_team, "UXENA", *button);
  CHECK_FALSE(contains(all_text(pressed), tand));

  settle();
  CHECK(app.fake.calls_to("views.open").size() == 2); // only the two genuine forms
  CHECK(app.fake.calls_to("conversations.open").empty());
  CHECK(app.fake.calls_to("chat.postMessage").empty());
  CHECK(app.fake.calls_to("chat.postEphemeral").empty());
  CHECK(queued_dms(app) == 0);
  CHECK(reminders_of(app, "c-foreign").empty());
  CHECK(reminders_of(app, "c-tand").empty());
}

TEST_CASE("remind for a client with no bookkeepers says so and opens no form") {
  auto app = fjord_app();
  auto r = app.command(fjord_team, admin, "remind Ingen Bogholder");
  REQUIRE(r.status == 200);
  const auto text = all_text(body_json(r));
  CHECK(contains(text, "Ingen Bogholder ApS"));
  CHECK(contains(text, "no bookkeepers"));
  settle();
  CHECK(app.fake.calls_to("views.open").empty());
}

TEST_CASE("an admin's client card shows the last reminder; a bookkeeper's does not") {
  auto app = fjord_app();
  const auto before = all_text(body_json(app.command(fjord_team, admin, std::string("client ") + tand)));
  CHECK_FALSE(contains(before, "Last reminders"));

  const auto view = open_form(app, tand);
  REQUIRE(
      submit(app, fjord_team, admin, metadata_of(view), {"missing_receipts", "wallet_balance"}, "", "VAUDIT1")
          .status == 200);
  REQUIRE(app.fake.wait_for("chat.postEphemeral", 1, 5s));

  const auto card = all_text(body_json(app.command(fjord_team, "ULARS", std::string("client ") + tand)));
  CHECK(contains(card, "Last reminders"));
  CHECK(contains(card, "Astrid Admin: missing receipts, wallet balance (2 notified)"));

  const auto bookkeepers_card =
      all_text(body_json(app.command(fjord_team, bente, std::string("client ") + tand)));
  CHECK(contains(bookkeepers_card, tand));
  CHECK_FALSE(contains(bookkeepers_card, "Last reminders"));
  CHECK_FALSE(contains(bookkeepers_card, "Astrid Admin"));
}

TEST_CASE("an over-long reminder comment keeps the modal open with an error on the comment") {
  auto app = fjord_app();
  const auto view = open_form(app, tand);
  const auto max_length =
      block_with_id(view, "comment")->at("element").at("max_length").to_number<std::size_t>();
  auto r = submit(app, fjord_team, admin, metadata_of(view), {"missing_receipts"},
                  std::string(max_length + 1, 'x'), "VLONG1");
  REQUIRE(r.status == 200);
  auto errors = body_json(r);
  CHECK(errors.at("response_action") == "errors");
  CHECK(errors.at("errors").as_object().contains("comment"));
  CHECK_FALSE(errors.at("errors").as_object().contains("tasks"));

  // Corrected in the same view (same id and hash): a refused attempt does not count as sent.
  auto ok = submit(app, fjord_team, admin, metadata_of(view), {"missing_receipts"},
                   std::string(max_length, 'x'), "VLONG1");
  CHECK(ok.body.empty());
  CHECK(queued_dms(app) == 2);
}

TEST_CASE("the confirmation comes by DM when the form's channel cannot take an ephemeral message") {
  auto app = fjord_app();
  app.fake.script("chat.postEphemeral", {200, R"({"ok":false,"error":"channel_not_found"})", {}});
  const auto view = open_form(app, tand, "CPRIVATE");
  REQUIRE(submit(app, fjord_team, admin, metadata_of(view), {"missing_receipts"}, "", "VDM1").status == 200);
  REQUIRE(app.fake.wait_for("chat.postMessage", 3, 5s));
  CHECK(queued_dms(app) == 2);
  // queued_dms waited for the outbox to drain: every DM and the confirmation are in.
  CHECK(field_values(app.fake.calls_to("conversations.open"), "users") ==
        std::multiset<std::string>{"UASTRID", "UBENTE", "UCARSTEN"});
  int confirmations = 0;
  for (const auto& m : app.fake.calls_to("chat.postMessage"))
    if (m.body.at("channel") == "DUASTRID") {
      ++confirmations;
      CHECK(contains(all_text(m.body), "Done! 2 bookkeepers notified"));
    }
  CHECK(confirmations == 1);
}
