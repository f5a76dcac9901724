#include "bot/cli/demo_firm.hpp"
#include "handlers/actions.hpp"
#include "handlers/clients_list.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/format.hpp"
#include "support/small_firm.hpp"

#include <set>

using namespace handlers;
using test_support::button_labelled;
using test_support::buttons_of;
using test_support::client_rows;
using test_support::mentions;

namespace {

std::vector<std::string> tab_labels(const view& v) {
  std::vector<std::string> out;
  for (const auto& b : buttons_of(v)) {
    if (b.action_id != actions::clients_page) continue;
    for (const char* tab : {"Invites (", "Onboarding (", "My clients (", "All ("})
      if (b.label.rfind(tab, 0) == 0) out.push_back(b.label);
  }
  return out;
}

std::string primary_tab(const view& v) {
  for (const auto& label : tab_labels(v))
    if (button_labelled(v, label)->style == button_style::primary) return label;
  return {};
}

std::vector<std::string> row_names(const view& v) {
  std::vector<std::string> out;
  for (const auto& s : client_rows(v))
    out.push_back(s.title);
  return out;
}

// What a view must hold for any platform: control values small enough to
// travel whole (a cut value would corrupt the list state). Display limits
// are each renderer's (tests/bot/slack/render_writer_test.cpp).
void check_limits(const view& v) {
  for (const auto& b : v.blocks)
    if (const auto* s = std::get_if<section>(&b))
      if (const auto* m = std::get_if<menu>(&s->side))
        for (const auto& i : m->items)
          CHECK(i.value.size() <= 150);
  for (const auto& b : buttons_of(v))
    CHECK(b.value.size() <= 2000);
}

action press(const button& b) {
  return action{b.action_id, b.value};
}

view act(test_support::small_firm& f, const caller& who, const action& a, bool expect_replace = true) {
  auto r = on_action(f.ctx, who, a);
  REQUIRE(r.message);
  CHECK(r.replace_original == expect_replace);
  return *r.message;
}

} // namespace

TEST_CASE("admins see Invites, Onboarding, My clients and All with counts; default is My clients") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-anna"), "clients");
  CHECK(tab_labels(v) ==
        std::vector<std::string>{"Invites (1)", "Onboarding (1)", "My clients (1)", "All (9)"});
  CHECK(primary_tab(v) == "My clients (1)");
  CHECK(row_names(v) == std::vector<std::string>{"Acme ApS"});
  CHECK(mentions(v, "Showing 1\u20131 of 1"));
  check_limits(v);
}

TEST_CASE("an admin assigned to no active client lands on All") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-alf"), "");
  CHECK(primary_tab(v) == "All (9)");
  CHECK(mentions(v, "Showing 1\u20139 of 9"));
  // Danish order: ... Z, Æ, Ø, Å.
  const auto names = row_names(v);
  REQUIRE(names.size() == 9);
  CHECK(names.front() == "Acme ApS");
  CHECK(names[names.size() - 3] == "Ærø Cykler ApS");
  CHECK(names[names.size() - 2] == "Østerbro Bageri");
  CHECK(names.back() == "Åbyhøj Auto");
}

TEST_CASE("admins see every status on their tabs") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  CHECK(row_names(f.command_view(anna, "clients invites")) == std::vector<std::string>{"Invite Tech ApS"});
  CHECK(row_names(f.command_view(anna, "clients onboarding")) == std::vector<std::string>{"Østerbro Bageri"});
  const auto all = f.command_view(anna, "clients all desc");
  CHECK(row_names(all).size() == 9);
  CHECK(row_names(all).front() == "Åbyhøj Auto");
  CHECK(primary_tab(all) == "All (9)");
}

TEST_CASE("bookkeepers see Onboarding and My clients, only their assigned clients") {
  test_support::small_firm f;
  const auto bo = f.as("m-bo");
  auto v = f.command_view(bo, "clients");
  CHECK(tab_labels(v) == std::vector<std::string>{"Onboarding (1)", "My clients (3)"});
  CHECK(primary_tab(v) == "My clients (3)");
  CHECK(row_names(v) == std::vector<std::string>{"Acme ApS", "Ærø Cykler ApS", "Åbyhøj Auto"});

  v = f.command_view(bo, "clients onboarding");
  CHECK(row_names(v) == std::vector<std::string>{"Østerbro Bageri"});
  // No overflow item for reminders: that is for admins.
  for (const auto& row : client_rows(v))
    for (const auto& item : std::get<menu>(row.side).items)
      CHECK(item.value.rfind("remind|", 0) != 0);
}

