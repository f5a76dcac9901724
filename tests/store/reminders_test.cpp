#include "engines.hpp"
#include "store/reminders.hpp"

#include <catch2/catch.hpp>

namespace {

store::reminder sample(std::string client_id, std::string comment) {
  store::reminder r;
  r.partner_id = "p-1";
  r.client_id = std::move(client_id);
  r.sender_member_id = "m-admin";
  r.sender_name = "Anna Admin";
  r.created_at = "2026-11-27T10:00:00Z";
  r.tasks = {"missing_receipts", "ready_for_export"};
  r.comment = std::move(comment);
  r.recipients = {{"m-book", "Carla Christensen", "queued"},
                  {"m-book2", "Dorte Dahl", "unreachable: no chat identity"}};
  return r;
}

} // namespace

TEST_CASE("a reminder is recorded once per submission key") {
  store::database db(store_test::location());
  store::reminders log(db);
  const auto id = log.record(sample("c-1", "Please, before Friday"), "view-123");
  REQUIRE(id);
  CHECK_FALSE(log.record(sample("c-1", "Please, before Friday"), "view-123"));
  const auto second = log.record(sample("c-1", "Again"), "view-124");
  REQUIRE(second);
  CHECK(*second != *id);

  const auto latest = log.latest_for_client("c-1", 10);
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].comment == "Again"); // newest first
  CHECK(latest[1].comment == "Please, before Friday");
  CHECK(latest[1].tasks == std::vector<std::string>{"missing_receipts", "ready_for_export"});
  CHECK(latest[1].sender_name == "Anna Admin");
  REQUIRE(latest[1].recipients.size() == 2);
  CHECK(latest[1].recipients[0].member_id == "m-book");
  CHECK(latest[1].recipients[1].outcome == "unreachable: no chat identity");
  CHECK(log.latest_for_client("c-1", 1).size() == 1);
  CHECK(log.latest_for_client("c-2", 10).empty());
}

TEST_CASE("delivery outcomes are updated per recipient") {
  store::database db(store_test::location());
  store::reminders log(db);
  const auto id = log.record(sample("c-1", ""), "view-1");
  REQUIRE(id);
  log.set_outcome(*id, "m-book", "sent");
  const auto r = log.latest_for_client("c-1", 1).at(0);
  CHECK(r.recipients.at(0).outcome == "sent");
  CHECK(r.recipients.at(1).outcome == "unreachable: no chat identity");
}

TEST_CASE("a reminder recorded inside a caller's transaction rolls back with it") {
  store::database db(store_test::location());
  store::reminders log(db);
  {
    store::transaction tx(db);
    CHECK(log.record(sample("c-1", ""), "view-1"));
  }
  CHECK(log.latest_for_client("c-1", 10).empty());
  CHECK(log.record(sample("c-1", ""), "view-1"));
}
