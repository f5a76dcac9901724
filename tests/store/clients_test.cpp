#include "bot/cli/demo_firm.hpp"
#include "fixture.hpp"
#include "store/clients.hpp"

#include <algorithm>
#include <set>

using namespace store_test;
using store::tab;

namespace {

std::vector<std::string> names(const store::client_page& page) {
  std::vector<std::string> out;
  for (const auto& c : page.rows)
    out.push_back(c.name);
  return out;
}

// Each tab's count as the viewer sees them.
void check_tab_counts(const store::tab_counts& c, int invites, int onboarding, int mine, int all) {
  CHECK(c.invites == invites);
  CHECK(c.onboarding == onboarding);
  CHECK(c.mine == mine);
  CHECK(c.all == all);
}

struct clients_firm {
  store::database db{":memory:"};
  store::clients clients{db};
  store::member admin, admin2, book, book2, other_admin, other_book;

  clients_firm() {
    load(db, firm_json);
    load(db, other_firm_json);
    admin = member(db, "p-1", "m-admin");
    admin2 = member(db, "p-1", "m-admin2");
    book = member(db, "p-1", "m-book");
    book2 = member(db, "p-1", "m-book2");
    other_admin = member(db, "p-2", "m-x-admin");
    other_book = member(db, "p-2", "m-x-book");
  }

  store::client_page list(const store::member& m, tab t, std::string search = {}) {
    store::list_query q;
    q.tab = t;
    q.search = std::move(search);
    q.limit = 100;
    return clients.list(m, q);
  }
};

} // namespace

TEST_CASE("admins see invites, onboarding, their own active clients and all clients") {
  clients_firm f;
  CHECK(ids(f.list(f.admin, tab::invites)) == std::vector<std::string>{"c-6", "c-4"});
  CHECK(ids(f.list(f.admin, tab::onboarding)) == std::vector<std::string>{"c-3"});
  CHECK(ids(f.list(f.admin, tab::mine)) == std::vector<std::string>{"c-1"});
  CHECK(ids(f.list(f.admin, tab::all)) ==
        std::vector<std::string>{"c-1", "c-6", "c-7", "c-5", "c-2", "c-3", "c-4"});
  CHECK(f.list(f.admin, tab::all).total == 7);
  CHECK(f.list(f.admin2, tab::mine).total == 0);
  CHECK(f.list(f.admin2, tab::all).total == 7);

  check_tab_counts(f.clients.counts(f.admin), 2, 1, 1, 7);
  CHECK(f.clients.counts(f.admin2).mine == 0);
}

TEST_CASE("bookkeepers see only their assigned onboarding and active clients") {
  clients_firm f;
  CHECK(ids(f.list(f.book, tab::onboarding)) == std::vector<std::string>{"c-3"});
  CHECK(ids(f.list(f.book, tab::mine)) == std::vector<std::string>{"c-1", "c-2"});
  CHECK(f.list(f.book, tab::invites).rows.empty());
  CHECK(f.list(f.book, tab::invites).total == 0);
  CHECK(f.list(f.book, tab::all).rows.empty());
  CHECK(f.list(f.book, tab::all).total == 0);
  CHECK(ids(f.list(f.book2, tab::mine)) == std::vector<std::string>{"c-5"});
  CHECK(f.list(f.book2, tab::onboarding).total == 0);

  check_tab_counts(f.clients.counts(f.book), 0, 1, 2, 0);
}

TEST_CASE("a bookkeeper never sees a client not assigned to them") {
  clients_firm f;
  // c-6 is an invite assigned to m-book: still hidden (bookkeepers see onboarding and active only).
  for (const char* id : {"c-4", "c-5", "c-6", "c-7", "c-x1"}) {
    INFO(id);
    CHECK_FALSE(f.clients.visible(f.book, id));
  }
  CHECK(f.clients.visible(f.book, "c-1"));
  CHECK(f.clients.visible(f.book, "c-3"));

  for (tab t : {tab::invites, tab::onboarding, tab::mine, tab::all})
    for (const char* term : {"", "a", "aps", "bager", "zebra", "ålborg", "alborg", "müller"})
      for (const auto& c : f.list(f.book, t, term).rows) {
        INFO(c.id);
        CHECK((c.id == "c-1" || c.id == "c-2" || c.id == "c-3"));
      }

  CHECK(f.clients.resolve_name(f.book, "Zebra Consult ApS").kind == store::name_match_kind::none);
  CHECK(f.clients.resolve_name(f.book, "bager hansen").kind == store::name_match_kind::none);
  CHECK(f.clients.resolve_name(f.book, "Ålborg").kind == store::name_match_kind::none);
  const auto bager = f.clients.resolve_name(f.book, "bager");
  REQUIRE(bager.kind == store::name_match_kind::substring);
  CHECK(bager.candidates.front().id == "c-3");

  const auto visible = f.clients.visible_names(f.book);
  CHECK(visible == std::vector<std::string>{"Acme ApS", "Ærø Cykler ApS", "Østerbro Bageri ApS"});
}

