// A member linked by the snapshot has never been looked up on Slack: their
// language comes from users.info (include_locale), read when unknown or a day
// old, and stored. End to end: signed requests to the real server, the fake
// Slack answering users.info with a locale, replies and DMs read there.

#include "handlers/digest_schedule.hpp"
#include "store/database.hpp"
#include "store/languages.hpp"
#include "support/catalogue_text.hpp"
#include "support/conditions.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace test_support;

namespace locale_lookup_test {

namespace json = boost::json;

// Vestkyst Revision: Anna (admin) and two bookkeepers, Kaj and Eve, all
// linked by the snapshot alone. Kaj's Slack is Danish, Anna's English; Eve
// is unknown to Slack (users.info: user_not_found).
constexpr const char* vest_team = "TVEST";
const std::string vest_snapshot = [] {
  auto member = [](const char* id, const char* name, const char* email, const char* role, const char* user) {
    return json::object{
        {"id", id}, {"name", name}, {"email", email}, {"role", role}, {"slack_user_id", user}};
  };
  auto client = [](const char* id, const char* name, json::array bookkeepers) {
    return json::object{{"id", id},
                        {"name", name},
                        {"status", "active"},
                        {"wallet_balance", {{"amount", "1200.00"}, {"currency", "DKK"}}},
                        {"missing_receipts", 2},
                        {"ready_for_export", 1},
                        {"bookkeepers", std::move(bookkeepers)}};
  };
  return json::serialize(json::object{
      {"partner", {{"id", "p-vest"}, {"name", "Vestkyst Revision ApS"}, {"slack_team_id", vest_team}}},
      {"synced_at", "2026-11-27T09:00:00Z"},
      {"members",
       {member("m-anna", "Anna Andersen", "anna@vest.example", "admin", "UANNA"),
        member("m-kaj", "Kaj Kristensen", "kaj@vest.example", "bookkeeper", "UKAJ"),
        member("m-eve", "Eve Evans", "eve@vest.example", "bookkeeper", "UEVE")}},
      {"clients",
       {client("c-esbjerg", "Esbjerg Fisk ApS", {"m-kaj", "m-eve"}),
        client("c-ribe", "Ribe Reb A/S", {"m-kaj"})}}});
}();

struct vestkyst {
  vestkyst() : app(raw_snapshots{{vest_snapshot}}) {
    app.fake.add_user("UANNA", "anna@vest.example", "en-US");
    app.fake.add_user("UKAJ", "kaj@vest.example", "da-DK");
  }

  std::string ask(const std::string& user, const std::string& text) {
    auto r = app.command(vest_team, user, text, "trigger-" + user);
    REQUIRE(r.status == 200);
    auto body = body_json(r);
    REQUIRE(body.is_object());
    return all_text(body);
  }

  std::size_t lookups_of(const std::string& user) const {
    std::size_t n = 0;
    for (const auto& call : app.fake.calls_to("users.info"))
      if (call.body.at("user").as_string() == std::string_view{user}) ++n;
    return n;
  }

  store::language_setting stored(const char* member_id) const {
    store::database db(app.db_path());
    return store::member_languages(db).of(member_id);
  }

  slack_app app;
};

} // namespace locale_lookup_test

using namespace locale_lookup_test;

TEST_CASE(
    "a Danish bookkeeper linked only by the snapshot gets clients in Danish; Slack is asked once a day") {
  vestkyst v;
  reads_danish(v.ask("UKAJ", "clients"), {"Mine kunder", "Esbjerg Fisk ApS", "Ribe Reb A/S"});
  REQUIRE(v.lookups_of("UKAJ") == 1);
  const auto call = v.app.fake.calls_to("users.info").front();
  CHECK(call.body.at("include_locale") == "true");
  CHECK(call.authorization == std::string("Bearer ") + bot_token);
  const auto kept = v.stored("m-kaj");
  CHECK(kept.locale == "da-DK");
  CHECK_FALSE(kept.locale_at.empty());

  // Later requests use the stored locale without asking again.
  reads_danish(v.ask("UKAJ", "help"), {"Det kan jeg"});
  reads_danish(v.ask("UKAJ", "kunder"), {"Mine kunder"});
  CHECK(v.lookups_of("UKAJ") == 1);

  // An English admin stays English, and a member's own choice needs no lookup.
  reads_english(v.ask("UANNA", "clients"), {"My clients"});
  reads_danish(v.ask("UEVE", "sprog da"), {"dansk"});
  reads_danish(v.ask("UEVE", "kunder"), {"Mine kunder", "Esbjerg Fisk ApS"});
}

TEST_CASE("a locale older than a day is read again behind the answer") {
  vestkyst v;
  reads_danish(v.ask("UKAJ", "clients"), {"Mine kunder"});
  {
    // Read two days ago; since then Kaj has set Slack to English.
    store::database db(v.app.db_path());
    store::member_languages(db).set_read_locale(
        "m-kaj", "", handlers::to_iso(std::chrono::system_clock::now() - std::chrono::hours(48)));
  }
  v.app.fake.add_user("UKAJ", "kaj@vest.example", "en-GB");
  // The answer does not wait: it is in the locale last seen.
  reads_danish(v.ask("UKAJ", "clients"), {"Mine kunder"});
  REQUIRE(eventually([&] { return v.stored("m-kaj").locale == "en-GB"; }));
  CHECK(v.lookups_of("UKAJ") == 2);
  reads_english(v.ask("UKAJ", "clients"), {"My clients", "Esbjerg Fisk ApS"});
  CHECK(v.lookups_of("UKAJ") == 2);
}

