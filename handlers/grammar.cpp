#include "handlers/grammar.hpp"

#include "handlers/format.hpp"
#include "text/danish.hpp"

#include <array>
#include <fmt/args.h>
#include <vector>

namespace handlers {
namespace {

using result = std::variant<parsed_command, parse_error>;

// A command word as the grammar compares it: lower case, with æ, ø, å
// spelled ae, oe, aa, so "Søg", "SOEG" and "soeg" are one word.
std::string word_of(std::string_view token) {
  const auto folded = text::fold_case(token);
  std::string out;
  out.reserve(folded.size() + 2);
  for (std::size_t i = 0; i < folded.size(); ++i) {
    const auto pair = std::string_view{folded}.substr(i, 2);
    if (pair == "\u00e6")
      out += "ae";
    else if (pair == "\u00f8")
      out += "oe";
    else if (pair == "\u00e5")
      out += "aa";
    else {
      out += folded[i];
      continue;
    }
    ++i;
  }
  return out;
}

template <std::size_t N> bool one_of(const std::string& word, const std::array<const char*, N>& words) {
  for (const char* w : words)
    if (word == w) return true;
  return false;
}

// Splits on ASCII whitespace and no-break spaces (chat clients insert them
// around autocompleted mentions). nullopt when the text has other control
// characters.
std::optional<std::vector<std::string>> tokenize(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
      flush();
    } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      flush();
      ++i;
    } else if (c < 0x20 || c == 0x7F) {
      return std::nullopt;
    } else {
      current += static_cast<char>(c);
    }
  }
  flush();
  return tokens;
}

std::string join(const std::vector<std::string>& tokens, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to && i < tokens.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += tokens[i];
  }
  return out;
}

parse_error error(std::string_view catalogue::*text,
                  std::vector<std::pair<std::string, parse_error::value>> fields = {}) {
  return parse_error{text, std::move(fields)};
}

// Words the user typed, shown back in an error.
constexpr std::size_t quoted_word_chars = 60;

result parse_clients(const std::vector<std::string>& tokens) {
  command::clients c;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    const auto word = word_of(tokens[i]);
    std::optional<store::tab> tab;
    if (word == "mine" || word == "my")
      tab = store::tab::mine;
    else if (word == "all" || word == "alle")
      tab = store::tab::all;
    else if (word == "onboarding")
      tab = store::tab::onboarding;
    else if (word == "invites" || word == "invite" || word == "inviterer")
      tab = store::tab::invites;
    else if (word == "missing" || word == "manglende")
      c.missing = true;
    else if (word == "desc" || word == "descending")
      c.descending = true;
    else if (word == "asc" || word == "ascending")
      c.descending = false;
    else
      return error(&catalogue::grammar_clients_word, {{"word", quoted(tokens[i], quoted_word_chars)},
                                                      {"command", clip(tokens[0], 20)},
                                                      {"rest", clip(join(tokens, i, tokens.size()), 60)}});
    if (tab) {
      if (c.tab && *c.tab != *tab) return error(&catalogue::grammar_one_tab);
      c.tab = tab;
    }
  }
  return parsed_command{c};
}

// The frequency in English ("daily", "weekly", "monthly", "off") for an
// English or Danish word.
std::optional<std::string> frequency_word(std::string_view token) {
  static constexpr std::array<std::pair<const char*, const char*>, 8> words{{{"daily", "daily"},
                                                                             {"weekly", "weekly"},
                                                                             {"monthly", "monthly"},
                                                                             {"off", "off"},
                                                                             {"dagligt", "daily"},
                                                                             {"ugentligt", "weekly"},
                                                                             {"maanedligt", "monthly"},
                                                                             {"fra", "off"}}};
  const auto word = word_of(token);
  for (const auto& [typed, meaning] : words)
    if (word == typed) return std::string{meaning};
  return std::nullopt;
}

result parse_digest(const std::vector<std::string>& tokens) {
  const std::pair<std::string, parse_error::value> usage{"usage", &catalogue::grammar_digest_usage};
  if (tokens.size() < 3) return error(&catalogue::grammar_digest_which, {usage});
  auto freq = frequency_word(tokens.back());
  if (!freq) return error(&catalogue::grammar_digest_how_often, {usage});
  command::digest d;
  d.frequency = *freq;
  if (tokens.size() == 3 && one_of(word_of(tokens[1]), std::array{"channel", "kanal"})) {
    d.channel = true;
  } else {
    d.name = join(tokens, 1, tokens.size() - 1);
  }
  return parsed_command{d};
}

