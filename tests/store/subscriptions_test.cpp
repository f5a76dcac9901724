#include "fixture.hpp"
#include "store/subscriptions.hpp"

using namespace store_test;

namespace {

// The test firm on the engine under test, and its subscriptions.
struct subscriptions_firm {
  store::database db{store_test::location()};
  store::subscriptions subs{db};
  subscriptions_firm() { load(db, firm_json); }
};

} // namespace

TEST_CASE("a member subscription is set, changed, listed and removed") {
  subscriptions_firm f;
  auto& subs = f.subs;
  subs.set({"m-book", "c-2", "", store::frequency::daily, "slack", "2026-11-20T10:00:00Z"});
  subs.set({"m-book", "c-1", "", store::frequency::weekly, "teams", "2026-11-21T10:00:00Z"});
  subs.set({"m-book2", "c-5", "", store::frequency::monthly, "slack", "2026-11-22T10:00:00Z"});

  auto s = subs.get("m-book", "c-2");
  REQUIRE(s);
  CHECK(s->client_name == "Ærø Cykler ApS");
  CHECK(s->frequency == store::frequency::daily);
  CHECK(s->platform == "slack");

  // The same frequency again keeps the original date; a new one restarts it.
  subs.set({"m-book", "c-2", "", store::frequency::daily, "slack", "2026-11-25T10:00:00Z"});
  CHECK(subs.get("m-book", "c-2")->created_at == "2026-11-20T10:00:00Z");
  subs.set({"m-book", "c-2", "", store::frequency::weekly, "teams", "2026-11-26T10:00:00Z"});
  CHECK(subs.get("m-book", "c-2")->created_at == "2026-11-26T10:00:00Z");
  CHECK(subs.get("m-book", "c-2")->frequency == store::frequency::weekly);
  CHECK(subs.get("m-book", "c-2")->platform == "teams");

  const auto mine = subs.of_member("m-book");
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].client_name == "Acme ApS");
  CHECK(mine[1].client_name == "Ærø Cykler ApS");

  std::vector<std::string> visited;
  subs.for_each([&](const store::subscription& x) { visited.push_back(x.member_id + "/" + x.client_id); });
  CHECK(visited == std::vector<std::string>{"m-book/c-1", "m-book/c-2", "m-book2/c-5"});

  subs.remove("m-book", "c-2");
  CHECK_FALSE(subs.get("m-book", "c-2"));
  CHECK(subs.of_member("m-book").size() == 1);
}

TEST_CASE("a subscription for an unknown member or client is refused by the store") {
  store::database db(store_test::location());
  load(db, firm_json);
  store::subscriptions subs(db);
  CHECK_THROWS(subs.set({"m-nobody", "c-1", "", store::frequency::daily, "slack", "2026-11-20T10:00:00Z"}));
  CHECK_THROWS(
      subs.set({"m-book", "c-nothing", "", store::frequency::daily, "slack", "2026-11-20T10:00:00Z"}));
}

TEST_CASE("channel subscriptions are per channel and listed per partner") {
  store::database db(store_test::location());
  load(db, firm_json);
  load(db, other_firm_json);
  store::subscriptions subs(db);
  subs.set_channel(
      {"p-1", "slack", "T0001", "C1", store::frequency::weekly, "m-admin", "2026-11-20T10:00:00Z"});
  subs.set_channel(
      {"p-1", "slack", "T0001", "C2", store::frequency::daily, "m-admin", "2026-11-20T10:00:00Z"});
  subs.set_channel(
      {"p-2", "slack", "T0002", "C9", store::frequency::monthly, "m-x-admin", "2026-11-20T10:00:00Z"});
  subs.set_channel(
      {"p-1", "slack", "T0001", "C1", store::frequency::monthly, "m-admin2", "2026-11-23T10:00:00Z"});

  const auto mine = subs.channels_of("p-1");
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].channel_id == "C1");
  CHECK(mine[0].frequency == store::frequency::monthly);
  CHECK(mine[0].created_by == "m-admin2");
  CHECK(mine[0].created_at == "2026-11-23T10:00:00Z");
  CHECK(subs.all_channels().size() == 3);
  CHECK(subs.remove_channel("slack", "T0001", "C2"));
  CHECK_FALSE(subs.remove_channel("slack", "T0001", "C2"));
  CHECK(subs.channels_of("p-1").size() == 1);
  CHECK(subs.channels_of("p-2").size() == 1);
}

TEST_CASE("a digest slot is claimed once per subscriber") {
  store::database db(store_test::location());
  store::digest_slots slots(db);
  CHECK(slots.claim("member:m-book", "2026-11-30T09:00:00Z"));
  CHECK_FALSE(slots.claim("member:m-book", "2026-11-30T09:00:00Z"));
  CHECK(slots.claim("member:m-book2", "2026-11-30T09:00:00Z"));
  CHECK(slots.claim("member:m-book", "2026-12-07T09:00:00Z"));
  {
    store::transaction tx(db); // a claim rolled back with its enqueue can be made again
    CHECK(slots.claim("channel:slack:T0001:C1", "2026-11-30T09:00:00Z"));
  }
  CHECK(slots.claim("channel:slack:T0001:C1", "2026-11-30T09:00:00Z"));
}
