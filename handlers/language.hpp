#pragma once
// Which language a reply, digest or reminder is written in (DESIGN.md
// "Language"), and the `language da|en|auto` command. The choice itself is
// a pure function; the rest reads what the store keeps for the member.

#include "handlers/catalogue.hpp"
#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <optional>
#include <string_view>

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
// For someone written to while they are not asking (a digest, a reminder):
// their stored choice, else the locale last seen for them, else the default.
language recipient_language(context& ctx, std::string_view member_id);

// Whether the chat locale differs from the one stored for the member (a
// read); note_locale then stores it (a write).
bool locale_changed(context& ctx, const caller& who);
void note_locale(context& ctx, const caller& who);

// `language` (nullopt: say which language is in use and why), `language da|en`
// (a choice) or `language auto` (follow the locale: empty choice).
struct language_request {
  bool show = false;
  std::optional<language> choice; // with show == false: nullopt is "auto"
};
reply language_command(context& ctx, const caller& who, const language_request& request);

} // namespace handlers