TEST_CASE("empty Invites and Onboarding tabs are not shown") {
  test_support::small_firm f;
  // Cy has no client in onboarding.
  CHECK(tab_labels(f.command_view(f.as("m-cy"), "clients")) == std::vector<std::string>{"My clients (3)"});
  // The other firm has neither invites nor onboarding.
  const auto v = f.command_view(f.as("m-olga", "p-2"), "clients");
  CHECK(tab_labels(v) == std::vector<std::string>{"My clients (1)", "All (1)"});
  CHECK(row_names(v) == std::vector<std::string>{"Acme Other ApS"});
}

TEST_CASE("a bookkeeper asking for All or Invites is told those are for admins and gets their list") {
  test_support::small_firm f;
  for (const char* text : {"clients all", "clients invites", "clients invites missing"}) {
    INFO(text);
    const auto v = f.command_view(f.as("m-bo"), text);
    CHECK(mentions(v, "for admins"));
    CHECK(primary_tab(v) == "My clients (3)");
    CHECK_FALSE(mentions(v, "Invite Tech"));
    CHECK_FALSE(mentions(v, "Nordisk"));
    CHECK_FALSE(mentions(v, "Hemmelig"));
  }
}

TEST_CASE("a bookkeeper never sees an unassigned client in any list, search, card, menu or control") {
  test_support::small_firm f;
  const auto bo = f.as("m-bo");
  const std::vector<std::string> hidden = {"Hemmelig",   "Nordisk",  "Invite Tech", "Acme Holding", "Zulu",
                                           "Acme Other", "c-secret", "c-nordisk",   "c-invite"};
  std::vector<view> seen;
  for (const char* text : {"", "clients", "clients onboarding", "clients mine missing", "clients all",
                           "clients invites", "missing", "search holding", "search a", "search ApS",
                           "client hemmelig", "client nordisk design aps", "client zulu"})
    seen.push_back(f.command_view(bo, text));
  // Forged controls: other tabs, a search state, a client id from elsewhere.
  for (const char* value : {"L1|a||0|", "L1|i||0|", "L1|e|xn|0|", "L1|e||0|hemmelig"})
    seen.push_back(act(f, bo, action{actions::clients_page, value}));
  for (auto a : {action{actions::client_menu, "open|c-secret"}, action{actions::client_open, "c-secret"},
                 action{actions::client_open, "c-other"}, action{actions::client_menu, "open|c-nordisk"}}) {
    auto r = on_action(f.ctx, bo, a);
    REQUIRE(r.message);
    CHECK(mentions(*r.message, "expired"));
    seen.push_back(*r.message);
  }
  for (const auto& v : seen)
    for (const auto& h : hidden) {
      INFO(test_support::all_text(v));
      CHECK_FALSE(mentions(v, h));
    }
}

TEST_CASE("search is case-insensitive, works for Nordic letters, and spans the caller's tabs") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  CHECK(row_names(f.command_view(anna, "search ærø")) == std::vector<std::string>{"Ærø Cykler ApS"});
  CHECK(row_names(f.command_view(anna, "search ÆRØ cykler")) == std::vector<std::string>{"Ærø Cykler ApS"});
  CHECK(row_names(f.command_view(anna, "search tech")) == std::vector<std::string>{"Invite Tech ApS"});
  // A bookkeeper's search covers their onboarding and active clients.
  const auto bo = f.as("m-bo");
  CHECK(row_names(f.command_view(bo, "search østerbro")) == std::vector<std::string>{"Østerbro Bageri"});
  const auto v = f.command_view(bo, "search a");
  CHECK(row_names(v) ==
        std::vector<std::string>{"Acme ApS", "Ærø Cykler ApS", "Østerbro Bageri", "Åbyhøj Auto"});
  CHECK(mentions(v, "Clients matching \u201ca\u201d"));
}

TEST_CASE("a search with no match says so helpfully") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-anna"), "search qwxyz");
  CHECK(client_rows(v).empty());
  CHECK(mentions(v, "No clients match \u201cqwxyz\u201d"));
  const auto bo = f.command_view(f.as("m-bo"), "search hemmelig");
  CHECK(mentions(bo, "assigned to you"));
}

TEST_CASE("missing lists every visible client with missing receipts, most missing first") {
  test_support::small_firm f;
  auto v = f.command_view(f.as("m-anna"), "missing");
  CHECK(row_names(v) == std::vector<std::string>{"Hemmelig Holding ApS", "Ærø Cykler ApS", "Acme ApS",
                                                 "Nordisk Design ApS", "Zulu Shipping"});
  CHECK(button_labelled(v, "Most missing first")->style == button_style::primary);
  v = f.command_view(f.as("m-bo"), "missing");
  CHECK(row_names(v) == std::vector<std::string>{"Ærø Cykler ApS", "Acme ApS"});
  // Missing receipts only, in a tab.
  v = f.command_view(f.as("m-cy"), "clients missing");
  CHECK(row_names(v) == std::vector<std::string>{"Hemmelig Holding ApS", "Zulu Shipping"});
}

