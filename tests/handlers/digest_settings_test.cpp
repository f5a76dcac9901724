#include "handlers/actions.hpp"
#include "handlers/digest_settings.hpp"
#include "support/digest_firm.hpp"

#include <catch2/catch.hpp>

using digest_tests::at;
using digest_tests::digest_firm;
using store::frequency;

namespace {

std::string settings_text(const handlers::reply& r) {
  REQUIRE(r.message);
  std::string out = r.message->summary + "\n";
  for (const auto& b : r.message->blocks) {
    if (auto* s = std::get_if<handlers::section>(&b)) out += s->title + "\n" + s->text + "\n";
    if (auto* n = std::get_if<handlers::note>(&b)) out += n->text + "\n";
    if (auto* h = std::get_if<handlers::header>(&b)) out += h->text + "\n";
  }
  return out;
}

std::vector<handlers::select> selects(const handlers::reply& r) {
  std::vector<handlers::select> out;
  if (!r.message) return out;
  for (const auto& b : r.message->blocks)
    if (auto* s = std::get_if<handlers::section>(&b))
      if (auto* sel = std::get_if<handlers::select>(&s->side)) out.push_back(*sel);
  return out;
}

} // namespace

TEST_CASE("subscribing says when the first digest goes out and stores the platform") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z")); // Friday
  const auto r = handlers::set_client_digest(ctx, f.caller("m-bo", "UBO"), "acme", "weekly");
  CHECK_THAT(settings_text(r), Catch::Contains("First digest: Monday 30 Nov 2026 at 10:00 (Copenhagen)"));
  const auto s = store::subscriptions(*f.db).get("m-bo", "c-acme");
  REQUIRE(s);
  CHECK(s->frequency == frequency::weekly);
  CHECK(s->platform == "slack");
  const auto sel = selects(r);
  REQUIRE(sel.size() == 1);
  CHECK(sel[0].action_id == handlers::actions::digest_set);
  CHECK(sel[0].initial == "c-acme|weekly");
}

TEST_CASE("a subscription made Monday after 10:00 starts the next Monday") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-30T09:01:00Z")); // Monday 10:01 local
  const auto r = handlers::set_client_digest(ctx, f.caller("m-bo", "UBO"), "Acme ApS", "daily");
  CHECK_THAT(settings_text(r), Catch::Contains("First digest: Monday 7 Dec 2026 at 10:00 (Copenhagen)"));
}

TEST_CASE("off stops a digest") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto bo = f.caller("m-bo", "UBO");
  handlers::set_client_digest(ctx, bo, "acme", "monthly");
  REQUIRE(store::subscriptions(*f.db).get("m-bo", "c-acme"));
  const auto r = handlers::set_client_digest(ctx, bo, "acme", "off");
  CHECK_THAT(settings_text(r), Catch::Contains("off"));
  CHECK_FALSE(store::subscriptions(*f.db).get("m-bo", "c-acme"));
}

TEST_CASE("a bookkeeper cannot subscribe to a client they cannot see") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto bo = f.caller("m-bo", "UBO");
  // Zulu ApS exists but is not assigned to Bo: the same answer as a name that does not exist.
  auto unseen = settings_text(handlers::set_client_digest(ctx, bo, "Zulu ApS", "weekly"));
  const auto unknown = settings_text(handlers::set_client_digest(ctx, bo, "Xulu ApS", "weekly"));
  CHECK_THAT(unseen, !Catch::Contains("First digest"));
  CHECK(store::subscriptions(*f.db).of_member("m-bo").empty());
  for (auto at = unseen.find("Zulu"); at != std::string::npos; at = unseen.find("Zulu"))
    unseen.replace(at, 4, "Xulu");
  CHECK(unseen == unknown);

  // Nor through a frequency select naming it.
  const auto r = handlers::on_digest_select(ctx, bo, {handlers::actions::digest_set, "c-zulu|weekly"});
  CHECK_THAT(settings_text(r), Catch::Contains("expired"));
  CHECK(store::subscriptions(*f.db).of_member("m-bo").empty());
}

