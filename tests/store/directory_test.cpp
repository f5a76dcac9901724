#include "fixture.hpp"
#include "store/directory.hpp"

using namespace store_test;

TEST_CASE("members are found by id and by e-mail within their own partner only") {
  store::database db(store_test::location());
  load(db, firm_json);
  load(db, other_firm_json);
  store::directory dir(db);
  CHECK(dir.member_by_email("p-1", "ANNA@firm.EXAMPLE")->id == "m-admin");
  CHECK(dir.member_by_email("p-2", "anna@firm.example")->id == "m-x-admin");
  CHECK_FALSE(dir.member_by_email("p-2", "carla@firm.example"));
  CHECK_FALSE(dir.member_by_id("p-2", "m-book"));
  CHECK(dir.member_by_id("p-1", "m-book")->name == "Carla Christensen");
  CHECK(dir.members_of("p-2").size() == 2);
  CHECK_FALSE(dir.partner_by_workspace("slack", "T9999"));
  CHECK_FALSE(dir.partner_by_workspace("slack", ""));
  CHECK_FALSE(dir.partner_by_workspace("teams", ""));
}

TEST_CASE("linking a chat user to a member: once per member, idempotent, replaceable by its own user") {
  store::database db(store_test::location());
  load(db, firm_json);
  store::directory dir(db);
  CHECK(dir.link({"slack", "T0001", "U0002", "m-book"}) == store::link_result::linked);
  CHECK(dir.link({"slack", "T0001", "U0002", "m-book"}) == store::link_result::already_linked);
  CHECK(dir.link({"slack", "T0001", "U0003", "m-book"}) == store::link_result::member_taken);
  CHECK(dir.link({"slack", "T0001", "U0003", "m-admin"}) ==
        store::link_result::member_taken); // pre-made link
  CHECK(dir.member_for_identity("slack", "T0001", "U0002")->id == "m-book");
  CHECK(dir.identity_of("m-book", "slack")->user_id == "U0002");
  CHECK_FALSE(dir.identity_of("m-book", "teams"));

  // The same user moving to another member gives up the old link.
  CHECK(dir.link({"slack", "T0001", "U0002", "m-admin2"}) == store::link_result::linked);
  CHECK(dir.member_for_identity("slack", "T0001", "U0002")->id == "m-admin2");
  CHECK_FALSE(dir.identity_of("m-book", "slack"));

  // The same member on another platform is a separate identity.
  CHECK(dir.link({"teams", "tenant-1", "aad-carla", "m-book"}) == store::link_result::linked);
}

TEST_CASE("the last platform a member used is remembered") {
  store::database db(store_test::location());
  load(db, firm_json);
  store::directory dir(db);
  CHECK_FALSE(dir.last_platform("m-book"));
  dir.touch_last_platform("m-book", "teams");
  CHECK(dir.last_platform("m-book") == "teams");
  dir.touch_last_platform("m-book", "slack");
  CHECK(dir.last_platform("m-book") == "slack");
}
