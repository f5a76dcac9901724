#include "bot/cli/platform_list.hpp"
#include "handlers/actions.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/reminders.hpp"
#include "handlers/view_json.hpp"
#include "store/clients.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"
#include "store/snapshot.hpp"
#include "support/reminder_firm.hpp"
#include "support/view_text.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <cctype>
#include <date/date.h>
#include <limits>
#include <map>
#include <set>

namespace {

using test_support::all_text;
using test_support::reminder_firm_snapshot;
using test_support::rival_firm_snapshot;

// 27 Nov 2026 09:42 UTC: 10:42 in Copenhagen.
std::chrono::system_clock::time_point reminder_time() {
  using namespace std::chrono_literals;
  return date::sys_days{date::year{2026} / 11 / 27} + 9h + 42min;
}

struct fixture {
  store::database db{":memory:"};
  handlers::settings settings;
  int wakeups = 0;
  handlers::context ctx{db, settings, reminder_time(), [this] { ++wakeups; }};

  fixture() {
    REQUIRE(bot::import_snapshot(db, reminder_firm_snapshot, "2026-11-27T08:00:00Z").ok);
    REQUIRE(bot::import_snapshot(db, rival_firm_snapshot, "2026-11-27T08:00:00Z").ok);
  }

  handlers::caller as(const char* partner_id, const char* member_id, const char* user_id,
                      const char* conversation = "C0001") {
    store::directory dir{db};
    handlers::caller who;
    who.partner = *dir.partner_by_id(partner_id);
    who.member = dir.member_by_id(partner_id, member_id);
    REQUIRE(who.member);
    who.chat = {"slack", *dir.workspace_of(partner_id, "slack"), user_id, "", conversation, ""};
    return who;
  }
  handlers::caller anna() { return as("p-1", "m-anna", "U0001"); }
  handlers::caller carl() { return as("p-1", "m-carl", "U0003"); }

  // The sender's confirmations, enqueued with the DMs.
  std::vector<store::outbox_row> confirmations() {
    return store::outbox{db}.by_origin(handlers::reminder_confirmation_origin);
  }
  std::int64_t outbox_rows() {
    const auto c = store::outbox{db}.counts();
    return c.pending + c.sent + c.failed;
  }
  std::vector<store::reminder> reminders_of(const char* client_id) {
    return store::reminders{db}.latest_for_client(client_id, 10);
  }
};

handlers::submission reminder_submission(const handlers::form& f, std::vector<std::string> tasks,
                                         std::string comment = {}, std::string submission_id = "V001") {
  handlers::submission sub;
  sub.form_id = f.id;
  sub.private_metadata = f.private_metadata;
  sub.submission_id = std::move(submission_id);
  sub.values[handlers::forms::reminder_tasks] = std::move(tasks);
  sub.values[handlers::forms::reminder_comment] = {std::move(comment)};
  return sub;
}

handlers::form form_for(fixture& f, const char* client_id) {
  auto r = handlers::open_reminder_form(f.ctx, f.anna(), client_id);
  REQUIRE(r.open_form);
  return *r.open_form;
}

bool refused_without_form(const handlers::reply& r) {
  return !r.open_form && r.message && all_text(*r.message).find("admin") != std::string::npos;
}

} // namespace

