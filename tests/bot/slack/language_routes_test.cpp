// Danish and English end to end: signed Slack requests to the real server,
// replies, controls, forms, reminder DMs and digests read at the fake Slack.
// A reply is checked for its language's words and against the other
// language's catalogue: no phrase of it may be left in.

#include "bot/chat/config.hpp"
#include "bot/cli/digest_command.hpp"
#include "support/catalogue_text.hpp"
#include "support/conditions.hpp"
#include "support/instants.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

// Lyngby Revision: Ida (admin) and Kaj (bookkeeper) read Danish once they
// say so; Tom (admin) and Eve (bookkeeper) keep the default, English. Ulla
// has no chat account. Dorthe is not linked yet; her Slack is set to Danish.
// Both admins look after enough clients for two pages.
constexpr const char* lyngby_team = "TLYNGBY";
// One client of the firm, its balance in DKK.
json::object lyngby_client(const std::string& id, const std::string& name, const char* status,
                           const std::string& amount, int missing_receipts, int ready_for_export,
                           json::array bookkeepers) {
  return {{"id", id},
          {"name", name},
          {"status", status},
          {"wallet_balance", {{"amount", amount}, {"currency", "DKK"}}},
          {"missing_receipts", missing_receipts},
          {"ready_for_export", ready_for_export},
          {"bookkeepers", std::move(bookkeepers)}};
}

const std::string lyngby_snapshot = [] {
  json::array clients{
      lyngby_client("c-aarhus", "Aarhus Kaffebrænderi ApS", "active", "2500.75", 3, 2,
                    {"m-kaj", "m-eve", "m-ulla", "m-ida"}),
      lyngby_client("c-bryg", "Bryggeriet Vestfyn A/S", "active", "100.00", 0, 1, {"m-kaj", "m-dorthe"}),
      lyngby_client("c-nord1", "Nordhavn Byg ApS", "active", "10.00", 5, 0, {"m-tom", "m-eve"}),
      lyngby_client("c-nord2", "Nordhavn Byg Holding ApS", "active", "10.00", 1, 0, {"m-ida"}),
      lyngby_client("c-invite", "Frederiksberg Tandklinik ApS", "invite", "0.00", 0, 0, {}),
      lyngby_client("c-onb", "Gentofte Glas I/S", "onboarding", "0.00", 0, 0, {"m-kaj"})};
  const char* towns[] = {"Hellerup Hvidevarer", "Ishøj Isenkram", "Jægersborg Jern", "Køge Kager",
                         "Lyngby Lys",          "Måløv Maling",   "Nærum Nødder",    "Odsherred Olie",
                         "Præstø Papir",        "Roskilde Reb"};
  int i = 0;
  for (const char* town : towns) {
    ++i;
    clients.push_back(lyngby_client("c-town" + std::to_string(i), std::string(town) + " ApS", "active",
                                    std::to_string(i * 100) + ".00", i % 3, i % 2, {"m-ida", "m-tom"}));
  }
  auto member = [](const char* id, const char* name, const char* email, const char* role, const char* user) {
    json::object m{{"id", id}, {"name", name}, {"email", email}, {"role", role}};
    if (user) m["slack_user_id"] = user;
    return m;
  };
  return json::serialize(json::object{
      {"partner", {{"id", "p-lyngby"}, {"name", "Lyngby Revision ApS"}, {"slack_team_id", lyngby_team}}},
      {"synced_at", "2026-11-27T09:00:00Z"},
      {"members",
       {member("m-ida", "Ida Iversen", "ida@lyngby.example", "admin", "UIDA"),
        member("m-tom", "Tom Taylor", "tom@lyngby.example", "admin", "UTOM"),
        member("m-kaj", "Kaj Kristensen", "kaj@lyngby.example", "bookkeeper", "UKAJ"),
        member("m-eve", "Eve Evans", "eve@lyngby.example", "bookkeeper", "UEVE"),
        member("m-ulla", "Ulla Uden", "ulla@lyngby.example", "bookkeeper", nullptr),
        member("m-dorthe", "Dorthe Dahl", "dorthe@lyngby.example", "bookkeeper", nullptr)}},
      {"clients", std::move(clients)}});
}();

struct lyngby {
  explicit lyngby(const std::function<void(bot::config&)>& adjust = [](bot::config&) {})
      : app(raw_snapshots{{lyngby_snapshot}}, adjust) {}

