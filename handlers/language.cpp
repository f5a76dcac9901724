#include "handlers/language.hpp"

#include "handlers/digest_schedule.hpp"
#include "handlers/replies.hpp"
#include "store/languages.hpp"

namespace handlers {
namespace {

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equals_ascii_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

// A locale worth keeping: a short tag of letters, digits, '-' and '_'.
bool plausible_locale(std::string_view locale) {
  if (locale.empty() || locale.size() > 35) return false;
  for (char c : locale) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string_view language_name(const catalogue& t, language l) {
  return l == language::da ? t.language_name_da : t.language_name_en;
}

store::language_setting stored_setting(context& ctx, const caller& who) {
  if (!who.member) return {};
  return store::member_languages{ctx.db}.of(who.member->id);
}

} // namespace

std::optional<language> parse_language(std::string_view code) {
  if (equals_ascii_nocase(code, "da")) return language::da;
  if (equals_ascii_nocase(code, "en")) return language::en;
  return std::nullopt;
}

std::string_view to_string(language l) {
  return l == language::da ? "da" : "en";
}

std::optional<language> language_of_locale(std::string_view locale) {
  // The primary subtag: "da-DK" -> "da", "en_GB" -> "en".
  const auto end = locale.find_first_of("-_");
  return parse_language(locale.substr(0, end));
}

language choose_language(std::optional<language> choice, std::string_view locale, language fallback) {
  if (choice) return *choice;
  if (auto from_locale = language_of_locale(locale)) return *from_locale;
  return fallback;
}

language reply_language(context& ctx, const caller& who) {
  if (ctx.settings.reply_language) return *ctx.settings.reply_language;
  const auto setting = stored_setting(ctx, who);
  // Adapters learn the locale with the chat profile, which is not read on
  // every request: the one last seen stands in.
  const auto& locale = who.chat.locale.empty() ? setting.locale : who.chat.locale;
  return choose_language(parse_language(setting.choice), locale, ctx.settings.default_language);
}

const catalogue& texts_for(context& ctx, const caller& who) {
  return catalogue_for(reply_language(ctx, who));
}

const catalogue& texts_for(const settings& s, const chat_user& user) {
  return catalogue_for(request_language(s, user));
}

language request_language(const settings& s, const chat_user& user) {
  if (s.reply_language) return *s.reply_language;
  return choose_language(std::nullopt, user.locale, s.default_language);
}

language recipient_language(context& ctx, std::string_view member_id) {
  const auto setting = store::member_languages{ctx.db}.of(member_id);
  return choose_language(parse_language(setting.choice), setting.locale, ctx.settings.default_language);
}

bool locale_changed(context& ctx, const caller& who) {
  if (!who.member || !plausible_locale(who.chat.locale)) return false;
  return stored_setting(ctx, who).locale != who.chat.locale;
}

void note_locale(context& ctx, const caller& who) {
  if (!who.member || !plausible_locale(who.chat.locale)) return;
  store::member_languages{ctx.db}.set_locale(who.member->id, who.chat.locale);
}

namespace {

std::string read_before(const context& ctx) {
  return to_iso(ctx.now - locale_max_age);
}

} // namespace

std::vector<store::locale_due> locales_due(context& ctx, std::string_view platform,
                                           const std::vector<std::string>& member_ids) {
  if (ctx.settings.reply_language || member_ids.empty()) return {};
  return store::member_languages{ctx.db}.due(platform, member_ids, read_before(ctx));
}

std::vector<store::locale_due> digest_locales_due(context& ctx, std::string_view platform) {
  if (ctx.settings.reply_language) return {};
  return store::member_languages{ctx.db}.due_for_digests(platform, read_before(ctx));
}

void note_read_locale(context& ctx, std::string_view member_id, std::string_view locale) {
  store::member_languages{ctx.db}.set_read_locale(member_id, plausible_locale(locale) ? locale : "",
                                                  to_iso(ctx.now));
}

locale_need caller_locale_need(context& ctx, const caller& who) {
  // The request carries the locale (some platforms send it), or no locale would be used.
  if (!who.member || !who.chat.locale.empty() || ctx.settings.reply_language) return {};
  const auto setting = stored_setting(ctx, who);
  if (!setting.choice.empty()) return {};
  if (!setting.locale_at.empty() && setting.locale_at >= read_before(ctx)) return {};
  return {true, setting.locale.empty()};
}

reply language_command(context& ctx, const caller& who, const language_request& request) {
  store::member_languages languages{ctx.db};
  const auto setting = languages.of(who.member->id);
  const auto& locale = who.chat.locale.empty() ? setting.locale : who.chat.locale;
  if (request.show) {
    const auto choice = parse_language(setting.choice);
    const auto from_locale = language_of_locale(locale);
    const auto now = choose_language(choice, locale, ctx.settings.default_language);
    const auto& t = catalogue_for(now);
    const auto pattern = choice        ? t.language_current_choice
                         : from_locale ? t.language_current_locale
                                       : t.language_current_default;
    return text_reply(say(pattern, fmt::arg("language", language_name(t, now))));
  }
  languages.set_choice(who.member->id, request.choice ? to_string(*request.choice) : std::string_view{});
  // The answer is already in the language now in use.
  const auto now = choose_language(request.choice, locale, ctx.settings.default_language);
  const auto& t = catalogue_for(now);
  if (request.choice) return text_reply(t.language_now);
  return text_reply(say(t.language_auto, fmt::arg("language", language_name(t, now))));
}

} // namespace handlers
