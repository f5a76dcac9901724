// List answers are reused while the client data is unchanged; these tests
// change the data underneath a running app, as `partnerbot import` does from
// another process, and check that no answer outlives what it showed.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm harbour{"p-7", "T0007", "Harbour", 25};

// The firm's snapshot after `change` has edited the parsed document.
template <class Change> void reimport(const slack_app& app, Change change) {
  auto doc = json::parse(harbour.snapshot());
  change(doc.as_object());
  store::database db(app.db_path());
  REQUIRE(bot::import_snapshot(db, json::serialize(doc), "2026-11-27T10:00:00Z").ok);
}

json::object& client_in(json::object& doc, const std::string& id) {
  for (auto& c : doc.at("clients").as_array())
    if (c.at("id").as_string() == id) return c.as_object();
  FAIL("no client " << id);
  return doc;
}

} // namespace

TEST_CASE("the same list asked twice gets the same answer") {
  slack_app app({&harbour});
  auto first = app.command(harbour, harbour.admin_user(), "search Client 01");
  auto second = app.command(harbour, harbour.admin_user(), "search Client 01");
  REQUIRE(first.status == 200);
  CHECK(second.body == first.body);
  CHECK(client_names_in(first.body, harbour.prefix).size() == 10); // Client 010 ... 019
}

TEST_CASE("a list asked again after an import shows the imported figures") {
  slack_app app({&harbour});
  const auto before = app.command(harbour, harbour.admin_user(), "search Client 003").body;
  CHECK(before.find("3 missing receipts") != std::string::npos);
  reimport(app, [](json::object& doc) { client_in(doc, "p-7-c003")["missing_receipts"] = 41; });
  const auto after = app.command(harbour, harbour.admin_user(), "search Client 003").body;
  CHECK(after.find("41 missing receipts") != std::string::npos);
  CHECK(after.find("3 missing receipts") == std::string::npos);
}

TEST_CASE("an admin demoted to bookkeeper stops seeing the firm's other clients at once") {
  slack_app app({&harbour});
  const auto as_admin = app.command(harbour, harbour.admin_user(), "clients all").body;
  CHECK(client_names_in(as_admin, harbour.prefix).size() == 10);
  reimport(app, [](json::object& doc) {
    for (auto& m : doc.at("members").as_array())
      if (m.at("id") == "p-7-m1") m.as_object()["role"] = "bookkeeper";
  });
  const auto as_bookkeeper = app.command(harbour, harbour.admin_user(), "clients all").body;
  CHECK(client_names_in(as_bookkeeper, harbour.prefix).empty());
  CHECK(as_bookkeeper.find("for admins") != std::string::npos);
}

TEST_CASE("a bookkeeper unassigned from a client stops seeing it at once") {
  slack_app app({&harbour});
  const auto before = app.command(harbour, harbour.bookkeeper_user(), "clients").body;
  CHECK(client_names_in(before, harbour.prefix).count(harbour.client_name(7)) == 1);
  reimport(app, [](json::object& doc) { client_in(doc, "p-7-c007")["bookkeepers"] = json::array{}; });
  const auto after = app.command(harbour, harbour.bookkeeper_user(), "clients").body;
  CHECK(client_names_in(after, harbour.prefix).count(harbour.client_name(7)) == 0);
  CHECK(client_names_in(after, harbour.prefix).count(harbour.client_name(14)) == 1);
}

TEST_CASE("a member removed from the firm sees nothing at once") {
  slack_app app({&harbour});
  CHECK(!client_names_in(app.command(harbour, harbour.bookkeeper_user(), "missing").body, harbour.prefix)
             .empty());
  reimport(app, [](json::object& doc) {
    auto& members = doc.at("members").as_array();
    for (auto it = members.begin(); it != members.end(); ++it)
      if (it->at("id") == "p-7-m2") {
        members.erase(it);
        break;
      }
    for (auto& c : doc.at("clients").as_array())
      c.as_object()["bookkeepers"] = json::array{};
  });
  const auto after = app.command(harbour, harbour.bookkeeper_user(), "missing").body;
  CHECK(client_names_in(after, harbour.prefix).empty());
  CHECK(after.find("not linked") != std::string::npos);
}