TEST_CASE("the reminder form shows each task with the client's current figure") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  CHECK(form.id == handlers::forms::reminder);
  CHECK(form.title == "Acme ApS");
  CHECK(form.submit_label == "Send");

  REQUIRE(form.inputs.size() == 3);
  const auto* intro = std::get_if<handlers::note>(&form.inputs[0]);
  REQUIRE(intro);
  CHECK(intro->text.find("Acme ApS") != std::string::npos);

  const auto* tasks = std::get_if<handlers::checkbox_group>(&form.inputs[1]);
  REQUIRE(tasks);
  CHECK(tasks->id == handlers::forms::reminder_tasks);
  REQUIRE(tasks->options.size() == 3);
  CHECK(tasks->options[0].label == "Missing receipts (4)");
  CHECK(tasks->options[0].value == "missing_receipts");
  CHECK(tasks->options[1].label == "Wallet balance (DKK 12.345,50)");
  CHECK(tasks->options[1].value == "wallet_balance");
  CHECK(tasks->options[2].label == "Expenses ready for export (12)");
  CHECK(tasks->options[2].value == "ready_for_export");
  CHECK(tasks->initial.empty());

  const auto* comment = std::get_if<handlers::text_input>(&form.inputs[2]);
  REQUIRE(comment);
  CHECK(comment->id == handlers::forms::reminder_comment);
  CHECK(comment->multiline);
  CHECK(comment->optional);
  CHECK(comment->max_length == 1000);
}

TEST_CASE("the reminder form carries the client and the conversation it was opened in") {
  fixture f;
  auto r = handlers::open_reminder_form(f.ctx, f.as("p-1", "m-anna", "U0001", "C0777"), "c-acme");
  REQUIRE(r.open_form);
  CHECK(r.open_form->private_metadata.find("c-acme") != std::string::npos);
  CHECK(r.open_form->private_metadata.find("C0777") != std::string::npos);
  CHECK(r.open_form->private_metadata.size() < 200);

  auto done = handlers::on_reminder_submission(f.ctx, f.anna(),
                                               reminder_submission(*r.open_form, {"missing_receipts"}));
  CHECK(done.form_errors.empty());
  const auto sent = f.confirmations();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].message.recipient_kind == store::recipient_kinds::in_channel_private);
  CHECK(sent[0].message.recipient == "C0777|U0001");
}

TEST_CASE("a client name too long for a form title moves into the form's note") {
  fixture f;
  const auto form = form_for(f, "c-long");
  CHECK(form.title == "Notify bookkeepers");
  const auto* intro = std::get_if<handlers::note>(&form.inputs[0]);
  REQUIRE(intro);
  CHECK(intro->text.find("Vestjyllands Tømrer- og Snedkerforretning ApS") != std::string::npos);
  const auto* tasks = std::get_if<handlers::checkbox_group>(&form.inputs[1]);
  REQUIRE(tasks);
  CHECK(tasks->options[1].label == "Wallet balance (EUR 1,00)");
}

TEST_CASE("remind NAME opens the form for the named client") {
  fixture f;
  auto r = handlers::remind_command(f.ctx, f.anna(), "acme");
  REQUIRE(r.open_form);
  CHECK(r.open_form->title == "Acme ApS");
  CHECK(r.open_form->private_metadata.find("c-acme") != std::string::npos);
}

TEST_CASE("remind with an unknown name opens nothing") {
  fixture f;
  auto r = handlers::remind_command(f.ctx, f.anna(), "no such client");
  CHECK_FALSE(r.open_form);
  CHECK(r.message);
}

TEST_CASE("remind never reaches another firm's client by name") {
  fixture f;
  auto r = handlers::remind_command(f.ctx, f.anna(), "Foreign A/S");
  CHECK_FALSE(r.open_form);
}

TEST_CASE("a reminder submitted with no task ticked is refused on the checkboxes") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto r = handlers::on_reminder_submission(f.ctx, f.anna(), reminder_submission(form, {}, "please"));
  REQUIRE(r.form_errors.count(handlers::forms::reminder_tasks) == 1);
  CHECK(r.form_errors[handlers::forms::reminder_tasks] == "Choose at least one task");
  CHECK(f.outbox_rows() == 0);
  CHECK(f.reminders_of("c-acme").empty());
  CHECK(f.wakeups == 0);
}

TEST_CASE("a reminder with a task value the form never offered is refused") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto r = handlers::on_reminder_submission(f.ctx, f.anna(),
                                            reminder_submission(form, {"missing_receipts", "delete_client"}));
  CHECK(r.form_errors.count(handlers::forms::reminder_tasks) == 1);
  CHECK(f.outbox_rows() == 0);
  CHECK(f.reminders_of("c-acme").empty());
}

