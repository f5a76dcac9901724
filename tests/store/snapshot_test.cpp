#include "bot/cli/demo_firm.hpp"
#include "bot/cli/platform_list.hpp"
#include "fixture.hpp"
#include "store/clients.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"

#include <boost/json.hpp>
#include <functional>

using namespace store_test;
namespace json = boost::json;

namespace {

// Every row of every table the import touches, as one comparable text.
std::string dump(store::database& db) {
  std::string out;
  for (const char* table : {"partners", "members", "chat_identities", "clients", "client_metrics",
                            "assignments", "subscriptions"}) {
    auto q = db.connection().fresh(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
    out += std::string("#") + table + "\n";
    while (q->step()) {
      for (int i = 0; i < q->column_count(); ++i)
        out += q->text(i) + "|";
      out += "\n";
    }
  }
  return out;
}

std::string edited(const std::string& base, const std::function<void(json::object&)>& edit) {
  auto doc = json::parse(base);
  edit(doc.as_object());
  return json::serialize(doc);
}

json::object& client_at(json::object& doc, std::size_t i) {
  return doc["clients"].as_array()[i].as_object();
}
json::object& member_at(json::object& doc, std::size_t i) {
  return doc["members"].as_array()[i].as_object();
}

void require_rejected(const std::string& text, const std::string& expected_error) {
  store::database db(store_test::location());
  load(db, firm_json);
  const auto before = dump(db);
  const auto r = bot::import_snapshot(db, text, import_time);
  CHECK_FALSE(r.ok);
  CHECK(r.error == expected_error);
  CHECK(dump(db) == before);
}

} // namespace

TEST_CASE("a valid snapshot imports partner, members, clients, metrics, assignments and links") {
  store::database db(store_test::location());
  const auto r = bot::import_snapshot(db, firm_json, import_time);
  REQUIRE(r.ok);
  CHECK(r.partner_id == "p-1");
  CHECK(r.members == 4);
  CHECK(r.clients == 7);
  CHECK(r.removed_clients == 0);

  store::directory dir(db);
  auto p = dir.partner_by_workspace("slack", "T0001");
  REQUIRE(p);
  CHECK(p->name == "Nordic Ledger ApS");
  CHECK(dir.partner_by_workspace("teams", "tenant-1")->id == "p-1");

  auto anna = dir.member_for_identity("slack", "T0001", "U0001");
  REQUIRE(anna);
  CHECK(anna->id == "m-admin");
  CHECK(anna->role == store::role::admin);
  CHECK(dir.member_for_identity("teams", "tenant-1", "aad-dorte")->id == "m-book2");

  const auto admin = member(db, "p-1", "m-admin");
  store::clients cl(db);
  auto acme = cl.visible(admin, "c-1");
  REQUIRE(acme);
  CHECK(acme->name == "Acme ApS");
  CHECK(acme->status == store::client_status::active);
  CHECK(acme->wallet_balance.minor == 123450);
  CHECK(acme->wallet_balance.currency == "DKK");
  CHECK(acme->missing_receipts == 4);
  CHECK(acme->ready_for_export == 12);
  CHECK(acme->synced_at == "2026-11-27T09:00:00Z"); // the snapshot's synced_at, in UTC
  CHECK(cl.visible(admin, "c-2")->wallet_balance.minor == -300);
  CHECK(cl.visible(admin, "c-3")->wallet_balance.minor == 0);
  CHECK(cl.is_assigned("c-1", "m-book"));
  CHECK(cl.is_assigned("c-1", "m-admin"));
  CHECK_FALSE(cl.is_assigned("c-2", "m-admin"));
  CHECK(cl.bookkeepers("c-1").size() == 2);
}

TEST_CASE("without synced_at the figures are dated at the import time") {
  store::database db(store_test::location());
  load(db, edited(firm_json, [](json::object& d) { d.erase("synced_at"); }));
  store::clients cl(db);
  CHECK(cl.visible(member(db, "p-1", "m-admin"), "c-1")->synced_at == import_time);
}

TEST_CASE("malformed JSON is rejected at $ with the parser's message and nothing written") {
  store::database db(store_test::location());
  const auto r = bot::import_snapshot(db, R"({"partner": {"id": "p-1",)", import_time);
  CHECK_FALSE(r.ok);
  CHECK(r.error.starts_with("$: invalid JSON: "));
  CHECK(r.error.size() > std::string("$: invalid JSON: ").size());
  CHECK(dump(db) == dump(*std::make_unique<store::database>(":memory:")));
  require_rejected("[1, 2]", "$: must be an object, got an array");
}

TEST_CASE("each kind of malformed snapshot is rejected naming its path and changes nothing") {
  SECTION("unknown status") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 5)["status"] = "paused"; }),
                     R"(clients[5].status: unknown status "paused" (invite, onboarding or active))");
  }
  SECTION("unknown role") {
    require_rejected(edited(firm_json, [](json::object& d) { member_at(d, 2)["role"] = "owner"; }),
                     R"(members[2].role: unknown role "owner" (admin or bookkeeper))");
  }
  SECTION("a bookkeeper id that is no member") {
    require_rejected(edited(firm_json,
                            [](json::object& d) {
                              client_at(d, 0)["bookkeepers"] = json::array{"m-book", "m-9"};
                            }),
                     R"(clients[0].bookkeepers[1]: no member "m-9")");
  }
  SECTION("a negative count") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 3)["missing_receipts"] = -1; }),
                     "clients[3].missing_receipts: must be a non-negative integer, got -1");
  }
  SECTION("a fractional count") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 2)["ready_for_export"] = 1.5; }),
                     "clients[2].ready_for_export: must be a non-negative integer, got 1.5");
  }
  SECTION("a bad amount") {
    for (const char* bad : {"12,5", "1.234", "1e3", "", ".5", "+1", "1.", "abc", "--1"}) {
      INFO(bad);
      require_rejected(
          edited(firm_json,
                 [&](json::object& d) { client_at(d, 1)["wallet_balance"].as_object()["amount"] = bad; }),
          std::string("clients[1].wallet_balance.amount: bad amount \"") + bad + "\"");
    }
  }
  SECTION("an amount as a JSON number") {
    require_rejected(
        edited(firm_json,
               [](json::object& d) { client_at(d, 1)["wallet_balance"].as_object()["amount"] = 12.5; }),
        "clients[1].wallet_balance.amount: must be a decimal string, got 12.5");
  }
  SECTION("a bad currency") {
    require_rejected(
        edited(firm_json,
               [](json::object& d) { client_at(d, 1)["wallet_balance"].as_object()["currency"] = "kr"; }),
        R"(clients[1].wallet_balance.currency: bad currency "kr" (ISO 4217, e.g. "DKK"))");
  }
  SECTION("a missing required field") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 4).erase("name"); }),
                     "clients[4].name: is required");
    require_rejected(edited(firm_json, [](json::object& d) { member_at(d, 1).erase("email"); }),
                     "members[1].email: is required");
    require_rejected(edited(firm_json, [](json::object& d) { d["partner"].as_object().erase("id"); }),
                     "partner.id: is required");
    require_rejected(edited(firm_json, [](json::object& d) { d.erase("clients"); }), "clients: is required");
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 0).erase("wallet_balance"); }),
                     "clients[0].wallet_balance: is required");
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 6).erase("bookkeepers"); }),
                     "clients[6].bookkeepers: is required");
  }
  SECTION("a field of the wrong type") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 0)["name"] = 7; }),
                     "clients[0].name: must be a string, got 7");
  }
  SECTION("a duplicate client id") {
    require_rejected(edited(firm_json, [](json::object& d) { client_at(d, 4)["id"] = "c-2"; }),
                     R"(clients[4].id: duplicate id "c-2")");
  }
  SECTION("a duplicate member id") {
    require_rejected(edited(firm_json, [](json::object& d) { member_at(d, 3)["id"] = "m-admin"; }),
                     R"(members[3].id: duplicate id "m-admin")");
  }
  SECTION("a bad synced_at") {
    require_rejected(edited(firm_json, [](json::object& d) { d["synced_at"] = "yesterday"; }),
                     R"(synced_at: bad timestamp "yesterday" (ISO 8601 with a zone expected))");
  }
  SECTION("a Slack team that belongs to another partner") {
    store::database db(store_test::location());
    load(db, firm_json);
    load(db, other_firm_json);
    const auto before = dump(db);
    const auto r = bot::import_snapshot(
        db,
        edited(other_firm_json, [](json::object& d) { d["partner"].as_object()["slack_team_id"] = "T0001"; }),
        import_time);
    CHECK_FALSE(r.ok);
    CHECK(r.error == R"(partner.slack_team_id: "T0001" already belongs to partner "p-1")");
    CHECK(dump(db) == before);
  }
  SECTION("a client id that belongs to another partner") {
    store::database db(store_test::location());
    load(db, firm_json);
    const auto before = dump(db);
    const auto r = bot::import_snapshot(
        db, edited(other_firm_json, [](json::object& d) { client_at(d, 1)["id"] = "c-3"; }), import_time);
    CHECK_FALSE(r.ok);
    CHECK(r.error == R"(clients[1].id: "c-3" already belongs to partner "p-1")");
    CHECK(dump(db) == before);
  }
}

