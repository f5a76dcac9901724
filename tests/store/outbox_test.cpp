#include "engines.hpp"
#include "store/outbox.hpp"
#include "support/running_app.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace {

store::outbound_message message(std::string key, std::string origin = "digest") {
  return {std::move(key), "slack", "T0001", "user", "U0001", "m-book", R"({"text":"hi"})", std::move(origin)};
}

} // namespace

TEST_CASE("enqueue is idempotent on the idempotency key") {
  store::database db(store_test::location());
  store::outbox box(db);
  CHECK(box.enqueue(message("digest:m-book:2026-11-30T09:00:00Z"), 1000));
  auto changed = message("digest:m-book:2026-11-30T09:00:00Z");
  changed.payload = "other";
  CHECK_FALSE(box.enqueue(changed, 2000));
  const auto row = box.by_key("digest:m-book:2026-11-30T09:00:00Z");
  REQUIRE(row);
  CHECK(row->message.payload == R"({"text":"hi"})");
  CHECK(row->message.recipient == "U0001");
  CHECK(row->status == "pending");
  CHECK(row->next_attempt_ms == 1000);
  CHECK(box.counts().pending == 1);
  CHECK_FALSE(box.by_key("nope"));
}

TEST_CASE("due returns pending rows whose time has come, oldest first, up to the limit") {
  store::database db(store_test::location());
  store::outbox box(db);
  box.enqueue(message("a"), 3000);
  box.enqueue(message("b"), 1000);
  box.enqueue(message("c"), 2000);
  box.enqueue(message("d"), 9000);
  CHECK(box.due(500, 10).empty());
  auto due = box.due(3000, 10);
  REQUIRE(due.size() == 3);
  CHECK(due[0].message.idempotency_key == "b");
  CHECK(due[1].message.idempotency_key == "c");
  CHECK(due[2].message.idempotency_key == "a");
  CHECK(box.due(3000, 2).size() == 2);
  CHECK(box.next_due_ms() == 1000);
}

TEST_CASE(
    "due heads come without payloads, each conversation's first before any second, workspaces in turn") {
  store::database db(store_test::location());
  store::outbox box(db);
  const auto to = [](std::string key, std::string workspace, std::string recipient) {
    auto m = message(std::move(key));
    m.workspace_id = std::move(workspace);
    m.recipient = std::move(recipient);
    return m;
  };
  // Workspace A's channel has a backlog, queued before anything of B's.
  for (int i = 0; i < 4; ++i)
    box.enqueue(to("a-busy-" + std::to_string(i), "TA", "C-BUSY"), 1000 + i);
  box.enqueue(to("a-quiet", "TA", "C-QUIET"), 1010);
  box.enqueue(to("b-1", "TB", "C-B1"), 1020);
  box.enqueue(to("b-2", "TB", "C-B2"), 1030);
  box.enqueue(to("later", "TB", "C-B3"), 9000);

  std::vector<std::string> keys;
  for (const auto& row : box.due_heads(5000, 100)) {
    CHECK(row.message.payload.empty());
    CHECK(row.message.recipient_kind == "user");
    keys.push_back(row.message.idempotency_key);
  }
  CHECK(keys ==
        std::vector<std::string>{"a-busy-0", "b-1", "a-quiet", "b-2", "a-busy-1", "a-busy-2", "a-busy-3"});
  CHECK(box.due_heads(5000, 2).size() == 2);
  CHECK(box.next_due_after(5000) == 9000);
  CHECK_FALSE(box.next_due_after(9000));

  // Claiming gives the rows whole.
  const auto claimed = box.claim_rows({box.by_key("b-1")->id}, 5000, 15000);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].message.payload == R"({"text":"hi"})");
  CHECK(claimed[0].message.idempotency_key == "b-1");
}

TEST_CASE("a claimed row is due to nobody else until its lease ends, and is claimed by one deliverer") {
  test_support::temp_path file;
  {
    // Two connections to one file, as `serve` and `digest run` would have.
    const auto where = store_test::location(file.str());
    store::database first_db(where);
    store::database second_db(where);
    store::outbox first(first_db);
    store::outbox second(second_db);
    first.enqueue(message("a"), 1000);
    first.enqueue(message("b"), 1000);
    first.enqueue(message("later"), 90000);
    const auto a = first.by_key("a")->id;
    const auto b = first.by_key("b")->id;
    const auto later = first.by_key("later")->id;

    CHECK(first.claim({a, later}, 2000, 15000) == std::vector<std::int64_t>{a}); // "later" is not due
    CHECK(second.claim({a, b}, 2000, 15000) == std::vector<std::int64_t>{b});    // a is taken
    CHECK(second.due(2000, 10).empty());
    CHECK(first.due(16999, 10).size() == 0);
    CHECK(second.counts().pending == 3); // claimed rows are still pending

    first.mark_sent(a, 3000);
    // The lease of b ends unsent (its deliverer died): due again, to either.
    const auto again = second.due(17000, 10);
    REQUIRE(again.size() == 1);
    CHECK(again[0].id == b);
    CHECK(first.claim({a, b}, 17000, 15000) == std::vector<std::int64_t>{b});
  }
}

