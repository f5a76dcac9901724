#include "handlers/actions.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/digests.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "support/digest_firm.hpp"
#include "support/view_text.hpp"

#include <catch2/catch.hpp>

using digest_tests::at;
using digest_tests::digest_firm;
using store::frequency;
using test_support::all_text;

namespace {

std::optional<store::outbox_row> dm_row(digest_firm& f, const char* member_id, const char* slot_iso) {
  return store::outbox(*f.db).by_key(
      handlers::digest_key(handlers::member_subscriber_key(member_id, "slack"), slot_iso));
}

// The member's DM of the slot as its view (it must have been enqueued).
handlers::view dm_view(digest_firm& f, const char* member_id, const char* slot_iso) {
  const auto row = dm_row(f, member_id, slot_iso);
  REQUIRE(row);
  return handlers::view_from_json(row->message.payload);
}

constexpr const char* monday_slot = "2026-11-30T09:00:00Z";

} // namespace

TEST_CASE("a member gets one DM per slot listing every client due for them") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-bo", "c-beta", frequency::daily, "2026-11-20T12:00:00Z");
  f.subscribe("m-bo", "c-quiet", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  int wakeups = 0;
  ctx.outbox_wakeup = [&] { ++wakeups; };

  const auto counts = handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z"));
  CHECK(counts.slot == monday_slot);
  CHECK(counts.dms == 1);
  CHECK(counts.unreachable == 0);
  CHECK(wakeups >= 1);

  const auto row = dm_row(f, "m-bo", monday_slot);
  REQUIRE(row);
  CHECK(row->status == "pending");
  CHECK(row->message.platform == "slack");
  CHECK(row->message.workspace_id == "T1");
  CHECK(row->message.recipient_kind == "user");
  CHECK(row->message.recipient == "UBO");
  CHECK(row->message.member_id == "m-bo");
  CHECK(row->message.origin == "digest");

  const auto v = handlers::view_from_json(row->message.payload);
  const auto text = all_text(v);
  CHECK_THAT(text, Catch::Contains("Acme ApS"));
  CHECK_THAT(text, Catch::Contains("DKK 12.345,50"));
  CHECK_THAT(text, Catch::Contains("4 missing receipts"));
  CHECK_THAT(text, Catch::Contains("12 ready for export"));
  // Clients with nothing outstanding are named in one line, not left out.
  CHECK_THAT(text, Catch::Contains("Nothing outstanding for Beta ApS and Quiet ApS."));
  bool opens = false, links = false;
  for (const auto& b : test_support::every_button(v)) {
    if (b.action_id == handlers::actions::client_open && b.value == "c-acme") opens = true;
    if (b.url == "https://app.pleo.io/partner/clients/c-acme") links = true;
  }
  CHECK(opens);
  CHECK(links);
}

TEST_CASE("only the clients due in the slot are listed") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-bo", "c-beta", frequency::daily, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  // Tuesday: only the daily one.
  CHECK(handlers::digest_pass(ctx, at("2026-12-01T10:00:00Z")).dms == 1);
  const auto text = all_text(dm_view(f, "m-bo", "2026-12-01T09:00:00Z"));
  CHECK_THAT(text, Catch::Contains("Beta ApS"));
  CHECK_THAT(text, !Catch::Contains("Acme ApS"));
}

TEST_CASE("a DM with nothing outstanding is one short all clear line") {
  digest_firm f;
  f.subscribe("m-bo", "c-beta", frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-bo", "c-quiet", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  REQUIRE(handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z")).dms == 1);
  const auto v = dm_view(f, "m-bo", monday_slot);
  CHECK(v.summary == "Pleo digest: all clear");
  int sections = 0;
  for (const auto& b : v.blocks)
    if (auto* s = std::get_if<handlers::section>(&b)) {
      ++sections;
      CHECK_THAT(s->text, Catch::StartsWith("All clear"));
    }
  CHECK(sections == 1);
  CHECK(test_support::every_button(v).empty());
}

TEST_CASE("a second pass for the same slot enqueues nothing") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-anna", "c-zulu", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  const auto first = handlers::digest_pass(ctx, at("2026-11-30T09:00:00Z"));
  CHECK(first.dms == 2);
  const auto before = store::outbox(*f.db).counts();
  const auto second = handlers::digest_pass(ctx, at("2026-11-30T15:00:00Z"));
  CHECK(second.dms == 0);
  CHECK(second.already_claimed == 2);
  const auto after = store::outbox(*f.db).counts();
  CHECK(after.pending == before.pending);
}

