// Choosing the reply language: the member's own choice, else the chat
// locale, else the configured default; and dates written in each language.

#include "handlers/digest_schedule.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "store/languages.hpp"
#include "support/catalogue_text.hpp"
#include "support/small_firm.hpp"

using namespace handlers;
using test_support::danish_in;
using test_support::english_in;
using test_support::shown_text;

namespace {

std::string text_of(const reply& r) {
  REQUIRE(r.message);
  return shown_text(*r.message);
}

caller with_locale(caller who, std::string locale) {
  who.chat.locale = std::move(locale);
  return who;
}

} // namespace

TEST_CASE("the member's choice beats the locale, which beats the default") {
  CHECK(choose_language(language::en, "da-DK", language::da) == language::en);
  CHECK(choose_language(language::da, "en-US", language::en) == language::da);
  CHECK(choose_language(std::nullopt, "da-DK", language::en) == language::da);
  CHECK(choose_language(std::nullopt, "en-GB", language::da) == language::en);
  CHECK(choose_language(std::nullopt, "", language::da) == language::da);
  CHECK(choose_language(std::nullopt, "", language::en) == language::en);
}

TEST_CASE("a locale names a language by its primary subtag, in any case and either separator") {
  CHECK(language_of_locale("da") == language::da);
  CHECK(language_of_locale("da-DK") == language::da);
  CHECK(language_of_locale("da_DK") == language::da);
  CHECK(language_of_locale("DA-dk") == language::da);
  CHECK(language_of_locale("en-US") == language::en);
  CHECK(language_of_locale("en_GB") == language::en);
  // Norwegian and Swedish are neither: the default applies.
  CHECK_FALSE(language_of_locale("nb-NO"));
  CHECK_FALSE(language_of_locale("sv-SE"));
  CHECK_FALSE(language_of_locale("dan"));
  CHECK_FALSE(language_of_locale(""));
}

TEST_CASE("a Danish chat locale gets Danish replies when the member has not chosen") {
  test_support::small_firm f;
  const auto reply = on_command(f.ctx, with_locale(f.as("m-bo"), "da-DK"), "clients");
  const auto text = text_of(reply);
  INFO(text);
  CHECK(text.find("Mine kunder") != std::string::npos);
  CHECK(english_in(text).empty());
  // An English locale keeps English even where Danish is the default.
  f.settings.default_language = language::da;
  const auto english_reply = text_of(on_command(f.ctx, with_locale(f.as("m-bo"), "en-GB"), "clients"));
  CHECK(english_reply.find("My clients") != std::string::npos);
  CHECK(danish_in(english_reply).empty());
  // No locale now: the one last seen for them.
  CHECK(text_of(on_command(f.ctx, f.as("m-bo"), "clients")).find("My clients") != std::string::npos);
  // No locale ever seen: the default.
  CHECK(text_of(on_command(f.ctx, f.as("m-cy"), "clients")).find("Mine kunder") != std::string::npos);
}

TEST_CASE("`language da` and `language en` override the locale; `language auto` follows it again") {
  test_support::small_firm f;
  const auto bo_english_app = with_locale(f.as("m-bo"), "en-US");
  auto set = text_of(on_command(f.ctx, bo_english_app, "language da"));
  CHECK(english_in(set).empty());
  CHECK(store::member_languages{f.db}.of("m-bo").choice == "da");
  CHECK(text_of(on_command(f.ctx, bo_english_app, "help")).find("Det kan jeg") != std::string::npos);

  auto show = text_of(on_command(f.ctx, bo_english_app, "sprog"));
  CHECK(show.find("dansk") != std::string::npos);
  CHECK(show.find("valgt") != std::string::npos);

  auto back = text_of(on_command(f.ctx, bo_english_app, "sprog auto"));
  CHECK(store::member_languages{f.db}.of("m-bo").choice.empty());
  CHECK(back.find("English") != std::string::npos); // answered in the locale's language
  CHECK(text_of(on_command(f.ctx, bo_english_app, "help")).find("What I can do") != std::string::npos);

  // Another member is not affected.
  CHECK(text_of(on_command(f.ctx, f.as("m-anna"), "help")).find("What I can do") != std::string::npos);
}

TEST_CASE("a bad `language` argument is refused in the reply language and changes nothing") {
  test_support::small_firm f;
  on_command(f.ctx, f.as("m-bo"), "language da");
  const auto refused = text_of(on_command(f.ctx, f.as("m-bo"), "sprog klingon"));
  CHECK(refused.find("sprog da") != std::string::npos);
  CHECK(english_in(refused).empty());
  CHECK(store::member_languages{f.db}.of("m-bo").choice == "da");
  // Unlinked callers have no language of their own to set.
  const auto stranger = text_of(on_command(f.ctx, f.unlinked("U-NEW", "new@ledger.example"), "language da"));
  CHECK(stranger.find("not linked") != std::string::npos);
}