TEST_CASE("sent, retried and failed rows move through their states") {
  store::database db(store_test::location());
  store::outbox box(db);
  CHECK_FALSE(box.next_due_ms());
  box.enqueue(message("sent-once"), 1000);
  box.enqueue(message("retry-then-fail", "reminder:7"), 1000);
  box.enqueue(message("retry-then-send", "reminder:7"), 1000);
  const auto first = box.due(1000, 10);
  REQUIRE(first.size() == 3);

  box.mark_sent(first[0].id, 1100);
  box.mark_retry(first[1].id, 5000, "HTTP 500");
  box.mark_retry(first[2].id, 4000, "429 Retry-After 3");
  CHECK(box.by_key("sent-once")->status == "sent");
  CHECK(box.by_key("sent-once")->attempts == 1);
  auto retried = box.by_key("retry-then-fail");
  CHECK(retried->status == "pending");
  CHECK(retried->attempts == 1);
  CHECK(retried->next_attempt_ms == 5000);
  CHECK(retried->last_error == "HTTP 500");
  CHECK(box.due(3999, 10).empty());
  CHECK(box.next_due_ms() == 4000);

  box.mark_sent(first[2].id, 4000);
  box.mark_failed(first[1].id, "channel_not_found");
  box.mark_sent(first[1].id, 6000); // a failed row stays failed
  CHECK(box.by_key("retry-then-fail")->status == "failed");
  CHECK(box.by_key("retry-then-fail")->last_error == "channel_not_found");
  CHECK(box.by_key("retry-then-send")->status == "sent");
  CHECK(box.due(1'000'000, 10).empty());
  CHECK_FALSE(box.next_due_ms());

  const auto c = box.counts();
  CHECK(c.pending == 0);
  CHECK(c.sent == 2);
  CHECK(c.failed == 1);
  CHECK(c.retried == 2);
  CHECK(box.by_origin("reminder:7").size() == 2);
  CHECK(box.by_origin("digest").size() == 1);
}

TEST_CASE("an enqueue inside a rolled-back transaction leaves nothing behind") {
  store::database db(store_test::location());
  store::outbox box(db);
  {
    store::transaction tx(db);
    CHECK(box.enqueue(message("lost"), 1000));
  }
  CHECK_FALSE(box.by_key("lost"));
  CHECK(box.enqueue(message("lost"), 1000));
}

TEST_CASE("a held row is never due until it is released with its payload, once") {
  store::database db(":memory:");
  store::outbox box(db);
  CHECK(box.enqueue_held(message("reminder:1:confirmation", "reminder-confirmation"), 1000));
  CHECK_FALSE(box.enqueue_held(message("reminder:1:confirmation", "reminder-confirmation"), 1000));
  CHECK(box.due(std::numeric_limits<std::int64_t>::max() - 1, 10).empty());
  CHECK_FALSE(box.next_due_ms());
  auto row = box.by_key("reminder:1:confirmation");
  REQUIRE(row);
  CHECK(row->held);
  CHECK(row->status == "pending");
  CHECK(box.claim({row->id}, 5000, 15000).empty());

  CHECK(box.release("reminder:1:confirmation", R"({"text":"done"})", 7000));
  CHECK_FALSE(box.release("reminder:1:confirmation", R"({"text":"again"})", 8000));
  CHECK_FALSE(box.release("unknown", R"({"text":"x"})", 8000));
  row = box.by_key("reminder:1:confirmation");
  CHECK_FALSE(row->held);
  CHECK(row->message.payload == R"({"text":"done"})");
  CHECK(box.next_due_ms() == 7000);
  REQUIRE(box.due(7000, 10).size() == 1);
  // An ordinary row is never held.
  box.enqueue(message("plain"), 1000);
  CHECK_FALSE(box.by_key("plain")->held);
  CHECK_FALSE(box.release("plain", "{}", 9000));
}

TEST_CASE("a two-part recipient is written and read back by one type, split at its last bar") {
  const store::address_pair reply{"19:abc;messageid=1", "1700000000000"};
  CHECK(reply.str() == "19:abc;messageid=1|1700000000000");
  const auto read = store::address_pair::parse(reply.str());
  REQUIRE(read);
  CHECK(read->first == reply.first);
  CHECK(read->second == reply.second);
  for (const char* broken : {"", "C0001", "|U0001", "C0001|", "|"}) {
    INFO(broken);
    CHECK_FALSE(store::address_pair::parse(broken));
  }
}