TEST_CASE("a client row shows status, balance, receipts and export with an overflow menu") {
  test_support::small_firm f;
  const auto v = f.command_view(f.as("m-anna"), "search acme aps");
  const auto rows = client_rows(v);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].title == "Acme ApS");
  CHECK(rows[0].text.find("Active") != std::string::npos);
  CHECK(rows[0].text.find("DKK 12.345,50") != std::string::npos);
  CHECK(rows[0].text.find("4 missing receipts") != std::string::npos);
  CHECK(rows[0].text.find("12 ready for export") != std::string::npos);
  const auto& items = std::get<menu>(rows[0].side).items;
  REQUIRE(items.size() == 3);
  CHECK(items[0].label == "Go to client");
  CHECK(items[0].url == "https://app.pleo.io/partner/clients/c-acme");
  CHECK(items[1].value == "open|c-acme");
  CHECK(items[2].label == "Notify the bookkeepers");
  CHECK(items[2].value == "remind|c-acme");
}

TEST_CASE("controls change tab, sort and filter, and replace the message") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  auto v = f.command_view(anna, "clients");
  v = act(f, anna, press(*button_labelled(v, "All (")));
  CHECK(primary_tab(v) == "All (9)");
  v = act(f, anna, press(*button_labelled(v, "\u00c5\u2013A")));
  CHECK(row_names(v).front() == "Åbyhøj Auto");
  v = act(f, anna, press(*button_labelled(v, "Missing receipts only")));
  CHECK(row_names(v) == std::vector<std::string>{"Ærø Cykler ApS", "Zulu Shipping", "Nordisk Design ApS",
                                                 "Hemmelig Holding ApS", "Acme ApS"});
  v = act(f, anna, press(*button_labelled(v, "A\u2013\u00c5")));
  CHECK(row_names(v).front() == "Acme ApS");
  // Switching tab keeps the filter.
  v = act(f, anna, press(*button_labelled(v, "My clients (")));
  CHECK(row_names(v) == std::vector<std::string>{"Acme ApS"});
  CHECK(button_labelled(v, "Missing receipts only")->style == button_style::primary);
}

TEST_CASE("paging through a 143-client firm, 10 a page, within Slack's limits") {
  const bot::firm_spec spec{.partner_id = "p-big", .slack_team_id = "TBIG", .clients = 143};
  test_support::small_firm f{bot::generate_snapshot(spec)};
  // An admin on the All tab sees the whole firm.
  const auto members = store::directory{f.db}.members_of("p-big");
  auto admin = std::find_if(members.begin(), members.end(),
                            [](const auto& m) { return m.role == store::role::admin; });
  REQUIRE(admin != members.end());
  const auto who = f.as(admin->id, "p-big");

  auto v = f.command_view(who, "clients all");
  CHECK(mentions(v, "Showing 1\u201310 of 143"));
  CHECK_FALSE(button_labelled(v, "\u2190 Previous"));
  std::set<std::string> ids;
  int pages = 1;
  for (;;) {
    check_limits(v);
    const auto rows = client_rows(v);
    CHECK(rows.size() <= 10);
    for (const auto& r : rows)
      ids.insert(std::get<menu>(r.side).items[1].value);
    auto next = button_labelled(v, "Next");
    if (!next) break;
    auto value = decode_list_state(next->value);
    REQUIRE(value);
    CHECK(value->page == pages);
    v = act(f, who, press(*next));
    ++pages;
    if (pages == 2) CHECK(mentions(v, "Showing 11\u201320 of 143"));
  }
  CHECK(pages == 15);
  CHECK(mentions(v, "Showing 141\u2013143 of 143"));
  CHECK(ids.size() == 143);

  // Back one page.
  v = act(f, who, press(*button_labelled(v, "\u2190 Previous")));
  CHECK(mentions(v, "Showing 131\u2013140 of 143"));

  // A page beyond the end (the firm shrank) shows the last page.
  v = act(f, who, action{actions::clients_page, "L1|a||99|"});
  CHECK(mentions(v, "Showing 141\u2013143 of 143"));
}

TEST_CASE("forged or garbled list controls get the expired reply") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  for (const char* value : {"", "garbage", "L1|q||0|", "L1|a||-5|", "L1|a|zz|0|", "L9|a||0|", "L1|a||0"}) {
    INFO(value);
    auto r = on_action(f.ctx, anna, action{actions::clients_page, value});
    REQUIRE(r.message);
    CHECK(mentions(*r.message, "This has expired \u2014 run the command again."));
  }
}
