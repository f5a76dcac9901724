#pragma once
// The chat grammar of DESIGN.md: command text in, a typed command out (or
// a parse error saying what was wrong, in either language). Pure:
// no store, no caller. Command words are understood in English and Danish
// whatever the reply language, Danish ones also typed with ae, oe, aa for
// æ, ø, å ("soeg", "paamind", "hjaelp", "maanedligt").

#include "handlers/catalogue.hpp"
#include "store/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace handlers {

namespace command {

// `clients [TAB] [missing] [desc]`; also the empty command (everything unset).
struct clients {
  std::optional<store::tab> tab; // nullopt: the caller's default tab
  bool missing = false;
  bool descending = false;
};
struct search {
  std::string text; // trimmed, inner runs of spaces collapsed
};
struct missing {};
struct client {
  std::string name;
};
// `digest channel FREQ` (channel = true) or `digest NAME FREQ`.
struct digest {
  bool channel = false;
  std::string name;
  std::string frequency; // "daily", "weekly", "monthly" or "off" (lower case)
};
struct digests {};
struct remind {
  std::string name;
};
// `link EMAIL` (user_id empty: the caller) or `link @user EMAIL`.
struct link {
  std::string user_id;
  std::string email;
};
struct help {};
// `home` (Danish `hjem`): the member's overview.
struct home {};
// `language da|en|auto`; `language` alone asks which is in use.
struct language_setting {
  std::string choice; // "da", "en", "auto", or empty: show
};

} // namespace command

using parsed_command = std::variant<command::clients, command::search, command::missing, command::client,
                                    command::digest, command::digests, command::remind, command::link,
                                    command::help, command::language_setting, command::home>;

// What was wrong with the text, worded when the reply's language is known:
// a text of the catalogue and the values of its fields (as typed, or
// another text of the catalogue).
struct parse_error {
  using value = std::variant<std::string, std::string_view catalogue::*>;
  std::string_view catalogue::*text = nullptr;
  std::vector<std::pair<std::string, value>> fields;
  // One or two plain sentences for the user, in the catalogue's language.
  std::string message(const catalogue& t = english) const;
};

// Longest command text accepted, in characters.
inline constexpr std::size_t max_command_chars = 500;

std::variant<parsed_command, parse_error> parse_command(std::string_view text);

// A mention of a chat user in the text, in the neutral form adapters write
// (each platform marks mentions its own way): "@{U123}".
std::string mention_token(std::string_view user_id);
// "@{U123}" -> "U123"; nullopt for anything else.
std::optional<std::string> parse_mention(std::string_view token);
// A plausible e-mail address, kept as typed.
std::optional<std::string> parse_email(std::string_view token);

} // namespace handlers
