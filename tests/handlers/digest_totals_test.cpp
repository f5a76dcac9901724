// Digest totals are sums over clients: they must read right however large
// the firm's figures get.

#include "bot/cli/platform_list.hpp"
#include "handlers/digests.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "support/digest_firm.hpp"
#include "support/firm_files.hpp"
#include "support/view_text.hpp"

#include <catch2/catch.hpp>

using digest_tests::at;
using digest_tests::digest_firm;
using store::frequency;
using test_support::all_text;

namespace {

// The fixture's firm with two clients whose counts sum past 2^31.
const std::string large_firm = test_support::firm_file("large_firm");

constexpr const char* totals_slot = "2026-11-30T09:00:00Z";

} // namespace

TEST_CASE("digest totals of two large clients read in full, never wrapped negative") {
  digest_firm f;
  REQUIRE(bot::import_snapshot(*f.db, large_firm, "2026-11-27T09:00:00Z").ok);
  f.subscribe("m-bo", "c-big1", frequency::weekly, "2026-11-20T12:00:00Z");
  f.subscribe("m-bo", "c-big2", frequency::weekly, "2026-11-20T12:00:00Z");
  store::subscriptions(*f.db).set_channel(store::channel_subscription{
      "p-1", "slack", "T1", "C-FIRM", frequency::weekly, "m-anna", "2026-11-20T12:00:00Z"});
  auto ctx = f.context();
  const auto counts = handlers::digest_pass(ctx, at("2026-11-30T09:30:00Z"));
  REQUIRE(counts.dms == 1);
  REQUIRE(counts.channels == 1);

  const auto dm = store::outbox(*f.db).by_key(
      handlers::digest_key(handlers::member_subscriber_key("m-bo", "slack"), totals_slot));
  REQUIRE(dm);
  const auto dm_text = all_text(handlers::view_from_json(dm->message.payload));
  CHECK_THAT(dm_text, Catch::Contains("4.147.483.647 missing receipts"));
  CHECK_THAT(dm_text, Catch::Contains("3.000.000.000 ready for export"));

  const auto channel =
      store::outbox(*f.db).by_key(handlers::digest_key("channel:slack:T1:C-FIRM", totals_slot));
  REQUIRE(channel);
  const auto text = all_text(handlers::view_from_json(channel->message.payload));
  CHECK_THAT(text, Catch::Contains("Missing receipts: 4.147.483.647"));
  CHECK_THAT(text, Catch::Contains("Ready for export: 3.000.000.000"));
  CHECK_THAT(text, Catch::Contains("4.147.483.647 missing receipts"));
}