TEST_CASE("a missed slot is caught up the same day only") {
  digest_firm f;
  f.subscribe("m-bo", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  SECTION("before 10:00 nothing is due") {
    const auto c = handlers::digest_pass(ctx, at("2026-11-30T08:59:00Z"));
    CHECK(c.slot.empty());
    CHECK(c.dms == 0);
  }
  SECTION("at 23:59 local the 10:00 slot still goes out") {
    const auto c = handlers::digest_pass(ctx, at("2026-11-30T22:59:00Z"));
    CHECK(c.slot == monday_slot);
    CHECK(c.dms == 1);
  }
  SECTION("the next morning does not send yesterday's slot") {
    CHECK(handlers::digest_pass(ctx, at("2026-12-01T08:00:00Z")).dms == 0); // Tuesday 09:00 local
    CHECK(handlers::digest_pass(ctx, at("2026-12-01T10:00:00Z")).dms == 0); // Tuesday's slot: weekly not due
    CHECK_FALSE(dm_row(f, "m-bo", monday_slot));
  }
}

TEST_CASE("a member with no chat identity is recorded as unreachable, not retried") {
  digest_firm f;
  f.subscribe("m-cy", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  const auto c = handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z"));
  CHECK(c.dms == 0);
  CHECK(c.unreachable == 1);
  const auto row = dm_row(f, "m-cy", monday_slot);
  REQUIRE(row);
  CHECK(row->status == "failed");
  CHECK_THAT(row->last_error, Catch::StartsWith("unreachable"));
  CHECK(store::outbox(*f.db).due(std::numeric_limits<std::int64_t>::max() / 2, 10).empty());
  // A second pass does not record it again.
  CHECK(handlers::digest_pass(ctx, at("2026-11-30T12:00:00Z")).unreachable == 0);

  // Admins see it in `digests`.
  const auto reply = handlers::list_digests(ctx, f.caller("m-anna", "UANNA"));
  REQUIRE(reply.message);
  CHECK_THAT(all_text(*reply.message), Catch::Contains("Cy Unlinked: unreachable"));
}

TEST_CASE("a bookkeeper unassigned since subscribing gets no figures for that client") {
  digest_firm f;
  f.subscribe("m-bo", "c-zulu", frequency::weekly, "2026-11-20T12:00:00Z"); // never assigned to Bo
  f.subscribe("m-bo", "c-acme", frequency::weekly, "2026-11-20T12:00:00Z");
  auto ctx = f.context();
  REQUIRE(handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z")).dms == 1);
  const auto text = all_text(dm_view(f, "m-bo", monday_slot));
  CHECK_THAT(text, Catch::Contains("Acme ApS"));
  CHECK_THAT(text, !Catch::Contains("Zulu"));
}

TEST_CASE("a channel digest lists the firm's outstanding clients, most missing receipts first, with totals") {
  digest_firm f;
  store::subscriptions(*f.db).set_channel(store::channel_subscription{
      "p-1", "slack", "T1", "C-FIRM", frequency::weekly, "m-anna", "2026-11-20T12:00:00Z"});
  auto ctx = f.context();
  const auto c = handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z"));
  CHECK(c.channels == 1);
  const auto row = store::outbox(*f.db).by_key(handlers::digest_key("channel:slack:T1:C-FIRM", monday_slot));
  REQUIRE(row);
  CHECK(row->message.recipient_kind == "channel");
  CHECK(row->message.recipient == "C-FIRM");
  const auto text = all_text(handlers::view_from_json(row->message.payload));
  const auto zulu = text.find("Zulu ApS"), acme = text.find("Acme ApS"), onb = text.find("Onboarding ApS");
  REQUIRE(zulu != std::string::npos);
  REQUIRE(acme != std::string::npos);
  REQUIRE(onb != std::string::npos);
  CHECK(zulu < acme); // 9 missing before 4
  CHECK(acme < onb);  // 4 missing before 0 missing, 3 ready
  CHECK_THAT(text, !Catch::Contains("Beta ApS"));
  CHECK_THAT(text, Catch::Contains("Clients with outstanding work: 3"));
  CHECK_THAT(text, Catch::Contains("Missing receipts: 13"));
  CHECK_THAT(text, Catch::Contains("Ready for export: 16"));
  CHECK(handlers::digest_pass(ctx, at("2026-11-30T11:00:00Z")).channels == 0);
}

TEST_CASE("a long channel digest is truncated with a count of the rest") {
  store::firm_outstanding work;
  work.clients = 55;
  for (int i = 0; i < handlers::channel_detail_limit; ++i) {
    store::client c;
    c.name = "Client " + std::to_string(i);
    c.missing_receipts = 100 - i;
    work.top.push_back(c);
  }
  const auto v = handlers::channel_digest_view(
      store::partner{"p-1", "Firm"}, handlers::english,
      std::chrono::time_point_cast<std::chrono::seconds>(at(monday_slot)), work);
  CHECK_THAT(all_text(v), Catch::Contains("and 15 more"));
  CHECK(v.blocks.size() <= 50);
}