TEST_CASE("a failing users.info leaves the default language, the answer is still right, and waits a while") {
  vestkyst v;
  scripted_reply broken;
  broken.status = 500;
  broken.body = "upstream trouble";
  v.app.fake.script("users.info", broken);
  const auto text = v.ask("UKAJ", "clients");
  reads_english(text, {"My clients", "Esbjerg Fisk ApS", "Ribe Reb A/S"});
  CHECK_FALSE(contains(text, "not linked"));
  CHECK(v.lookups_of("UKAJ") == 1);
  CHECK(v.stored("m-kaj").locale_at.empty());
  // A failed lookup is not repeated on every request.
  reads_english(v.ask("UKAJ", "help"), {"What I can do"});
  CHECK(v.lookups_of("UKAJ") == 1);

  // Slack answering that it does not know the user counts as an answer:
  // the default language, and no lookup again that day.
  reads_english(v.ask("UEVE", "clients"), {"My clients", "Esbjerg Fisk ApS"});
  CHECK(v.lookups_of("UEVE") == 1);
  CHECK_FALSE(v.stored("m-eve").locale_at.empty());
  reads_english(v.ask("UEVE", "help"), {"What I can do"});
  CHECK(v.lookups_of("UEVE") == 1);
}

TEST_CASE("a slow users.info holds the first answer for at most part of Slack's deadline") {
  vestkyst v;
  v.app.fake.slow_down("users.info", 4s);
  const auto started = std::chrono::steady_clock::now();
  const auto text = v.ask("UKAJ", "clients");
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
  // Answered in full, in the default language, not "on its way".
  reads_english(text, {"My clients", "Esbjerg Fisk ApS"});
  CHECK_FALSE(contains(text, "on its way"));
  // The locale is stored when it comes, and the next answer is Danish.
  REQUIRE(eventually([&] { return v.stored("m-kaj").locale == "da-DK"; }, 8s));
  reads_danish(v.ask("UKAJ", "clients"), {"Mine kunder"});
  CHECK(v.lookups_of("UKAJ") == 1);
}

TEST_CASE("an admin's reminder reaches a bookkeeper linked only by the snapshot in their Slack language") {
  vestkyst v;
  auto r = v.app.command(vest_team, "UANNA", "remind esbjerg", "trigger-form");
  REQUIRE(r.status == 200);
  REQUIRE(v.app.fake.wait_for("views.open", 1, 5s));
  const auto form = v.app.fake.calls_to("views.open").back().body.at("view").as_object();
  reads_english(all_text(form), {"Remind the bookkeepers of Esbjerg Fisk ApS about:"});
  CHECK(v.lookups_of("UKAJ") == 0); // Kaj has never written to the bot

  std::vector<submitted_input> inputs{{"tasks", "checkboxes", {"missing_receipts"}},
                                      {"comment", "plain_text_input", {""}}};
  auto sent = v.app.post("/slack/interactions", interaction_body(view_submission_payload(
                                                    vest_team, "UANNA", "reminder",
                                                    std::string(form.at("private_metadata").as_string()),
                                                    inputs, "VANNA1", "h-VANNA1")));
  REQUIRE(sent.status == 200);
  REQUIRE(v.app.fake.wait_for("chat.postMessage", 2, 5s));
  std::map<std::string, std::string> dms;
  for (const auto& call : v.app.fake.calls_to("chat.postMessage"))
    dms[std::string(call.body.at("channel").as_string())] = all_text(call.body);
  REQUIRE(dms.size() == 2);
  reads_danish(dms.at("DUKAJ"), {"Påmindelse: Esbjerg Fisk ApS", "Anna Andersen beder dig se på"});
  reads_english(dms.at("DUEVE"), {"Reminder: Esbjerg Fisk ApS", "Anna Andersen asks you to look at"});
  CHECK(v.lookups_of("UKAJ") == 1);
  CHECK(v.stored("m-kaj").locale == "da-DK");
  // The sender hears back in her own language.
  REQUIRE(v.app.fake.wait_for("chat.postEphemeral", 1, 5s));
  reads_english(all_text(v.app.fake.calls_to("chat.postEphemeral").back().body), {"Done!"});
}

TEST_CASE("a dialog that only says something closes with a word in the reader's language") {
  vestkyst v;
  // Not a member of the firm: the form is answered in the dialog itself.
  v.app.fake.add_user("UGAEST", "gaest@andet.example", "da-DK");
  v.app.fake.add_user("UGUEST", "guest@other.example", "en-US");
  for (const char* user : {"UGAEST", "UGUEST"}) {
    auto r = v.app.post("/slack/interactions",
                        interaction_body(view_submission_payload(
                            vest_team, user, "reminder", R"({"client":"c-ribe","conversation":""})",
                            {{"tasks", "checkboxes", {"missing_receipts"}}})));
    REQUIRE(r.status == 200);
    const auto body = body_json(r);
    INFO(r.body);
    REQUIRE(body.at("response_action") == "update");
    const auto close = std::string(body.at("view").at("close").at("text").as_string());
    if (std::string(user) == "UGAEST") {
      CHECK(close == "Luk");
      reads_danish(all_text(body.at("view")), {"Du er ikke knyttet endnu"});
    } else {
      CHECK(close == "Close");
      reads_english(all_text(body.at("view")), {"You are not linked yet"});
    }
  }
}
