// The chat grammar over real signed Slack requests, on the bundled demo firm:
// every form of the command, the tabs each role sees, search across Nordic
// and German names, controls that update the message in place. Expected
// answers come from the snapshot the app imported, never from the app.

#include "bot/cli/demo_firm.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "support/demo_clients.hpp"
#include "support/slack_firm.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <map>
#include <regex>

namespace json = boost::json;
using namespace test_support;

namespace {

// Demo client names in the order they appear in `text`.
std::vector<std::string> names_in_order(const std::string& mrkdwn, const std::vector<demo_client>& clients) {
  // Block Kit text escapes & < > ("Åkesson &amp; Söner AB").
  std::string text;
  for (std::size_t i = 0; i < mrkdwn.size();) {
    if (mrkdwn.compare(i, 5, "&amp;") == 0)
      text += '&', i += 5;
    else if (mrkdwn.compare(i, 4, "&lt;") == 0)
      text += '<', i += 4;
    else if (mrkdwn.compare(i, 4, "&gt;") == 0)
      text += '>', i += 4;
    else
      text += mrkdwn[i++];
  }
  std::vector<std::pair<std::size_t, std::string>> found;
  for (const auto& c : clients) {
    // A name followed by more letters is another client's longer name.
    for (auto at = text.find(c.name); at != std::string::npos; at = text.find(c.name, at + 1)) {
      const auto end = at + c.name.size();
      if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) continue;
      found.emplace_back(at, c.name);
      break;
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (auto& [at, name] : found)
    out.push_back(std::move(name));
  return out;
}

std::vector<std::string> tab_labels(const json::value& message) {
  std::vector<std::string> out;
  static const std::regex tab(R"(^(Invites|Onboarding|My clients|All) \([0-9.]+\)$)");
  for (const auto& c : controls_of(message))
    if (std::regex_match(c.label, tab)) out.push_back(c.label);
  return out;
}

// The demo firm with Slack users for Anna (admin, assigned), Bo (admin, no
// assignments), Carla (bookkeeper); each links by their profile e-mail.
struct demo_app {
  demo_app() : app(raw_snapshots{{bot::demo_snapshot()}}) {
    app.fake.add_user("UANNA", "anna@nordlys.example");
    app.fake.add_user("UBO", "bo@nordlys.example");
    app.fake.add_user("UCARLA", "carla@nordlys.example");
  }
  json::value ask(const std::string& user, const std::string& text) {
    auto r = app.command(demo_team, user, text);
    REQUIRE(r.status == 200);
    auto body = body_json(r);
    REQUIRE(body.is_object());
    CHECK(body.at("response_type") == "ephemeral");
    return body;
  }
  slack_app app;
  std::vector<demo_client> clients = demo_clients();
};

std::size_t count_if_client(const std::vector<demo_client>& clients, auto pred) {
  return static_cast<std::size_t>(std::count_if(clients.begin(), clients.end(), pred));
}

} // namespace

TEST_CASE("an admin's tabs are Invites, Onboarding, My clients and All with the portal's counts") {
  demo_app demo;
  const auto& cs = demo.clients;
  const auto invites = count_if_client(cs, [](auto& c) { return c.status == "invite"; });
  const auto onboarding = count_if_client(cs, [](auto& c) { return c.status == "onboarding"; });
  const auto mine =
      count_if_client(cs, [](auto& c) { return c.status == "active" && c.assigned_to("m-anna"); });
  REQUIRE(invites > 0);
  REQUIRE(onboarding > 0);
  REQUIRE(mine > 0);
  auto labels = tab_labels(demo.ask("UANNA", "clients"));
  CHECK(labels == std::vector<std::string>{"Invites (" + std::to_string(invites) + ")",
                                           "Onboarding (" + std::to_string(onboarding) + ")",
                                           "My clients (" + std::to_string(mine) + ")",
                                           "All (" + std::to_string(cs.size()) + ")"});
}

TEST_CASE("a bookkeeper's tabs are only Onboarding and My clients, and only their own clients count") {
  demo_app demo;
  const auto& cs = demo.clients;
  const auto onboarding =
      count_if_client(cs, [](auto& c) { return c.status == "onboarding" && c.assigned_to("m-carla"); });
  const auto mine =
      count_if_client(cs, [](auto& c) { return c.status == "active" && c.assigned_to("m-carla"); });
  REQUIRE(mine > 0);
  std::vector<std::string> expected;
  if (onboarding > 0) expected.push_back("Onboarding (" + std::to_string(onboarding) + ")");
  expected.push_back("My clients (" + std::to_string(mine) + ")");
  CHECK(tab_labels(demo.ask("UCARLA", "clients")) == expected);
}

TEST_CASE("an empty Invites or Onboarding tab is not shown") {
  // Every client of this firm is active: no Invites, no Onboarding. My
  // clients stays, as on the portal, even for an admin assigned to none.
  const slack_firm active_only{"p-9", "T0009", "Solo", 12};
  slack_app app({&active_only});
  auto r = app.command(active_only, active_only.admin_user(), "clients all");
  REQUIRE(r.status == 200);
  auto labels = tab_labels(body_json(r));
  CHECK(labels == std::vector<std::string>{"My clients (0)", "All (12)"});
}

TEST_CASE("the empty command opens My clients, or All for an admin with no assignments") {
  demo_app demo;
  CHECK(demo.ask("UANNA", "").at("text").as_string().starts_with("My clients"));
  CHECK(demo.ask("UBO", "").at("text").as_string().starts_with("All clients"));
  CHECK(demo.ask("UCARLA", "").at("text").as_string().starts_with("My clients"));
}

TEST_CASE("a bookkeeper never sees a client not assigned to them, whatever they type") {
  demo_app demo;
  const auto& cs = demo.clients;
  const auto unassigned =
      std::find_if(cs.begin(), cs.end(), [](auto& c) { return !c.assigned_to("m-carla"); });
  REQUIRE(unassigned != cs.end());
  std::set<std::string> seen;
  for (const std::string& text :
       std::vector<std::string>{"", "clients", "clients all", "clients invites", "clients onboarding",
                                "clients mine missing desc", "missing", "search a", "search e", "search ApS",
                                "client " + unassigned->name, "digests", "help"}) {
    INFO(text);
    auto reply = all_text(demo.ask("UCARLA", text));
    for (const auto& name : names_in_order(reply, cs)) {
      auto c = std::find_if(cs.begin(), cs.end(), [&](auto& x) { return x.name == name; });
      // A name typed by Carla is echoed back; that is not a leak of the card.
      if (name == unassigned->name)
        CHECK(reply.find("No client called") != std::string::npos);
      else
        CHECK(c->assigned_to("m-carla"));
      seen.insert(name);
    }
  }
  CHECK(seen.size() > 1);
}

TEST_CASE("a bookkeeper asking for an admin tab is told so and gets their own list") {
  demo_app demo;
  auto reply = demo.ask("UCARLA", "clients all");
  auto text = all_text(reply);
  CHECK(text.find("for admins") != std::string::npos);
  CHECK(reply.at("text").as_string().starts_with("My clients"));
}

TEST_CASE("search is case-insensitive and folds Danish, Swedish, Norwegian and German letters") {
  demo_app demo;
  const std::map<std::string, std::string> finds{{"ærø", "Ærø Cykler ApS"},
                                                 {"ÆRØ CYKLER", "Ærø Cykler ApS"},
                                                 {"aero", "Ærø Cykler ApS"},
                                                 {"oster", "Østerbro Bageri ApS"},
                                                 {"müller", "Müller Bäckerei GmbH"},
                                                 {"strasse", "Straßenbau Flensburg GmbH"},
                                                 {"jönköping", "Jönköping Trähus AB"},
                                                 {"tromso", "Tromsø Nordlys Safari AS"}};
  for (const auto& [query, name] : finds) {
    INFO(query);
    REQUIRE(std::any_of(demo.clients.begin(), demo.clients.end(), [&](auto& c) { return c.name == name; }));
    auto reply = demo.ask("UANNA", "search " + query);
    auto shown = names_in_order(all_text(reply), demo.clients);
    CHECK(std::find(shown.begin(), shown.end(), name) != shown.end());
  }
  auto none = demo.ask("UANNA", "search qqqzzz");
  CHECK(all_text(none).find("No clients match") != std::string::npos);
}

TEST_CASE("/pleo missing lists the clients with missing receipts, most missing first") {
  demo_app demo;
  const auto with_missing = count_if_client(demo.clients, [](auto& c) { return c.missing > 0; });
  auto reply = demo.ask("UANNA", "missing");
  auto text = all_text(reply);
  CHECK(text.find("of " + std::to_string(with_missing)) != std::string::npos);
  std::vector<std::int64_t> counts;
  for (const auto& name : names_in_order(text, demo.clients))
    counts.push_back(std::find_if(demo.clients.begin(), demo.clients.end(), [&](auto& c) {
                       return c.name == name;
                     })->missing);
  REQUIRE(counts.size() == std::min<std::size_t>(10, with_missing));
  CHECK(std::is_sorted(counts.rbegin(), counts.rend()));
  CHECK(counts.back() > 0);
}

TEST_CASE("tab, sort and filter controls replace the message in place") {
  demo_app demo;
  auto all = demo.ask("UANNA", "clients all");
  auto ascending = names_in_order(all_text(all), demo.clients);
  REQUIRE(ascending.size() == 10);

  auto descending_button = find_control(all, "\u00c5\u2013A");
  REQUIRE(descending_button);
  auto descending = demo.app.press_and_read(demo_team, "UANNA", *descending_button);
  CHECK(descending.at("replace_original") == true);
  auto names = names_in_order(all_text(descending), demo.clients);
  REQUIRE(names.size() == 10);
  // Danish order ends with Æ, Ø, Å (and Aa, which is Å): descending starts there.
  CHECK((names.front().starts_with("\u00c5") || names.front().starts_with("Aa")));
  for (const auto& n : names)
    CHECK(std::find(ascending.begin(), ascending.end(), n) == ascending.end());

  auto filter = find_control(all, "Missing receipts only");
  REQUIRE(filter);
  auto filtered = demo.app.press_and_read(demo_team, "UANNA", *filter);
  for (const auto& name : names_in_order(all_text(filtered), demo.clients))
    CHECK(std::find_if(demo.clients.begin(), demo.clients.end(), [&](auto& c) {
            return c.name == name;
          })->missing > 0);
  CHECK(all_text(filtered).find("only clients with missing receipts") != std::string::npos);

  auto invites_tab = find_control(all, "Invites (");
  REQUIRE(invites_tab);
  auto invites = demo.app.press_and_read(demo_team, "UANNA", *invites_tab);
  auto invite_names = names_in_order(all_text(invites), demo.clients);
  REQUIRE(!invite_names.empty());
  for (const auto& name : invite_names)
    CHECK(std::find_if(demo.clients.begin(), demo.clients.end(), [&](auto& c) {
            return c.name == name;
          })->status == "invite");
}

TEST_CASE("client NAME: exact, then unique prefix; ambiguity offers the candidates; unknown says so") {
  demo_app demo;
  const auto& target = *std::find_if(demo.clients.begin(), demo.clients.end(),
                                     [](auto& c) { return c.name == "Müller Bäckerei GmbH"; });
  auto exact = all_text(demo.ask("UANNA", "client m\u00fcller b\u00e4ckerei gmbh"));
  CHECK(exact.find(target.name) != std::string::npos);
  CHECK(exact.find(target.currency + " ") != std::string::npos);
  auto prefix = demo.ask("UANNA", "client M\u00fcller B");
  CHECK(all_text(prefix).find(target.currency + " ") != std::string::npos);
  // The card links to the client on the portal.
  auto go = find_control(prefix, "Go to client");
  REQUIRE(go);
  CHECK(json::serialize(prefix).find(target.id) != std::string::npos);

  auto ambiguous = demo.ask("UANNA", "client ApS");
  CHECK(all_text(ambiguous).find("matches several clients") != std::string::npos);
  const auto candidates = controls_of(ambiguous);
  CHECK(candidates.size() >= 2);
  auto pick = demo.app.press_and_read(demo_team, "UANNA", candidates.front());
  CHECK(all_text(pick).find("Wallet balance") != std::string::npos);

  auto unknown = all_text(demo.ask("UANNA", "client M\u00fcler Backerei"));
  CHECK(unknown.find("No client called") != std::string::npos);
  CHECK(unknown.find(target.name) != std::string::npos); // offered as a nearest name
}

TEST_CASE("help lists the commands, and an unknown command points to it") {
  demo_app demo;
  auto admin = all_text(demo.ask("UANNA", "help"));
  for (const char* word : {"clients", "search", "missing", "client", "digest", "digests", "remind", "link"}) {
    INFO(word);
    CHECK(admin.find(word) != std::string::npos);
  }
  auto bookkeeper = all_text(demo.ask("UCARLA", "help"));
  CHECK(bookkeeper.find("remind") == std::string::npos);
  auto unknown = all_text(demo.ask("UANNA", "frobnicate the ledger"));
  CHECK(unknown.find("help") != std::string::npos);
}

TEST_CASE("link EMAIL never links a user to an e-mail that is not on their own Slack profile") {
  demo_app demo;
  // Frida is linked by her profile e-mail on her first request; she cannot
  // become Carla by typing Carla's address.
  demo.app.fake.add_user("UFRIDA", "frida@nordlys.example");
  auto claim = all_text(demo.ask("UFRIDA", "link carla@nordlys.example"));
  CHECK(claim.find("Linked") == std::string::npos);
  // A user whose profile shows no e-mail sees nothing and cannot link themselves.
  demo.app.fake.add_user("UHIDDEN", "");
  CHECK(all_text(demo.ask("UHIDDEN", "clients all")).find("not linked") != std::string::npos);
  auto hidden = all_text(demo.ask("UHIDDEN", "link gustav@nordlys.example"));
  CHECK(hidden.find("Linked") == std::string::npos);

  store::database db(demo.app.db_path());
  store::directory dir(db);
  auto frida = dir.member_for_identity("slack", demo_team, "UFRIDA");
  REQUIRE(frida);
  CHECK(frida->email == "frida@nordlys.example");
  CHECK_FALSE(dir.member_for_identity("slack", demo_team, "UHIDDEN"));
}