TEST_CASE("the locale last seen for a member is kept for what is written to them later") {
  test_support::small_firm f;
  CHECK(recipient_language(f.ctx, "m-bo") == language::en);
  on_command(f.ctx, with_locale(f.as("m-bo"), "da-DK"), "clients");
  CHECK(store::member_languages{f.db}.of("m-bo").locale == "da-DK");
  CHECK(recipient_language(f.ctx, "m-bo") == language::da);
  // Their own choice still wins over it.
  on_command(f.ctx, with_locale(f.as("m-bo"), "da-DK"), "language en");
  CHECK(recipient_language(f.ctx, "m-bo") == language::en);
  // Something that is not a locale is not kept.
  on_command(f.ctx, with_locale(f.as("m-anna"), "da DK; drop"), "clients");
  CHECK(store::member_languages{f.db}.of("m-anna").locale.empty());
}

TEST_CASE("dates read in Danish with Danish names, in English with English ones, in Copenhagen time") {
  CHECK(format_local_time("2026-12-07T09:00:00Z", english) == "7 Dec 2026 10:00");
  CHECK(format_local_time("2026-12-07T09:00:00Z", danish) == "7. december 2026 kl. 10.00");
  // Summer time: UTC+2.
  CHECK(format_local_time("2026-07-01T08:30:00Z", danish) == "1. juli 2026 kl. 10.30");
  const auto slot = std::chrono::sys_seconds{std::chrono::sys_days{std::chrono::December / 7 / 2026}} +
                    std::chrono::hours{9};
  CHECK(describe_slot(slot, danish) == "mandag 7. december 2026 kl. 10.00 (dansk tid)");
  CHECK(describe_slot(slot, english) == "Monday 7 Dec 2026 at 10:00 (Copenhagen)");
  // Within the year the year is left out.
  const auto now = std::chrono::sys_days{std::chrono::December / 24 / 2026};
  CHECK(format_local_time("2026-12-07T09:00:00Z", danish, now) == "7. december kl. 10.00");
  CHECK(format_local_time("2025-12-07T09:00:00Z", danish, now) == "7. december 2025 kl. 10.00");
}

TEST_CASE("a client's card in Danish says its figures are Copenhagen time") {
  test_support::small_firm f;
  on_command(f.ctx, f.as("m-anna"), "sprog da");
  const auto text = text_of(on_command(f.ctx, f.as("m-anna"), "kunde acme aps"));
  INFO(text);
  CHECK(text.find("Saldo i tegnebogen") != std::string::npos);
  CHECK(text.find("Tal pr. 27. november 2026 kl. 10.00 (dansk tid)") != std::string::npos);
  CHECK(english_in(text).empty());
}

TEST_CASE("a locale read from the platform is stored with its time and asked for again once a day old") {
  test_support::small_firm f;
  const auto cy = f.as("m-cy"); // linked to Slack by the snapshot; no locale seen yet
  auto need = caller_locale_need(f.ctx, cy);
  CHECK(need.read);
  CHECK(need.unknown);
  REQUIRE(locales_due(f.ctx, "slack", {"m-cy"}).size() == 1);
  CHECK(locales_due(f.ctx, "slack", {"m-cy"}).front().identity.user_id == "UCY");
  CHECK(locales_due(f.ctx, "teams", {"m-cy"}).empty()); // no Teams identity to ask with

  note_read_locale(f.ctx, "m-cy", "da-DK");
  CHECK(recipient_language(f.ctx, "m-cy") == language::da);
  CHECK_FALSE(caller_locale_need(f.ctx, cy).read);
  CHECK(locales_due(f.ctx, "slack", {"m-cy"}).empty());

  // A day later it is read again, but the answer need not wait for it.
  f.ctx.now += locale_max_age + std::chrono::minutes(1);
  need = caller_locale_need(f.ctx, cy);
  CHECK(need.read);
  CHECK_FALSE(need.unknown);
  CHECK(locales_due(f.ctx, "slack", {"m-cy"}).size() == 1);
  // The platform not saying (or saying nonsense) keeps the locale last seen.
  note_read_locale(f.ctx, "m-cy", "");
  note_read_locale(f.ctx, "m-cy", "da DK; drop");
  CHECK(store::member_languages{f.db}.of("m-cy").locale == "da-DK");
  CHECK_FALSE(caller_locale_need(f.ctx, cy).read);

  // A member's own choice, or a locale the request carries, needs no lookup.
  f.ctx.now += locale_max_age + std::chrono::minutes(1);
  CHECK(caller_locale_need(f.ctx, with_locale(cy, "en-US")).read == false);
  on_command(f.ctx, cy, "language en");
  CHECK_FALSE(caller_locale_need(f.ctx, cy).read);
  CHECK(locales_due(f.ctx, "slack", {"m-cy"}).empty());
}