TEST_CASE("a reminder comment over 1,000 characters is refused on the comment") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto r = handlers::on_reminder_submission(
      f.ctx, f.anna(), reminder_submission(form, {"missing_receipts"}, std::string(1001, 'x')));
  CHECK(r.form_errors.count(handlers::forms::reminder_comment) == 1);
  CHECK(r.form_errors.count(handlers::forms::reminder_tasks) == 0);
  CHECK(f.outbox_rows() == 0);

  // The limit counts characters, not bytes: 1,000 "æ" are 2,000 bytes and fine.
  std::string danish;
  for (int i = 0; i < 1000; ++i)
    danish += "æ";
  auto ok = handlers::on_reminder_submission(f.ctx, f.anna(),
                                             reminder_submission(form, {"missing_receipts"}, danish));
  CHECK(ok.form_errors.empty());
}

TEST_CASE("a reminder reaches exactly the client's other assigned members, once each") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto r = handlers::on_reminder_submission(
      f.ctx, f.anna(),
      reminder_submission(form, {"wallet_balance", "missing_receipts"}, "Before Friday, please"));
  REQUIRE(r.form_errors.empty());

  const auto recorded = f.reminders_of("c-acme");
  REQUIRE(recorded.size() == 1);
  const auto& rem = recorded.front();
  CHECK(rem.partner_id == "p-1");
  CHECK(rem.sender_member_id == "m-anna");
  CHECK(rem.comment == "Before Friday, please");
  CHECK(rem.tasks == std::vector<std::string>{"missing_receipts", "wallet_balance"});

  const auto rows = store::outbox{f.db}.by_origin("reminder:" + std::to_string(rem.id));
  std::set<std::string> members;
  std::set<std::string> recipients;
  for (const auto& row : rows) {
    members.insert(row.message.member_id);
    recipients.insert(row.message.recipient);
    CHECK(row.message.recipient_kind == "user");
    CHECK(row.message.origin == "reminder:" + std::to_string(rem.id));
  }
  CHECK(rows.size() == 3);
  CHECK(members == std::set<std::string>{"m-carl", "m-dina", "m-gry"});
  CHECK(recipients == std::set<std::string>{"U0003", "U0004", "U0007"});
  CHECK(f.outbox_rows() == 4); // and the sender's confirmation
  CHECK(f.wakeups == 1);
}

TEST_CASE("the reminder DM names the sender, the client, the ticked figures and the comment") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  handlers::on_reminder_submission(
      f.ctx, f.anna(), reminder_submission(form, {"wallet_balance", "ready_for_export"}, "Thanks!"));
  const auto rows =
      store::outbox{f.db}.by_origin("reminder:" + std::to_string(f.reminders_of("c-acme")[0].id));
  REQUIRE_FALSE(rows.empty());
  const auto dm = handlers::view_from_json(rows.front().message.payload);
  const auto text = all_text(dm);
  CHECK(text.find("Anna Admin") != std::string::npos);
  CHECK(text.find("Acme ApS") != std::string::npos);
  CHECK(text.find("DKK 12.345,50") != std::string::npos);
  CHECK(text.find("Expenses ready for export: 12") != std::string::npos);
  CHECK(text.find("Missing receipts") == std::string::npos); // not ticked
  CHECK(text.find("Thanks!") != std::string::npos);
  const auto buttons = test_support::every_button(dm);
  REQUIRE(buttons.size() == 1);
  CHECK(buttons[0].label == "Go to client");
  CHECK(buttons[0].url == "https://app.pleo.io/partner/clients/c-acme");
}

// Each DM of the latest reminder for Acme ends as given (by member id).
void finish_dms(fixture& f, const std::map<std::string, std::string>& outcomes) {
  const auto id = f.reminders_of("c-acme").at(0).id;
  for (const auto& row : store::outbox{f.db}.by_origin("reminder:" + std::to_string(id))) {
    auto it = outcomes.find(row.message.member_id);
    REQUIRE(it != outcomes.end());
    handlers::record_reminder_outcome(f.db, row.message, it->second);
  }
}