  // The reply's JSON, checked to be an ephemeral answer.
  json::value ask_json(const std::string& user, const std::string& text,
                       const std::string& channel = "C0001") {
    auto r = app.command(lyngby_team, user, text, "trigger-" + user, channel);
    REQUIRE(r.status == 200);
    auto body = body_json(r);
    REQUIRE(body.is_object());
    CHECK(body.at("response_type") == "ephemeral");
    return body;
  }
  std::string ask(const std::string& user, const std::string& text, const std::string& channel = "C0001") {
    return all_text(ask_json(user, text, channel));
  }
  // Ida and Kaj choose Danish.
  void danes_choose_danish() {
    reads_danish(ask("UIDA", "sprog da"), {"dansk"});
    reads_danish(ask("UKAJ", "language da"), {"dansk"});
  }

  slack_app app;
};

std::string text_of(const recorded_call& call) {
  return all_text(call.body);
}

// `remind NAME` as `user`; the modal handed to views.open.
json::object open_form(lyngby& l, const std::string& user, const std::string& name) {
  const auto before = l.app.fake.calls_to("views.open").size();
  auto r = l.app.command(lyngby_team, user, name, "trigger-form");
  REQUIRE(r.status == 200);
  REQUIRE(l.app.fake.wait_for("views.open", before + 1, 5s));
  return l.app.fake.calls_to("views.open").back().body.at("view").as_object();
}

http_reply submit(lyngby& l, const std::string& user, const json::object& form,
                  std::vector<std::string> tasks, const std::string& comment, const std::string& view_id) {
  std::vector<submitted_input> inputs{{"tasks", "checkboxes", std::move(tasks)},
                                      {"comment", "plain_text_input", {comment}}};
  return l.app.post("/slack/interactions",
                    interaction_body(view_submission_payload(
                        lyngby_team, user, "reminder", std::string(form.at("private_metadata").as_string()),
                        inputs, view_id, "h-" + view_id)));
}

} // namespace

TEST_CASE("every command is answered in the member's language, whichever language it was typed in") {
  lyngby l;
  l.danes_choose_danish();
  struct kind {
    std::string english_command;
    std::string danish_command;
    std::vector<std::string> english_words;
    std::vector<std::string> danish_words;
  };
  const std::vector<kind> kinds{
      {"clients",
       "kunder",
       {"My clients", "Showing 1–10 of", "Next →"},
       {"Mine kunder", "Viser 1–10 af", "Næste →"}},
      {"clients all missing",
       "kunder alle manglende",
       {"All clients", "only clients with missing receipts", "Missing receipts only"},
       {"Alle kunder", "kun kunder med manglende kvitteringer", "Kun manglende kvitteringer"}},
      {"search nordhavn",
       "søg nordhavn",
       {"Clients matching", "View details"},
       {"Kunder, der matcher", "Vis detaljer"}},
      {"missing",
       "manglende",
       {"Clients with missing receipts", "Most missing first", "missing receipts"},
       {"Kunder med manglende kvitteringer", "Flest manglende først", "manglende kvitteringer"}},
      {"client bryggeriet",
       "kunde bryggeriet",
       {"Wallet balance", "Ready for export", "Figures as of 27 Nov 2026 10:00 (Copenhagen time)",
        "Go to client", "Notify the bookkeepers", "Kaj Kristensen"},
       {"Saldo i tegnebogen", "Udgifter klar til eksport", "Tal pr. 27. november 2026 kl. 10.00 (dansk tid)",
        "Gå til kunde", "Giv bogholderne besked", "Vælg hyppighed", "Kaj Kristensen"}},
      {"client nordhavn", "kunde nordhavn", {"matches several clients"}, {"passer på flere kunder"}},
      {"client zyxwv", "kunde zyxwv", {"I can't find a client called"}, {"Jeg kan ikke finde en kunde"}},
      {"help",
       "hjælp",
       {"What I can do", "search TEXT", "remind NAME"},
       {"Det kan jeg", "søg TEKST", "påmind NAVN"}},
      {"digest bryggeriet weekly",
       "digest bryggeriet ugentligt",
       {"digest for Bryggeriet Vestfyn A/S", "Monday"},
       {"sammendrag for Bryggeriet Vestfyn A/S", "mandag"}},
      {"digests",
       "digests",
       {"Your digests", "Channel digests of the firm"},
       {"Dine sammendrag", "Firmaets kanalsammendrag"}},
      {"digest channel weekly",
       "digest kanal ugentligt",
       {"firm digest", "every Monday at 10:00"},
       {"firmaets sammendrag", "hver mandag kl. 10.00"}},
      {"link someone@lyngby.example",
       "link someone@lyngby.example",
       {"I can't see the e-mail"},
       {"Jeg kan ikke se e-mailen"}},
      {"show me acme", "vis mig acme", {"I don't know", "What I can do"}, {"Jeg kender ikke", "Det kan jeg"}},
      {"language", "sprog", {"I answer you in English"}, {"Jeg svarer dig på dansk"}},
      {"remind zyxwv", "påmind zyxwv", {"I can't find a client called"}, {"Jeg kan ikke finde en kunde"}},
  };
  for (const auto& k : kinds) {
    for (const auto* typed : {&k.english_command, &k.danish_command}) {
      INFO("command: " << *typed);
      reads_danish(l.ask("UIDA", *typed), k.danish_words);
      reads_english(l.ask("UTOM", *typed), k.english_words);
    }
  }
}

