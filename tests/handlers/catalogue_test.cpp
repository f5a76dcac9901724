// The two catalogues: complete, in step with each other, and Danish where
// the portal is Danish.

#include "handlers/catalogue.hpp"
#include "handlers/format.hpp"
#include "support/catalogue_text.hpp"

#include <catch2/catch.hpp>
#include <fmt/args.h>
#include <set>

using namespace handlers;
using test_support::fields_of;

TEST_CASE("every text exists in English and Danish and both name the same fields") {
  for (const auto& e : every_text) {
    INFO(e.name);
    const auto en = english.*(e.member);
    const auto da = danish.*(e.member);
    CHECK_FALSE(en.empty());
    CHECK_FALSE(da.empty());
    const auto fields = fields_of(en);
    CHECK(fields == fields_of(da));
    // Each pattern formats with exactly those fields.
    fmt::dynamic_format_arg_store<fmt::format_context> args;
    for (const auto& f : fields)
      args.push_back(fmt::arg(f.c_str(), std::string{"x"}));
    CHECK_NOTHROW(fmt::vformat(en, args));
    CHECK_NOTHROW(fmt::vformat(da, args));
  }
}

TEST_CASE("Danish is written in Danish: only names, symbols and patterns read alike") {
  // Texts with no words of either language, or words both share.
  const std::set<std::string_view> alike{
      "date_and_clock", "slot_day",        "member_with_role", "tab_with_count",    "list_summary",
      "sort_ascending", "sort_descending", "tab_onboarding",   "status_onboarding", "field_status",
      "remind_send",    "help_digests",    "help_link"};
  for (const auto& e : every_text) {
    INFO(e.name);
    if (english.*(e.member) == danish.*(e.member)) CHECK(alike.contains(e.name));
  }
}

TEST_CASE("Danish uses the partner portal's own words") {
  CHECK(danish.tab_invites == "Inviterer");
  CHECK(danish.tab_onboarding == "Onboarding");
  CHECK(danish.tab_mine == "Mine kunder");
  CHECK(danish.tab_all == "Alle");
  CHECK(danish.go_to_client == "Gå til kunde");
  CHECK(danish.view_details == "Vis detaljer");
  CHECK(danish.notify_bookkeepers == "Giv bogholderne besked");
  CHECK(danish.field_wallet_balance == "Saldo i tegnebogen");
  CHECK(danish.field_missing_receipts == "Manglende kvitteringer");
  CHECK(danish.field_ready_for_export == "Udgifter klar til eksport");
  CHECK(danish.digest_select_placeholder == "Vælg hyppighed");
  CHECK(danish.freq_daily == "dagligt");
  CHECK(danish.freq_weekly == "ugentligt");
  CHECK(danish.freq_monthly == "månedligt");
}

TEST_CASE("both catalogues name seven weekdays and twelve months") {
  for (const auto* t : {&english, &danish}) {
    CHECK_FALSE(nth_name(t->weekdays, 6).empty());
    CHECK(nth_name(t->weekdays, 7).empty());
    CHECK_FALSE(nth_name(t->months, 11).empty());
    CHECK(nth_name(t->months, 12).empty());
  }
  CHECK(nth_name(danish.weekdays, 0) == "mandag");
  CHECK(nth_name(danish.months, 11) == "december");
}

TEST_CASE("the reminder form's title fits a modal title in both languages") {
  // Slack allows 24 characters.
  for (const auto* t : {&english, &danish})
    CHECK(utf8_length(t->remind_form_title) <= 24);
}

TEST_CASE("the leftover-language check finds the other language's phrases and nothing else") {
  // What the end-to-end tests rely on to say "no English left".
  CHECK_FALSE(test_support::english_in(std::string{english.list_admin_tabs}).empty());
  CHECK_FALSE(test_support::english_in("Viser 1–10 af 12 · Next →").empty());
  CHECK(test_support::english_in(std::string{danish.list_admin_tabs}).empty());
  CHECK_FALSE(test_support::danish_in(std::string{danish.card_no_bookkeepers}).empty());
  CHECK(test_support::danish_in(std::string{english.card_no_bookkeepers}).empty());
  // Names and figures belong to neither.
  CHECK(test_support::english_in("Aarhus Kaffebrænderi ApS · DKK 12.345,50").empty());
  CHECK(test_support::danish_in("Aarhus Kaffebrænderi ApS · DKK 12.345,50").empty());
}