TEST_CASE("the admin is told how many were notified and who could not be reached") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto r = handlers::on_reminder_submission(f.ctx, f.anna(), reminder_submission(form, {"missing_receipts"}));
  CHECK(r.form_errors.empty());
  auto sent = f.confirmations();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].message.recipient == "C0001|U0001");
  CHECK(sent[0].message.member_id == "m-anna");
  // Held until every DM has been delivered or refused: it tells what happened.
  CHECK(sent[0].held);
  CHECK(store::outbox{f.db}.due(std::numeric_limits<std::int64_t>::max() - 1, 100).size() == 3);
  const auto id = f.reminders_of("c-acme").at(0).id;
  const auto dms = store::outbox{f.db}.by_origin("reminder:" + std::to_string(id));
  REQUIRE(dms.size() == 3);
  handlers::record_reminder_outcome(f.db, dms[0].message, "sent");
  CHECK(f.confirmations()[0].held);
  std::map<std::string, std::string> outcomes;
  for (const auto& dm : dms)
    outcomes[dm.message.member_id] = "sent";
  outcomes[dms[1].message.member_id] = "failed: unreachable: ForbiddenOperationException";
  outcomes[dms[2].message.member_id] = "failed: gave up after 8 attempts: http 503";
  finish_dms(f, outcomes);

  sent = f.confirmations();
  REQUIRE(sent.size() == 1);
  CHECK_FALSE(sent[0].held);
  CHECK(sent[0].status == "pending");
  const auto name_of = [&](const store::outbox_row& dm) {
    return store::directory{f.db}.member_by_id("p-1", dm.message.member_id)->name;
  };
  const auto platform_of = [](const store::outbox_row& dm) {
    auto p = dm.message.platform;
    p[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0])));
    return p;
  };
  const auto text = all_text(handlers::view_from_json(sent[0].message.payload));
  CHECK(text.find("Done! 1 bookkeeper notified about Acme ApS") != std::string::npos);
  CHECK(text.find("Bo Bookkeeper (not linked to chat)") != std::string::npos);
  CHECK(text.find(name_of(dms[1]) + " (has not got the app in " + platform_of(dms[1]) + ")") !=
        std::string::npos);
  CHECK(text.find(name_of(dms[2]) + " (the message could not be delivered in " + platform_of(dms[2]) + ")") !=
        std::string::npos);
  CHECK(text.find(name_of(dms[0])) == std::string::npos);
  // A late outcome (a redelivered record) changes nothing more.
  handlers::record_reminder_outcome(f.db, dms[0].message, "sent");
  CHECK(f.confirmations()[0].message.payload == sent[0].message.payload);

  const auto rem = f.reminders_of("c-acme").at(0);
  const auto bo = std::find_if(rem.recipients.begin(), rem.recipients.end(),
                               [](const auto& x) { return x.member_id == "m-bo"; });
  REQUIRE(bo != rem.recipients.end());
  CHECK(bo->outcome == "unreachable: no chat identity");
  CHECK(store::outbox{f.db}.by_origin("reminder:" + std::to_string(rem.id)).size() == 3);
}

TEST_CASE("the confirmation is written in the sender's language once the DMs are delivered") {
  fixture f;
  f.settings.reply_language = handlers::language::da;
  const auto form = form_for(f, "c-acme");
  handlers::on_reminder_submission(f.ctx, f.anna(), reminder_submission(form, {"missing_receipts"}));
  std::map<std::string, std::string> outcomes;
  const auto id = f.reminders_of("c-acme").at(0).id;
  for (const auto& row : store::outbox{f.db}.by_origin("reminder:" + std::to_string(id)))
    outcomes[row.message.member_id] = "failed: unreachable: ForbiddenOperationException";
  finish_dms(f, outcomes);
  const auto sent = f.confirmations();
  REQUIRE(sent.size() == 1);
  REQUIRE_FALSE(sent[0].held);
  const auto text = all_text(handlers::view_from_json(sent[0].message.payload));
  CHECK(text.find("Ingen af bogholderne for Acme ApS kunne få besked.") != std::string::npos);
  CHECK(text.find("(har ikke appen i ") != std::string::npos);
  CHECK(text.find("Bo Bookkeeper (ikke knyttet til chat)") != std::string::npos);
}