TEST_CASE("a bookkeeper is told in their language that the admin tabs are not theirs") {
  lyngby l;
  l.danes_choose_danish();
  reads_danish(l.ask("UKAJ", "kunder alle"),
               {"Fanerne Inviterer og Alle er for administratorer", "Mine kunder"});
  reads_english(l.ask("UEVE", "kunder alle"), {"The Invites and All tabs are for admins", "My clients"});
  reads_danish(l.ask("UKAJ", "digest kanal ugentligt", "C0KAJ"), {"Kun partnerens administratorer"});
  reads_english(l.ask("UEVE", "digest channel weekly", "C0EVE"), {"Only partner admins"});
}

TEST_CASE("controls answer in the language of the one who presses them") {
  lyngby l;
  l.danes_choose_danish();
  // Paging, the tabs and the overflow menu.
  auto ida_list = l.ask_json("UIDA", "kunder alle");
  auto next = find_control(ida_list, "Næste");
  REQUIRE(next);
  reads_danish(all_text(l.app.press_and_read(lyngby_team, "UIDA", *next)),
               {"Viser 11–16 af 16", "← Forrige"});
  auto details = find_control(ida_list, "Vis detaljer");
  REQUIRE(details);
  reads_danish(all_text(l.app.press_and_read(lyngby_team, "UIDA", *details)), {"Saldo i tegnebogen"});
  auto invites = find_control(ida_list, "Inviterer (1)");
  REQUIRE(invites);
  reads_danish(all_text(l.app.press_and_read(lyngby_team, "UIDA", *invites)),
               {"Frederiksberg Tandklinik ApS", "Invitation"});

  auto tom_list = l.ask_json("UTOM", "clients all");
  auto tom_next = find_control(tom_list, "Next");
  REQUIRE(tom_next);
  reads_english(all_text(l.app.press_and_read(lyngby_team, "UTOM", *tom_next)),
                {"Showing 11–16 of 16", "← Previous"});

  // The same control pressed by the other: each reads their own language.
  reads_english(all_text(l.app.press_and_read(lyngby_team, "UTOM", *next)), {"Showing 11–16 of 16"});

  // A forged or stale control expires in either language.
  const control forged{"clients.page", "Next", "L9|garbage", false};
  reads_danish(all_text(l.app.press_and_read(lyngby_team, "UIDA", forged)), {"Det her er udløbet"});
  reads_english(all_text(l.app.press_and_read(lyngby_team, "UTOM", forged)), {"This has expired"});

  // The frequency menu on a card: its options are Danish, and so is the answer to a pick.
  reads_danish(l.ask("UIDA", "kunde bryggeriet"),
               {"Vælg hyppighed", "Dagligt", "Ugentligt", "Månedligt", "Fra"});
  const control weekly{"digest.set", "Ugentligt", "c-bryg|weekly", true};
  reads_danish(all_text(l.app.press_and_read(lyngby_team, "UIDA", weekly)),
               {"Ugentligt sammendrag for Bryggeriet", "mandag"});
  reads_english(all_text(l.app.press_and_read(lyngby_team, "UTOM", weekly)),
                {"Weekly digest for Bryggeriet", "Monday"});
}