TEST_CASE("a bookkeeper cannot set a channel digest") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto r = handlers::set_channel_digest(ctx, f.caller("m-bo", "UBO", "C-FIRM"), "weekly");
  CHECK_THAT(settings_text(r), Catch::Contains("Only partner admins"));
  CHECK(store::subscriptions(*f.db).channels_of("p-1").empty());
}

TEST_CASE("an admin subscribes the channel where the command was typed") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto anna = f.caller("m-anna", "UANNA", "C-FIRM");
  const auto r = handlers::set_channel_digest(ctx, anna, "weekly");
  CHECK_THAT(settings_text(r), Catch::Contains("First digest: Monday 30 Nov 2026 at 10:00 (Copenhagen)"));
  const auto channels = store::subscriptions(*f.db).channels_of("p-1");
  REQUIRE(channels.size() == 1);
  CHECK(channels[0].channel_id == "C-FIRM");
  CHECK(channels[0].platform == "slack");
  CHECK(channels[0].workspace_id == "T1");
  CHECK(channels[0].created_by == "m-anna");

  const auto listed = settings_text(handlers::list_digests(ctx, anna));
  CHECK_THAT(listed, Catch::Contains("C-FIRM"));

  handlers::set_channel_digest(ctx, anna, "off");
  CHECK(store::subscriptions(*f.db).channels_of("p-1").empty());
}

TEST_CASE("digests lists the caller's subscriptions with a control to change each") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto bo = f.caller("m-bo", "UBO");
  handlers::set_client_digest(ctx, bo, "acme", "weekly");
  handlers::set_client_digest(ctx, bo, "beta", "monthly");
  const auto r = handlers::list_digests(ctx, bo);
  const auto text = settings_text(r);
  CHECK_THAT(text, Catch::Contains("Acme ApS"));
  CHECK_THAT(text, Catch::Contains("Beta ApS"));
  CHECK_THAT(text, !Catch::Contains("Channel digests")); // admins only
  const auto sel = selects(r);
  REQUIRE(sel.size() == 2);
  CHECK(sel[0].initial == "c-acme|weekly");
  CHECK(sel[1].initial == "c-beta|monthly");

  // Changing through the select.
  const auto changed = handlers::on_digest_select(ctx, bo, {handlers::actions::digest_set, "c-beta|daily"});
  CHECK_THAT(settings_text(changed), Catch::Contains("Daily digest for Beta ApS"));
  CHECK(store::subscriptions(*f.db).get("m-bo", "c-beta")->frequency == frequency::daily);
  handlers::on_digest_select(ctx, bo, {handlers::actions::digest_set, "c-beta|off"});
  CHECK_FALSE(store::subscriptions(*f.db).get("m-bo", "c-beta"));
}

TEST_CASE("a garbled digest select gets the expired reply and changes nothing") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto bo = f.caller("m-bo", "UBO");
  for (const char* value : {"", "c-acme", "c-acme|hourly", "|weekly", "nonsense|weekly"}) {
    const auto r = handlers::on_digest_select(ctx, bo, {handlers::actions::digest_set, value});
    CHECK_THAT(settings_text(r), Catch::Contains("expired"));
  }
  CHECK(store::subscriptions(*f.db).of_member("m-bo").empty());
}

TEST_CASE("the digest control preselects the current frequency") {
  digest_firm f;
  auto ctx = f.context(at("2026-11-27T12:00:00Z"));
  const auto bo = f.member("m-bo");
  CHECK(handlers::digest_control(ctx, handlers::english, bo, "c-acme").initial == "c-acme|off");
  f.subscribe("m-bo", "c-acme", frequency::monthly, "2026-11-20T12:00:00Z");
  const auto sel = handlers::digest_control(ctx, handlers::english, bo, "c-acme");
  CHECK(sel.initial == "c-acme|monthly");
  REQUIRE(sel.options.size() == 4);
  CHECK(sel.options[0].label == "Daily");
  CHECK(sel.options[3].value == "c-acme|off");
}