TEST_CASE("a reminder goes to the platform where the bookkeeper last used the bot") {
  fixture f;
  store::directory{f.db}.touch_last_platform("m-gry", "teams");
  const auto form = form_for(f, "c-acme");
  handlers::on_reminder_submission(f.ctx, f.anna(), reminder_submission(form, {"missing_receipts"}));
  const auto rows =
      store::outbox{f.db}.by_origin("reminder:" + std::to_string(f.reminders_of("c-acme")[0].id));
  const auto gry =
      std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.message.member_id == "m-gry"; });
  REQUIRE(gry != rows.end());
  CHECK(gry->message.platform == "teams");
  CHECK(gry->message.recipient == "aad-gry");
  const auto carl =
      std::find_if(rows.begin(), rows.end(), [](const auto& r) { return r.message.member_id == "m-carl"; });
  REQUIRE(carl != rows.end());
  CHECK(carl->message.platform == "slack");
  CHECK(carl->message.workspace_id == "T0001");
}

TEST_CASE("submitting the same reminder twice sends it once") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  const auto sub = reminder_submission(form, {"missing_receipts"}, "once", "V-double");
  auto first = handlers::on_reminder_submission(f.ctx, f.anna(), sub);
  auto second = handlers::on_reminder_submission(f.ctx, f.anna(), sub);
  CHECK(first.form_errors.empty());
  CHECK(second.form_errors.empty());
  CHECK(f.reminders_of("c-acme").size() == 1);
  CHECK(f.outbox_rows() == 4); // three DMs and one confirmation
  CHECK(f.confirmations().size() == 1);
  CHECK(f.wakeups == 1);

  // A new form submission is a new reminder.
  handlers::on_reminder_submission(f.ctx, f.anna(),
                                   reminder_submission(form, {"missing_receipts"}, "again", "V-new"));
  CHECK(f.reminders_of("c-acme").size() == 2);
  CHECK(f.outbox_rows() == 8);
  CHECK(f.confirmations().size() == 2);
}

TEST_CASE("a bookkeeper cannot open the reminder form by command") {
  fixture f;
  auto r = handlers::remind_command(f.ctx, f.carl(), "Acme");
  CHECK(refused_without_form(r));
}

TEST_CASE("a bookkeeper cannot open the reminder form with a forged control") {
  fixture f;
  auto direct = handlers::open_reminder_form(f.ctx, f.carl(), "c-acme");
  CHECK(refused_without_form(direct));
  auto routed =
      handlers::on_action(f.ctx, f.carl(), handlers::action{handlers::actions::reminder_open, "c-acme"});
  CHECK(refused_without_form(routed));
  auto menu =
      handlers::on_action(f.ctx, f.carl(), handlers::action{handlers::actions::client_menu, "remind|c-acme"});
  CHECK_FALSE(menu.open_form);
}

TEST_CASE("a bookkeeper's forged reminder submission is refused and sends nothing") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto sub = reminder_submission(form, {"missing_receipts"}, "forged");
  auto direct = handlers::on_reminder_submission(f.ctx, f.carl(), sub);
  CHECK_FALSE(direct.form_errors.empty());
  auto routed = handlers::on_submission(f.ctx, f.carl(), sub);
  CHECK((!routed.form_errors.empty() || (routed.message && !routed.open_form)));
  CHECK(f.outbox_rows() == 0);
  CHECK(f.reminders_of("c-acme").empty());
  CHECK(f.wakeups == 0);
}