TEST_CASE("an English admin's reminder reaches a Danish bookkeeper in Danish and an English one in English") {
  lyngby l;
  l.danes_choose_danish();

  // Tom's form and its refusals are English.
  auto form = open_form(l, "UTOM", "remind aarhus");
  const auto form_text = all_text(form);
  reads_english(form_text, {"Remind the bookkeepers of Aarhus Kaffebrænderi ApS about:", "Tasks",
                            "Missing receipts (3)", "Wallet balance (DKK 2.500,75)", "Comment"});
  CHECK(form.at("submit").at("text") == "Send");
  CHECK(form.at("close").at("text") == "Cancel");
  auto refused = body_json(submit(l, "UTOM", form, {}, "", "VTOM0"));
  reads_english(all_text(refused) + json::serialize(refused), {"Choose at least one task"});

  REQUIRE(submit(l, "UTOM", form, {"missing_receipts", "ready_for_export"}, "Husk bilagene, tak", "VTOM1")
              .status == 200);
  REQUIRE(l.app.fake.wait_for("chat.postMessage", 3, 5s));
  REQUIRE(l.app.fake.wait_for("chat.postEphemeral", 1, 5s));
  std::map<std::string, std::string> dms;
  for (const auto& call : l.app.fake.calls_to("chat.postMessage"))
    dms[std::string(call.body.at("channel").as_string())] = text_of(call);
  REQUIRE(dms.size() == 3);
  reads_danish(dms.at("DUKAJ"),
               {"Påmindelse: Aarhus Kaffebrænderi ApS", "Tom Taylor beder dig se på",
                "Manglende kvitteringer", "Udgifter klar til eksport", "Kommentar fra Tom Taylor",
                "Husk bilagene, tak", "Gå til kunde", "(dansk tid)"});
  reads_danish(dms.at("DUIDA"), {"Påmindelse: Aarhus Kaffebrænderi ApS"});
  reads_english(dms.at("DUEVE"), {"Reminder: Aarhus Kaffebrænderi ApS", "Tom Taylor asks you to look at",
                                  "Missing receipts", "Expenses ready for export", "Comment from Tom Taylor",
                                  "Go to client", "(Copenhagen time)"});
  // The sender hears back in his own language.
  const auto confirmation = text_of(l.app.fake.calls_to("chat.postEphemeral").back());
  reads_english(confirmation, {"Done! 3 bookkeepers notified about Aarhus Kaffebrænderi ApS",
                               "Ulla Uden (not linked to chat)"});

  // Ida's form, refusals and confirmation are Danish.
  auto ida_form = open_form(l, "UIDA", "påmind nordhavn byg aps");
  reads_danish(all_text(ida_form), {"Mind bogholderne for Nordhavn Byg ApS om:", "Opgaver", "Kommentar"});
  CHECK(ida_form.at("close").at("text") == "Annuller");
  auto ida_refused = body_json(submit(l, "UIDA", ida_form, {}, "", "VIDA0"));
  reads_danish(json::serialize(ida_refused), {"Vælg mindst én opgave"});
  REQUIRE(submit(l, "UIDA", ida_form, {"wallet_balance"}, "", "VIDA1").status == 200);
  REQUIRE(l.app.fake.wait_for("chat.postEphemeral", 2, 5s));
  reads_danish(text_of(l.app.fake.calls_to("chat.postEphemeral").back()),
               {"Færdig! 2 bogholdere har fået besked om Nordhavn Byg ApS"});
  // Tom is a bookkeeper of that client and reads his DM in English.
  REQUIRE(l.app.fake.wait_for("chat.postMessage", 5, 5s));
  for (const auto& call : l.app.fake.calls_to("chat.postMessage")) {
    if (call.body.at("channel") == "DUTOM")
      reads_english(text_of(call), {"Reminder: Nordhavn Byg ApS", "Ida Iversen"});
    if (call.body.at("channel") == "DUEVE" && contains(text_of(call), "Nordhavn"))
      reads_english(text_of(call), {"Wallet balance", "DKK 10,00"});
  }
  // The client card's audit lines are in the reader's language too.
  reads_danish(l.ask("UIDA", "kunde aarhus"), {"Seneste påmindelser:", "Tom Taylor", "manglende kvitteringer",
                                               "3 fik besked", "1 ikke nået"});
  reads_english(l.ask("UTOM", "client aarhus"), {"Last reminders:", "3 notified", "1 not reached"});
}

