#pragma once
// Which language a reply, digest or reminder is written in (DESIGN.md
// "Language"), and the `language da|en|auto` command. The choice itself is
// a pure function; the rest reads what the store keeps for the member.

#include "handlers/catalogue.hpp"
#include "handlers/context.hpp"
#include "handlers/request.hpp"
#include "store/languages.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace handlers {

// "da" or "en" (any case); nullopt for anything else.
std::optional<language> parse_language(std::string_view code);
std::string_view to_string(language l);
// The language a chat locale names ("da", "da-DK", "da_DK", "en-GB" ...);
// nullopt for other languages and for no locale.
std::optional<language> language_of_locale(std::string_view locale);
// The member's own choice, else the locale's language, else the default.
language choose_language(std::optional<language> choice, std::string_view locale, language fallback);

// For the one asking: their stored choice, the chat user's locale (else the
// one last seen for them), the default (settings.reply_language, when set,
// overrides all of them).
language reply_language(context& ctx, const caller& who);
const catalogue& texts_for(context& ctx, const caller& who);
// For answers made without the store (before the caller is known, or when
// it failed): the chat user's locale, else the default.
const catalogue& texts_for(const settings& s, const chat_user& user);
language request_language(const settings& s, const chat_user& user);
// For someone written to while they are not asking (a digest, a reminder):
// their stored choice, else the locale last seen for them, else the default.
language recipient_language(context& ctx, std::string_view member_id);

// Whether the chat locale differs from the one stored for the member (a
// read); note_locale then stores it (a write).
bool locale_changed(context& ctx, const caller& who);
void note_locale(context& ctx, const caller& who);

// A chat locale read from a platform that has to be asked for it (a profile
// lookup) is read again after this.
inline constexpr std::chrono::hours locale_max_age{24};
// Where to read the chat locale of the members among `member_ids` who follow
// it and whose locale is unknown or older than locale_max_age, on `platform`.
// Empty when settings.reply_language overrides every member's language.
std::vector<store::locale_due> locales_due(context& ctx, std::string_view platform,
                                           const std::vector<std::string>& member_ids);
// The same for everyone the digest pass writes to on `platform`.
std::vector<store::locale_due> digest_locales_due(context& ctx, std::string_view platform);
// Stores a locale read from the platform at ctx.now (empty, or not a locale:
// the platform did not say, and the one stored before stays).
void note_read_locale(context& ctx, std::string_view member_id, std::string_view locale);
// Whether the caller's own locale should be read from the platform before
// answering (`unknown`: none is stored) or may be read behind the answer.
struct locale_need {
  bool read = false;
  bool unknown = false;
};
locale_need caller_locale_need(context& ctx, const caller& who);

// `language` (nullopt: say which language is in use and why), `language da|en`
// (a choice) or `language auto` (follow the locale: empty choice).
struct language_request {
  bool show = false;
  std::optional<language> choice; // with show == false: nullopt is "auto"
};
reply language_command(context& ctx, const caller& who, const language_request& request);

} // namespace handlers