TEST_CASE("another partner's clients never appear") {
  clients_firm f;
  for (tab t : {tab::invites, tab::onboarding, tab::mine, tab::all})
    for (const char* term : {"", "acme", "ærø", "ae", "holding"})
      for (const auto& c : f.list(f.admin, t, term).rows)
        CHECK(c.partner_id == "p-1");
  CHECK_FALSE(f.clients.visible(f.admin, "c-x1"));
  CHECK_FALSE(f.clients.visible(f.other_admin, "c-1"));
  CHECK(f.clients.visible(f.other_admin, "c-x1"));
  CHECK(f.clients.resolve_name(f.admin, "Acme Holding ApS").kind == store::name_match_kind::none);
  CHECK(f.list(f.other_admin, tab::all).total == 2);
  CHECK(f.clients.counts(f.other_admin).all == 2);
  const auto acme = f.clients.resolve_name(f.admin, "acme");
  REQUIRE(acme.kind == store::name_match_kind::prefix);
  CHECK(acme.candidates.front().id == "c-1");
  CHECK(f.clients.resolve_name(f.other_admin, "acme").candidates.front().id == "c-x1");
}

TEST_CASE("names sort in Danish alphabetical order, case-insensitively, and descending reverses it") {
  clients_firm f;
  const std::vector<std::string> expected{"Acme ApS",          "Bager Hansen ApS", "Müller GmbH",
                                          "Zebra Consult ApS", "Ærø Cykler ApS",   "Østerbro Bageri ApS",
                                          "Ålborg Tømrer ApS"};
  CHECK(names(f.list(f.admin, tab::all)) == expected);
  store::list_query q;
  q.tab = tab::all;
  q.descending = true;
  CHECK(names(f.clients.list(f.admin, q)) == std::vector<std::string>(expected.rbegin(), expected.rend()));
}

TEST_CASE("the missing filter keeps clients with missing receipts and can order by most missing") {
  clients_firm f;
  store::list_query q;
  q.tab = tab::all;
  q.missing_only = true;
  CHECK(names(f.clients.list(f.admin, q)) ==
        std::vector<std::string>{"Acme ApS", "Bager Hansen ApS", "Zebra Consult ApS", "Østerbro Bageri ApS",
                                 "Ålborg Tømrer ApS"});
  q.most_missing_first = true;
  CHECK(ids(f.clients.list(f.admin, q)) == std::vector<std::string>{"c-6", "c-3", "c-1", "c-4", "c-5"});
  CHECK(f.clients.list(f.admin, q).total == 5);
  q.tab = tab::mine;
  CHECK(ids(f.clients.list(f.book, q)) == std::vector<std::string>{"c-1"});
}

TEST_CASE("search is a case-insensitive substring match with Nordic folding") {
  clients_firm f;
  CHECK(ids(f.list(f.admin, tab::all, "ærø")) == std::vector<std::string>{"c-2"});
  CHECK(ids(f.list(f.admin, tab::all, "ÆRØ")) == std::vector<std::string>{"c-2"});
  CHECK(ids(f.list(f.admin, tab::all, "aero")) == std::vector<std::string>{"c-2"});
  CHECK(ids(f.list(f.admin, tab::all, "oster")) == std::vector<std::string>{"c-3"});
  CHECK(ids(f.list(f.admin, tab::all, "østerbro")) == std::vector<std::string>{"c-3"});
  CHECK(ids(f.list(f.admin, tab::all, "alborg")) == std::vector<std::string>{"c-4"});
  CHECK(ids(f.list(f.admin, tab::all, "tømrer")) == std::vector<std::string>{"c-4"});
  CHECK(ids(f.list(f.admin, tab::all, "muller")) == std::vector<std::string>{"c-7"});
  CHECK(ids(f.list(f.admin, tab::all, "Müller")) == std::vector<std::string>{"c-7"});
  CHECK(ids(f.list(f.admin, tab::all, "  BAGER ")) == std::vector<std::string>{"c-6", "c-3"});
  CHECK(f.list(f.admin, tab::all, "consult aps").total == 1);
  CHECK(f.list(f.admin, tab::all, "\"quoted\" AND x").total == 0); // FTS syntax is taken literally
  CHECK(f.list(f.admin, tab::all, "zzz").total == 0);

  SECTION("short terms match too") {
    CHECK(ids(f.list(f.admin, tab::all, "ze")) == std::vector<std::string>{"c-5"});
    CHECK(ids(f.list(f.admin, tab::all, "æ")) == std::vector<std::string>{"c-2"});
    CHECK(ids(f.list(f.admin, tab::all, "ø")) == std::vector<std::string>{"c-2", "c-3", "c-4"});
    CHECK(f.list(f.admin, tab::all, "g").total == 4);
  }
  SECTION("search stays within the tab") {
    CHECK(ids(f.list(f.admin, tab::mine, "aps")) == std::vector<std::string>{"c-1"});
    CHECK(ids(f.list(f.admin, tab::invites, "aps")) == std::vector<std::string>{"c-6", "c-4"});
  }
}