result parse_link(const std::vector<std::string>& tokens) {
  const std::pair<std::string, parse_error::value> usage{"usage", &catalogue::grammar_link_usage};
  if (tokens.size() == 2) {
    if (parse_mention(tokens[1]) || tokens[1].starts_with("@"))
      return error(&catalogue::grammar_link_add_email);
    auto email = parse_email(tokens[1]);
    if (!email)
      return error(&catalogue::grammar_not_an_email, {{"text", quoted(tokens[1], quoted_word_chars)}, usage});
    return parsed_command{command::link{{}, *email}};
  }
  if (tokens.size() == 3) {
    auto user = parse_mention(tokens[1]);
    if (!user) return error(&catalogue::grammar_link_mention, {usage});
    auto email = parse_email(tokens[2]);
    if (!email)
      return error(&catalogue::grammar_not_an_email, {{"text", quoted(tokens[2], quoted_word_chars)}, usage});
    return parsed_command{command::link{*user, *email}};
  }
  return error(&catalogue::grammar_link_usage);
}

result parse_language(const std::vector<std::string>& tokens) {
  if (tokens.size() == 1) return parsed_command{command::language_setting{}};
  if (tokens.size() == 2) {
    const auto word = word_of(tokens[1]);
    if (one_of(word, std::array{"da", "dansk", "danish"}))
      return parsed_command{command::language_setting{"da"}};
    if (one_of(word, std::array{"en", "engelsk", "english"}))
      return parsed_command{command::language_setting{"en"}};
    if (word == "auto") return parsed_command{command::language_setting{"auto"}};
  }
  return error(&catalogue::grammar_language_usage);
}

bool email_char_ok(unsigned char c) {
  if (c <= 0x20 || c == 0x7F) return false;
  static constexpr std::string_view forbidden = "<>()[]\\,;:\"|";
  return forbidden.find(static_cast<char>(c)) == std::string_view::npos;
}

} // namespace

std::string mention_token(std::string_view user_id) {
  return "@{" + std::string{user_id} + "}";
}

std::optional<std::string> parse_mention(std::string_view token) {
  if (!token.starts_with("@{") || !token.ends_with("}")) return std::nullopt;
  auto inner = token.substr(2, token.size() - 3);
  if (inner.empty() || inner.size() > 64) return std::nullopt;
  for (char c : inner) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == ':';
    if (!ok) return std::nullopt;
  }
  return std::string{inner};
}

std::optional<std::string> parse_email(std::string_view token) {
  if (token.size() < 3 || token.size() > 254) return std::nullopt;
  const auto at = token.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || token.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  const auto domain = token.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos)
    return std::nullopt;
  for (char c : token)
    if (!email_char_ok(static_cast<unsigned char>(c))) return std::nullopt;
  return std::string{token};
}

std::string parse_error::message(const catalogue& t) const {
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  for (const auto& [name, v] : fields) {
    if (const auto* typed = std::get_if<std::string>(&v))
      args.push_back(fmt::arg(name.c_str(), *typed));
    else
      args.push_back(fmt::arg(name.c_str(), t.*std::get<std::string_view catalogue::*>(v)));
  }
  return fmt::vformat(t.*text, args);
}

std::variant<parsed_command, parse_error> parse_command(std::string_view text) {
  if (!valid_utf8(text)) return error(&catalogue::grammar_not_utf8);
  if (utf8_length(text) > max_command_chars)
    return error(&catalogue::grammar_too_long, {{"max", std::to_string(max_command_chars)}});
  auto split = tokenize(text);
  if (!split) return error(&catalogue::grammar_control_characters);
  const auto& tokens = *split;
  if (tokens.empty()) return parsed_command{command::clients{}};

  const auto keyword = word_of(tokens[0]);
  const auto rest = join(tokens, 1, tokens.size());
  const auto command_word = clip(tokens[0], 20);
  const std::pair<std::string, parse_error::value> typed{"command", command_word};
  if (keyword == "clients" || keyword == "kunder") return parse_clients(tokens);
  if (keyword == "search" || keyword == "soeg") {
    if (rest.empty()) return error(&catalogue::grammar_search_what);
    return parsed_command{command::search{rest}};
  }
  if (keyword == "missing" || keyword == "manglende") {
    if (!rest.empty()) return error(&catalogue::grammar_missing_alone, {typed});
    return parsed_command{command::missing{}};
  }
  if (keyword == "client" || keyword == "kunde") {
    if (rest.empty()) return error(&catalogue::grammar_client_which);
    return parsed_command{command::client{rest}};
  }
  if (keyword == "digest") return parse_digest(tokens);
  if (keyword == "digests") {
    if (!rest.empty()) return error(&catalogue::grammar_digests_alone, {typed});
    return parsed_command{command::digests{}};
  }
  if (keyword == "remind" || keyword == "paamind") {
    if (rest.empty()) return error(&catalogue::grammar_remind_which);
    return parsed_command{command::remind{rest}};
  }
  if (keyword == "link") return parse_link(tokens);
  if (keyword == "language" || keyword == "sprog") return parse_language(tokens);
  if (keyword == "help" || keyword == "hjaelp") return parsed_command{command::help{}};
  if (keyword == "home" || keyword == "hjem") return parsed_command{command::home{}};
  return error(&catalogue::grammar_unknown_command,
               {{"word", quoted(tokens[0], quoted_word_chars)},
                {"text", clip(std::string_view{join(tokens, 0, tokens.size())}, quoted_word_chars)}});
}

} // namespace handlers