TEST_CASE("an unlinked chat user can neither open nor submit the reminder form") {
  fixture f;
  auto who = f.anna();
  who.member.reset();
  CHECK_FALSE(handlers::open_reminder_form(f.ctx, who, "c-acme").open_form);
  CHECK_FALSE(handlers::remind_command(f.ctx, who, "Acme").open_form);
  const auto form = form_for(f, "c-acme");
  CHECK_FALSE(handlers::on_reminder_submission(f.ctx, who, reminder_submission(form, {"missing_receipts"}))
                  .form_errors.empty());
  CHECK(f.outbox_rows() == 0);
}

TEST_CASE("a reminder form whose metadata names another firm's client is refused") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto forged = reminder_submission(form, {"missing_receipts"}, "hello");
  forged.private_metadata = R"({"client":"c-foreign","conversation":"C0001"})";
  auto r = handlers::on_reminder_submission(f.ctx, f.anna(), forged);
  CHECK_FALSE(r.form_errors.empty());
  CHECK(f.outbox_rows() == 0);
  CHECK(f.reminders_of("c-foreign").empty());

  // The other firm's own admin cannot open ours either.
  CHECK_FALSE(handlers::open_reminder_form(f.ctx, f.as("p-2", "m-xena", "U9001"), "c-acme").open_form);
}

TEST_CASE("a reminder form with unreadable metadata is refused") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  for (const char* meta :
       {"", "c-acme", "{", R"({"client":42})", R"({"client":""})", R"({"client":"c-nope"})"}) {
    auto sub = reminder_submission(form, {"missing_receipts"});
    sub.private_metadata = meta;
    CHECK_FALSE(handlers::on_reminder_submission(f.ctx, f.anna(), sub).form_errors.empty());
  }
  CHECK(f.outbox_rows() == 0);
}

TEST_CASE("a client with no bookkeepers but the sender says so instead of opening the form") {
  fixture f;
  auto r = handlers::open_reminder_form(f.ctx, f.anna(), "c-solo");
  CHECK_FALSE(r.open_form);
  REQUIRE(r.message);
  CHECK(all_text(*r.message).find("no bookkeepers") != std::string::npos);
  auto by_name = handlers::remind_command(f.ctx, f.anna(), "Solo");
  CHECK_FALSE(by_name.open_form);
}

TEST_CASE("a form sent after the client lost its bookkeepers says so in the form and sends nothing") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  auto doc = boost::json::parse(reminder_firm_snapshot);
  for (auto& c : doc.at("clients").as_array())
    if (c.at("id") == "c-acme") c.as_object()["bookkeepers"] = boost::json::array{};
  REQUIRE(bot::import_snapshot(f.db, boost::json::serialize(doc), "2026-11-27T09:00:00Z").ok);

  auto r = handlers::on_reminder_submission(f.ctx, f.anna(), reminder_submission(form, {"missing_receipts"}));
  REQUIRE(r.form_errors.count(handlers::forms::reminder_tasks) == 1);
  CHECK(r.form_errors[handlers::forms::reminder_tasks].find("no bookkeepers") != std::string::npos);
  CHECK(f.outbox_rows() == 0);
  CHECK(f.reminders_of("c-acme").empty());
}

TEST_CASE("an admin's client card lists the recent reminders") {
  fixture f;
  const auto form = form_for(f, "c-acme");
  handlers::on_reminder_submission(
      f.ctx, f.anna(), reminder_submission(form, {"missing_receipts", "wallet_balance"}, "", "V1"));
  const auto lines = handlers::recent_reminder_lines(f.ctx, handlers::english, "c-acme", 5);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] ==
        "27 Nov 10:42 — Anna Admin: missing receipts, wallet balance (3 notified, 1 not reached)");
  CHECK(handlers::recent_reminder_lines(f.ctx, handlers::english, "c-beta", 5).empty());
}
