// What a Pleo sync writes, next to what a snapshot import writes.

#include "bot/cli/platform_list.hpp"
#include "fixture.hpp"
#include "store/clients.hpp"
#include "store/credentials.hpp"
#include "store/sync_state.hpp"
#include "support/running_app.hpp"

#include <filesystem>

namespace {

store::database& firm_db(store::database& db) {
  REQUIRE(bot::import_snapshot(db, store_test::firm_json, "2026-11-27T09:00:00Z").ok);
  return db;
}

store::client client(store::database& db, const std::string& id) {
  auto admin = store::directory{db}.member_by_id("p-1", "m-admin");
  REQUIRE(admin);
  auto c = store::clients{db}.visible(*admin, id);
  REQUIRE(c);
  return *c;
}

std::int64_t generation(store::database& db) {
  return store_test::scalar(db, "SELECT n FROM client_generation");
}

store::synced_figures figures(int missing, int ready, std::string name = "Acme ApS") {
  store::synced_figures f;
  f.company_name = std::move(name);
  f.missing_receipts = missing;
  f.ready_for_export = ready;
  f.ready_for_export_total = store::money{47035, "DKK"};
  return f;
}

// The fixture's snapshot with its synced_at, Acme's figures and balance changed.
std::string snapshot_at(const std::string& synced_at, int missing, const std::string& amount) {
  std::string s = store_test::firm_json;
  auto replace = [&s](const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
  };
  replace("2026-11-27T10:00:00+01:00", synced_at);
  replace(R"("amount": "1234.5", "currency": "DKK"}, "missing_receipts": 4)",
          R"("amount": ")" + amount + R"(", "currency": "DKK"}, "missing_receipts": )" +
              std::to_string(missing));
  return s;
}

} // namespace

TEST_CASE("a sync writes the figures, the company's name and its time in one go") {
  store::database db(store_test::location());
  firm_db(db);
  store::sync_states states(db);
  REQUIRE(states.record_success("c-1", figures(9, 2, "Acme Holding ApS"), "2026-11-30T08:00:00Z"));
  const auto c = client(db, "c-1");
  CHECK(c.name == "Acme Holding ApS");
  CHECK(c.missing_receipts == 9);
  CHECK(c.ready_for_export == 2);
  CHECK(c.synced_at == "2026-11-30T08:00:00Z");
  CHECK(c.wallet_balance.minor == 123450);
  const auto origin = states.origin("c-1");
  REQUIRE(origin);
  CHECK(origin->from_pleo);
  CHECK(origin->balance_at == "2026-11-27T09:00:00Z");
  CHECK(origin->ready_for_export_total->minor == 47035);
  CHECK(states.find("c-1")->last_ok_at == "2026-11-30T08:00:00Z");
  // The new name is searchable.
  auto admin = store::directory{db}.member_by_id("p-1", "m-admin");
  CHECK(store::clients{db}.resolve_name(*admin, "holding").kind == store::name_match_kind::substring);
}

TEST_CASE("a sync that only confirms the figures leaves cached answers valid, changed figures do not") {
  store::database db(store_test::location());
  firm_db(db);
  store::sync_states states(db);
  REQUIRE(states.record_success("c-1", figures(9, 2), "2026-11-30T08:00:00Z"));
  const auto before = generation(db);
  REQUIRE(states.record_success("c-1", figures(9, 2), "2026-11-30T08:15:00Z"));
  CHECK(generation(db) == before);
  CHECK(client(db, "c-1").synced_at == "2026-11-30T08:15:00Z");
  REQUIRE(states.record_success("c-1", figures(10, 2), "2026-11-30T08:30:00Z"));
  CHECK(generation(db) > before);
}

TEST_CASE("a later import keeps figures newer than its synced_at but takes its wallet balance") {
  store::database db(store_test::location());
  firm_db(db);
  REQUIRE(store::sync_states(db).record_success("c-1", figures(9, 2, "Acme Holding ApS"),
                                                "2026-11-30T08:00:00Z"));

  // Taken before the sync: figures and name stay, the balance is the snapshot's, dated by it.
  REQUIRE(
      bot::import_snapshot(db, snapshot_at("2026-11-29T09:00:00Z", 1, "500.00"), "2026-12-01T00:00:00Z").ok);
  auto c = client(db, "c-1");
  CHECK(c.missing_receipts == 9);
  CHECK(c.synced_at == "2026-11-30T08:00:00Z");
  CHECK(c.name == "Acme Holding ApS");
  CHECK(c.wallet_balance.minor == 50000);
  CHECK(store::sync_states(db).origin("c-1")->balance_at == "2026-11-29T09:00:00Z");
  CHECK(client(db, "c-2").synced_at == "2026-11-29T09:00:00Z"); // never synced: the snapshot's

  // Taken after the sync: the snapshot wins whole.
  REQUIRE(
      bot::import_snapshot(db, snapshot_at("2026-11-30T09:00:00Z", 3, "600.00"), "2026-12-01T00:00:00Z").ok);
  c = client(db, "c-1");
  CHECK(c.missing_receipts == 3);
  CHECK(c.synced_at == "2026-11-30T09:00:00Z");
  CHECK(c.name == "Acme ApS");
  CHECK(c.wallet_balance.minor == 60000);
  const auto origin = store::sync_states(db).origin("c-1");
  CHECK_FALSE(origin->from_pleo);
  CHECK_FALSE(origin->ready_for_export_total);
}