TEST_CASE("re-importing updates, adds and removes, and removed clients take their links with them") {
  store::database db(store_test::location());
  load(db, firm_json);
  store::subscriptions subs(db);
  subs.set({"m-book", "c-2", "", store::frequency::daily, "slack", "2026-11-20T10:00:00Z"});
  subs.set({"m-book2", "c-5", "", store::frequency::weekly, "slack", "2026-11-20T10:00:00Z"});

  const auto next = edited(firm_json, [](json::object& d) {
    auto& clients = d["clients"].as_array();
    clients.erase(clients.begin() + 1);                      // c-2 (Ærø) is gone
    client_at(d, 0)["name"] = "Acme Nordic ApS";             // renamed
    client_at(d, 0)["missing_receipts"] = 0;                 // figures updated
    client_at(d, 0)["bookkeepers"] = json::array{"m-book2"}; // reassigned
    clients.push_back(json::object{{"id", "c-8"},
                                   {"name", "Nyt Firma ApS"},
                                   {"status", "onboarding"},
                                   {"wallet_balance", json::object{{"amount", "1"}, {"currency", "DKK"}}},
                                   {"missing_receipts", 1},
                                   {"ready_for_export", 0},
                                   {"bookkeepers", json::array{"m-book"}}});
    auto& members = d["members"].as_array();
    members.erase(members.begin() + 3); // m-book2 (Dorte) leaves...
    for (auto& c : clients) {           // ...and with her, her assignments
      auto& books = c.as_object()["bookkeepers"].as_array();
      for (auto it = books.begin(); it != books.end();)
        it = (it->is_string() && it->get_string() == "m-book2") ? books.erase(it) : it + 1;
    }
  });
  const auto r = bot::import_snapshot(db, next, "2026-11-29T08:00:00Z");
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.removed_clients == 1);
  CHECK(r.clients == 7);

  const auto admin = member(db, "p-1", "m-admin");
  store::clients cl(db);
  CHECK_FALSE(cl.visible(admin, "c-2"));
  CHECK(cl.visible(admin, "c-1")->name == "Acme Nordic ApS");
  CHECK(cl.visible(admin, "c-1")->missing_receipts == 0);
  CHECK(cl.visible(admin, "c-8"));
  CHECK(cl.list(admin, query(store::tab::all, "acme nordic")).total == 1);
  CHECK(cl.list(admin, query(store::tab::all, "ærø")).total == 0);

  store::directory dir(db);
  CHECK_FALSE(dir.member_by_id("p-1", "m-book2"));
  CHECK_FALSE(dir.member_for_identity("teams", "tenant-1", "aad-dorte"));
  CHECK_FALSE(subs.get("m-book", "c-2"));  // the removed client's subscription went with it
  CHECK_FALSE(subs.get("m-book2", "c-5")); // so did the removed member's
  CHECK(cl.bookkeepers("c-1").empty());
}

