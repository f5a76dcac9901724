#include "handlers/grammar.hpp"

#include "handlers/format.hpp"

#include <array>
#include <vector>

namespace handlers {
namespace {

using result = std::variant<parsed_command, parse_error>;

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
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

parse_error error(std::string message) { return parse_error{std::move(message)}; }

std::string quoted(std::string_view s) { return "\u201c" + clip(s, 60) + "\u201d"; }

result parse_clients(const std::vector<std::string>& tokens) {
  command::clients c;
  for (std::size_t i = 1; i < tokens.size(); ++i) {
    const auto word = lower_ascii(tokens[i]);
    std::optional<store::tab> tab;
    if (word == "mine" || word == "my")
      tab = store::tab::mine;
    else if (word == "all")
      tab = store::tab::all;
    else if (word == "onboarding")
      tab = store::tab::onboarding;
    else if (word == "invites" || word == "invite")
      tab = store::tab::invites;
    else if (word == "missing")
      c.missing = true;
    else if (word == "desc" || word == "descending")
      c.descending = true;
    else if (word == "asc" || word == "ascending")
      c.descending = false;
    else
      return error("I don't understand " + quoted(tokens[i]) +
                   " after `clients`: use mine, all, onboarding, invites, missing or desc. To find a client "
                   "by name, try `search " +
                   clip(join(tokens, i, tokens.size()), 60) + "`.");
    if (tab) {
      if (c.tab && *c.tab != *tab) return error("Pick one tab: mine, all, onboarding or invites.");
      c.tab = tab;
    }
  }
  return parsed_command{c};
}

std::optional<std::string> frequency_word(std::string_view token) {
  static constexpr std::array words{"daily", "weekly", "monthly", "off"};
  const auto word = lower_ascii(token);
  for (const char* w : words)
    if (word == w) return word;
  return std::nullopt;
}

result parse_digest(const std::vector<std::string>& tokens) {
  static constexpr const char* usage =
      "Use `digest NAME daily|weekly|monthly|off` for a client, or `digest channel daily|weekly|monthly|off` "
      "for the firm digest in this channel.";
  if (tokens.size() < 3) return error(std::string{"Which client, and how often? "} + usage);
  auto freq = frequency_word(tokens.back());
  if (!freq) return error("End with how often: daily, weekly, monthly or off. " + std::string{usage});
  command::digest d;
  d.frequency = *freq;
  if (tokens.size() == 3 && lower_ascii(tokens[1]) == "channel") {
    d.channel = true;
  } else {
    d.name = join(tokens, 1, tokens.size() - 1);
  }
  return parsed_command{d};
}

result parse_link(const std::vector<std::string>& tokens) {
  static constexpr const char* usage =
      "Use `link your@email` (the e-mail on your chat profile), or as an admin `link @user their@email`.";
  if (tokens.size() == 2) {
    if (parse_mention(tokens[1]) || tokens[1].starts_with("@"))
      return error("Add their e-mail: `link @user their@email`.");
    auto email = parse_email(tokens[1]);
    if (!email) return error(quoted(tokens[1]) + " is not an e-mail address. " + usage);
    return parsed_command{command::link{{}, *email}};
  }
  if (tokens.size() == 3) {
    auto user = parse_mention(tokens[1]);
    if (!user)
      return error("Mention the person with @ (pick them from the list so the chat app knows who they are). " +
                   std::string{usage});
    auto email = parse_email(tokens[2]);
    if (!email) return error(quoted(tokens[2]) + " is not an e-mail address. " + usage);
    return parsed_command{command::link{*user, *email}};
  }
  return error(usage);
}

bool email_char_ok(unsigned char c) {
  if (c <= 0x20 || c == 0x7F) return false;
  static constexpr std::string_view forbidden = "<>()[]\\,;:\"|";
  return forbidden.find(static_cast<char>(c)) == std::string_view::npos;
}

} // namespace

std::string mention_token(std::string_view user_id) { return "@{" + std::string{user_id} + "}"; }

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

std::variant<parsed_command, parse_error> parse_command(std::string_view text) {
  if (!valid_utf8(text)) return error("I couldn't read that text (it is not valid UTF-8).");
  if (utf8_length(text) > max_command_chars)
    return error("That is too long: a command is at most " + std::to_string(max_command_chars) + " characters.");
  auto split = tokenize(text);
  if (!split) return error("That text has control characters I can't read.");
  const auto& tokens = *split;
  if (tokens.empty()) return parsed_command{command::clients{}};

  const auto keyword = lower_ascii(tokens[0]);
  const auto rest = join(tokens, 1, tokens.size());
  if (keyword == "clients") return parse_clients(tokens);
  if (keyword == "search") {
    if (rest.empty()) return error("Search for what? Try `search nordic`.");
    return parsed_command{command::search{rest}};
  }
  if (keyword == "missing") {
    if (!rest.empty())
      return error("`missing` takes nothing after it. For one tab, try `clients mine missing`.");
    return parsed_command{command::missing{}};
  }
  if (keyword == "client") {
    if (rest.empty()) return error("Which client? Try `client Acme`.");
    return parsed_command{command::client{rest}};
  }
  if (keyword == "digest") return parse_digest(tokens);
  if (keyword == "digests") {
    if (!rest.empty()) return error("`digests` takes nothing after it; to change one, use `digest NAME weekly`.");
    return parsed_command{command::digests{}};
  }
  if (keyword == "remind") {
    if (rest.empty()) return error("Which client? Try `remind Acme`.");
    return parsed_command{command::remind{rest}};
  }
  if (keyword == "link") return parse_link(tokens);
  if (keyword == "help") return parsed_command{command::help{}};
  return error("I don't know " + quoted(tokens[0]) + ". To find a client by name, try `search " +
               clip(std::string_view{join(tokens, 0, tokens.size())}, 60) + "`.");
}

} // namespace handlers