TEST_CASE("a sync never overwrites figures newer than its own time") {
  store::database db(store_test::location());
  firm_db(db);
  REQUIRE(
      bot::import_snapshot(db, snapshot_at("2026-12-01T09:00:00Z", 5, "1.00"), "2026-12-01T09:00:00Z").ok);
  REQUIRE(store::sync_states(db).record_success("c-1", figures(9, 2), "2026-11-30T08:00:00Z"));
  CHECK(client(db, "c-1").missing_receipts == 5);
  CHECK(client(db, "c-1").synced_at == "2026-12-01T09:00:00Z");
}

TEST_CASE("a failing sync keeps the figures and remembers since when it fails") {
  store::database db(store_test::location());
  firm_db(db);
  store::sync_states states(db);
  REQUIRE(states.record_success("c-1", figures(9, 2), "2026-11-30T08:00:00Z"));
  REQUIRE(states.record_failure("c-1", "Pleo answered 503", "2026-11-30T08:15:00Z"));
  REQUIRE(states.record_failure("c-1", "timeout", "2026-11-30T08:30:00Z"));
  const auto s = states.find("c-1");
  REQUIRE(s);
  CHECK(s->failing_since == "2026-11-30T08:15:00Z");
  CHECK(s->last_attempt_at == "2026-11-30T08:30:00Z");
  CHECK(s->last_ok_at == "2026-11-30T08:00:00Z");
  CHECK(s->last_error == "timeout");
  CHECK(client(db, "c-1").missing_receipts == 9);
  CHECK_FALSE(states.record_failure("c-gone", "x", "2026-11-30T08:30:00Z"));
}

TEST_CASE("a client removed by an import takes its credential and sync state with it") {
  store::database db(store_test::location());
  firm_db(db);
  store::credentials creds(db);
  REQUIRE(creds.put("c-7", store::credential_kind::api_key, {"123456789012", "sealed-bytes"},
                    "2026-11-30T08:00:00Z"));
  REQUIRE(store::sync_states(db).record_failure("c-7", "x", "2026-11-30T08:00:00Z"));
  std::string without_c7 = store_test::firm_json;
  const auto at = without_c7.find(R"(,
    {"id": "c-7")");
  REQUIRE(at != std::string::npos);
  without_c7.erase(at, without_c7.find("]}", at) + 2 - at);
  REQUIRE(bot::import_snapshot(db, without_c7, "2026-12-01T00:00:00Z").ok);
  CHECK_FALSE(creds.find("c-7"));
  CHECK_FALSE(store::sync_states(db).find("c-7"));
}

TEST_CASE("a client's sync lease is held by one instance at a time until it ends or is released") {
  test_support::temp_path file;
  {
    const auto where = store_test::location(file.str());
    store::database first_db(where);
    store::database second_db(where);
    store::sync_states first(first_db), second(second_db);
    CHECK(first.take_lease("c-1", "instance-a", 1000, 61000));
    CHECK_FALSE(second.take_lease("c-1", "instance-b", 2000, 62000)); // held
    CHECK(second.take_lease("c-2", "instance-b", 2000, 62000));       // another client is free
    CHECK(first.take_lease("c-1", "instance-a", 3000, 63000));        // the holder renews
    CHECK(second.take_lease("c-1", "instance-b", 63000, 123000));     // ran out: taken over
    CHECK_FALSE(first.take_lease("c-1", "instance-a", 64000, 124000));
    first.release_lease("c-1", "instance-a"); // not its lease: nothing happens
    CHECK_FALSE(first.take_lease("c-1", "instance-a", 65000, 125000));
    second.release_lease("c-1", "instance-b");
    CHECK(first.take_lease("c-1", "instance-a", 66000, 126000));
  }
}