TEST_CASE("digests go out in each recipient's language: DMs and channel digests") {
  lyngby l;
  l.danes_choose_danish();
  reads_danish(l.ask("UKAJ", "digest aarhus ugentligt"), {"Ugentligt sammendrag for Aarhus"});
  reads_english(l.ask("UEVE", "digest aarhus weekly"), {"Weekly digest for Aarhus"});
  reads_danish(l.ask("UIDA", "digest kanal ugentligt", "C0IDA"), {"firmaets sammendrag"});
  reads_english(l.ask("UTOM", "digest channel weekly", "C0TOM"), {"firm digest"});

  bot::config cfg;
  cfg.db_path = l.app.db_path();
  cfg.slack_api_url = l.app.fake.base_url();
  cfg.slack_bot_token = bot_token;
  REQUIRE(bot::run_digest_command(cfg, test_support::next_monday_afternoon()) == 0);

  std::map<std::string, std::string> posts;
  for (const auto& call : l.app.fake.calls_to("chat.postMessage"))
    posts[std::string(call.body.at("channel").as_string())] = text_of(call);
  REQUIRE(posts.size() == 4);
  reads_danish(posts.at("DUKAJ"),
               {"Dit Pleo-sammendrag", "mandag", "Aarhus Kaffebrænderi ApS", "Saldo DKK 2.500,75",
                "3 manglende kvitteringer", "2 klar til eksport", "tal pr. 27. november 2026"});
  reads_english(posts.at("DUEVE"), {"Your Pleo digest", "Monday", "Balance DKK 2.500,75",
                                    "3 missing receipts", "2 ready for export", "figures as of 27 Nov 2026"});
  reads_danish(posts.at("C0IDA"), {"Lyngby Revision ApS: firmasammendrag", "Kunder med udestående",
                                   "flest manglende kvitteringer først"});
  reads_english(posts.at("C0TOM"), {"Lyngby Revision ApS: firm digest", "Clients with outstanding work",
                                    "most missing receipts first"});
}

TEST_CASE("PARTNERBOT_LANGUAGE=da answers the unlinked and members who have not chosen in Danish") {
  lyngby danish_default([](bot::config& cfg) { cfg.language = "da"; });
  reads_danish(danish_default.ask("UNOBODY", "kunder"), {"Du er ikke knyttet endnu", "Lyngby Revision ApS"});
  reads_danish(danish_default.ask("UNOBODY", "help"), {"Det kan jeg", "link din@email"});
  reads_danish(danish_default.ask("UTOM", "clients"), {"Mine kunder"});
  reads_english(danish_default.ask("UTOM", "language en"), {"English"});
  reads_english(danish_default.ask("UTOM", "clients"), {"My clients"});

  lyngby english_default;
  reads_english(english_default.ask("UNOBODY", "kunder"), {"You are not linked yet", "Lyngby Revision ApS"});
}

TEST_CASE("a list answer reused from the cache follows the member's change of language") {
  lyngby l;
  reads_english(l.ask("UTOM", "clients"), {"My clients"});
  reads_english(l.ask("UTOM", "clients"), {"My clients"}); // the reused answer
  reads_danish(l.ask("UTOM", "sprog da"), {"dansk"});
  reads_danish(l.ask("UTOM", "clients"), {"Mine kunder"});
  reads_english(l.ask("UTOM", "language auto"), {"English"});
  reads_english(l.ask("UTOM", "clients"), {"My clients"});
}

TEST_CASE("a chat app set to Danish gets Danish replies until the member chooses otherwise") {
  lyngby l;
  l.app.fake.add_user("UDORTHE", "dorthe@lyngby.example", "da-DK");
  // Linked by her profile's e-mail on the first request; the profile says Danish.
  reads_danish(l.ask("UDORTHE", "clients"), {"Mine kunder", "Bryggeriet Vestfyn A/S"});
  // Later requests do not read the profile again: the locale last seen holds.
  reads_danish(l.ask("UDORTHE", "help"), {"Det kan jeg"});
  reads_danish(l.ask("UDORTHE", "sprog"), {"din chat-apps sprog"});
  reads_english(l.ask("UDORTHE", "language en"), {"English"});
  reads_english(l.ask("UDORTHE", "clients"), {"My clients"});
  reads_danish(l.ask("UDORTHE", "language auto"), {"dansk"});
  reads_danish(l.ask("UDORTHE", "clients"), {"Mine kunder"});
  // An unlinked user whose chat app is Danish is told so in Danish.
  l.app.fake.add_user("USTRANGER", "stranger@elsewhere.example", "da-DK");
  reads_danish(l.ask("USTRANGER", "clients"), {"Du er ikke knyttet endnu"});
}