TEST_CASE("resolve_name prefers exact, then unique prefix, then unique substring, else lists candidates") {
  clients_firm f;
  auto r = f.clients.resolve_name(f.admin, "acme aps");
  CHECK(r.kind == store::name_match_kind::exact);
  REQUIRE(r.candidates.size() == 1);
  CHECK(r.candidates[0].id == "c-1");

  r = f.clients.resolve_name(f.admin, "Zeb");
  CHECK(r.kind == store::name_match_kind::prefix);
  CHECK(r.candidates.at(0).id == "c-5");

  r = f.clients.resolve_name(f.admin, "cykler");
  CHECK(r.kind == store::name_match_kind::substring);
  CHECK(r.candidates.at(0).id == "c-2");

  r = f.clients.resolve_name(f.admin, "bager"); // prefix of one, substring of another: the prefix wins
  CHECK(r.kind == store::name_match_kind::prefix);
  CHECK(r.candidates.at(0).id == "c-6");

  r = f.clients.resolve_name(f.admin, "aps");
  CHECK(r.kind == store::name_match_kind::ambiguous);
  CHECK(r.candidates.size() == 6);

  CHECK(f.clients.resolve_name(f.admin, "nothing like it").kind == store::name_match_kind::none);
  CHECK(f.clients.resolve_name(f.admin, "   ").kind == store::name_match_kind::none);
}

TEST_CASE("ambiguous names offer at most 25 candidates") {
  store::database db(":memory:");
  const bot::firm_spec spec{.clients = 300};
  load(db, bot::generate_snapshot(spec));
  store::clients cl(db);
  const auto anna = member(db, "p-demo", "m-anna");
  const auto r = cl.resolve_name(anna, "aps");
  CHECK(r.kind == store::name_match_kind::ambiguous);
  CHECK(r.candidates.size() == 25);
}

TEST_CASE("paging through a 143-client firm covers every client once with the right totals") {
  store::database db(":memory:");
  const bot::firm_spec spec{.partner_id = "p-big", .slack_team_id = "TBIG", .clients = 143};
  load(db, bot::generate_snapshot(spec));
  load(db, firm_json);
  store::clients cl(db);
  const auto admin = member(db, "p-big", "m-big-anna");
  const auto counts = cl.counts(admin);
  CHECK(counts.all == 143);

  for (tab t : {tab::all, tab::mine, tab::invites, tab::onboarding}) {
    const int expected = t == tab::all       ? counts.all
                         : t == tab::mine    ? counts.mine
                         : t == tab::invites ? counts.invites
                                             : counts.onboarding;
    std::set<std::string> seen;
    store::list_query q;
    q.tab = t;
    for (q.offset = 0; q.offset < expected + 10; q.offset += 10) {
      const auto page = cl.list(admin, q);
      CHECK(page.total == expected);
      CHECK(page.rows.size() == static_cast<std::size_t>(std::clamp(expected - q.offset, 0, 10)));
      for (const auto& c : page.rows)
        CHECK(seen.insert(c.id).second);
    }
    CHECK(static_cast<int>(seen.size()) == expected);
  }
  CHECK(counts.invites + counts.onboarding < counts.all);

  // Each bookkeeper's tabs add up to what they can see.
  const auto book = member(db, "p-big", "m-big-carla");
  const auto bc = cl.counts(book);
  CHECK(static_cast<int>(cl.visible_names(book).size()) == bc.mine + bc.onboarding);
}

TEST_CASE("a generated 10,000-client firm has unique names and imports") {
  store::database db(":memory:");
  const bot::firm_spec spec{
      .partner_id = "p-huge", .slack_team_id = "THUGE", .clients = 10000, .admins = 5, .bookkeepers = 45};
  load(db, bot::generate_snapshot(spec));
  store::clients cl(db);
  const auto admin = member(db, "p-huge", "m-huge-anna");
  CHECK(cl.counts(admin).all == 10000);
  const auto names = cl.visible_names(admin);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == 10000);
  CHECK(cl.list(admin, query(tab::all, "ærø")).total > 0);
  CHECK(cl.list(admin, query(tab::all, "aps")).total > 5000);
}

TEST_CASE("every_visible lists every client the viewer may see across tabs, in one order") {
  clients_firm f;
  auto q = query(tab::invites, "", 100);
  q.every_visible = true;
  CHECK(ids(f.clients.list(f.book, q)) == std::vector<std::string>{"c-1", "c-2", "c-3"});
  CHECK(f.clients.list(f.admin, q).total == 7);
  q.missing_only = true;
  q.most_missing_first = true;
  CHECK(ids(f.clients.list(f.book, q)) == std::vector<std::string>{"c-3", "c-1"});
  q.missing_only = false;
  q.most_missing_first = false;
  q.search = "ø";
  CHECK(ids(f.clients.list(f.book, q)) == std::vector<std::string>{"c-2", "c-3"});
  CHECK(f.clients.list(f.other_book, q).total == 1);
}