TEST_CASE("the demo firm imports with its members and the advertised names") {
  store::database db(store_test::location());
  load(db, bot::demo_snapshot());
  store::directory dir(db);
  const auto p = dir.partner_by_workspace("slack", "T0DEMO");
  REQUIRE(p);
  CHECK(p->id == "p-demo");
  CHECK(p->name == "Nordlys Revision ApS");
  auto anna = dir.member_by_email("p-demo", "anna@nordlys.example");
  REQUIRE(anna);
  CHECK(anna->id == "m-anna");
  CHECK(anna->name == "Anna Admin");
  CHECK(anna->role == store::role::admin);
  CHECK(dir.member_by_email("p-demo", "bo@nordlys.example")->role == store::role::admin);
  const auto members = dir.members_of("p-demo");
  CHECK(members.size() == 7);
  CHECK(std::count_if(members.begin(), members.end(),
                      [](const store::member& m) { return m.role == store::role::bookkeeper; }) == 5);

  store::clients cl(db);
  const auto counts = cl.counts(*anna);
  CHECK(counts.all >= 55);
  CHECK(counts.invites >= 4);
  CHECK(counts.onboarding >= 6);
  CHECK(counts.mine > 0);
  CHECK(cl.counts(*dir.member_by_email("p-demo", "bo@nordlys.example")).mine == 0);
  for (const char* name : {"Ærø Cykler ApS", "Østerbro Bageri ApS", "Ålborg Tømrer ApS"})
    CHECK(cl.resolve_name(*anna, name).kind == store::name_match_kind::exact);

  // Every active or onboarding client has one or two bookkeepers.
  auto all = cl.list(*anna, query(store::tab::all, "", 1000));
  for (const auto& c : all.rows) {
    if (c.status == store::client_status::invite) continue;
    int books = 0;
    for (const auto& m : cl.bookkeepers(c.id))
      books += m.role == store::role::bookkeeper;
    INFO(c.name);
    CHECK((books == 1 || books == 2));
  }
  CHECK(bot::demo_snapshot() == bot::demo_snapshot()); // deterministic
}
