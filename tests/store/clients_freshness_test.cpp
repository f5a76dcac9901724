// Lists, counts and names follow every change at once, whoever made it, and
// what an open write transaction reads never outlives its rollback.

#include "fixture.hpp"
#include "store/clients.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <unistd.h>

using namespace store_test;

namespace {

std::string with_client_renamed(const std::string& from, const std::string& to) {
  auto doc = boost::json::parse(firm_json);
  for (auto& c : doc.at("clients").as_array())
    if (c.at("name").as_string() == from) c.as_object()["name"] = to;
  return boost::json::serialize(doc);
}

} // namespace

TEST_CASE("repeated list answers follow changes made through the same connection") {
  store::database db(":memory:");
  load(db, firm_json);
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  CHECK(cl.list(admin, query(store::tab::all, "zebra")).total == 1);
  CHECK(cl.list(admin, query(store::tab::all, "zebra")).total == 1); // served again
  load(db, with_client_renamed("Zebra Consult ApS", "Yak Consult ApS"));
  CHECK(cl.list(admin, query(store::tab::all, "zebra")).total == 0);
  CHECK(cl.resolve_name(admin, "yak").kind == store::name_match_kind::prefix);

  db.sql().exec("UPDATE client_metrics SET missing_receipts = 0");
  auto q = query(store::tab::all);
  q.missing_only = true;
  CHECK(cl.list(admin, q).total == 0);
  db.sql().exec("DELETE FROM assignments WHERE member_id = 'm-admin'");
  CHECK(cl.counts(admin).mine == 0);
}

TEST_CASE("repeated list answers follow changes committed by another connection") {
  fresh_db_file tmp;
  store::database reader(tmp.path);
  store::database writer(tmp.path);
  load(writer, firm_json);
  store::clients cl(reader);
  const auto book = member(reader, "p-1", "m-book");
  CHECK(cl.counts(book).mine == 2);
  CHECK(cl.visible_names(book).size() == 3);
  writer.sql().exec("DELETE FROM assignments WHERE member_id = 'm-book' AND client_id = 'c-2'");
  CHECK(cl.counts(book).mine == 1);
  CHECK(cl.visible_names(book).size() == 2);
  CHECK(cl.list(book, query(store::tab::mine)).total == 1);
}

TEST_CASE("inside an open transaction lists see its writes and nothing is kept after a rollback") {
  store::database db(":memory:");
  load(db, firm_json);
  store::clients cl(db);
  const auto admin = member(db, "p-1", "m-admin");
  CHECK(cl.list(admin, query(store::tab::all)).total == 7);
  {
    store::transaction tx(db);
    db.sql().exec("DELETE FROM clients WHERE id = 'c-7'");
    CHECK(cl.list(admin, query(store::tab::all)).total == 6);
  }
  CHECK(cl.list(admin, query(store::tab::all)).total == 7);
}
