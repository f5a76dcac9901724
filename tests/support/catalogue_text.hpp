#pragma once
// Reading the catalogues in tests: a pattern's fields, and the phrases of
// one language that must not turn up in a reply written in the other.

#include "handlers/catalogue.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

// The names of a pattern's `{name}` fields.
inline std::set<std::string> fields_of(std::string_view pattern) {
  std::set<std::string> out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') continue;
    if (i + 1 < pattern.size() && pattern[i + 1] == '{') {
      ++i;
      continue;
    }
    const auto end = pattern.find('}', i);
    if (end == std::string_view::npos) break;
    auto name = pattern.substr(i + 1, end - i - 1);
    name = name.substr(0, name.find(':'));
    out.emplace(name);
    i = end;
  }
  return out;
}

inline bool appears_in(const handlers::catalogue& c, std::string_view phrase) {
  for (const auto& e : handlers::every_text)
    if ((c.*(e.member)).find(phrase) != std::string_view::npos) return true;
  return false;
}

// The literal phrases of a pattern (between its fields and '|' separators,
// trimmed of spaces and punctuation) of at least four characters that no
// text of `other` contains: words only this language uses.
inline std::vector<std::string> own_phrases(std::string_view pattern, const handlers::catalogue& other) {
  static constexpr std::string_view trim = " .,:;!?()`'\"\u00b7\u2014\u2013-\u2026\u2190\u2192[]";
  std::vector<std::string> out;
  std::string literal;
  auto flush = [&] {
    auto first = literal.find_first_not_of(trim);
    auto last = literal.find_last_not_of(trim);
    if (first != std::string::npos) {
      auto phrase = literal.substr(first, last - first + 1);
      bool letters = false;
      for (char c : phrase)
        letters = letters || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (phrase.size() >= 4 && letters && !appears_in(other, phrase)) out.push_back(phrase);
    }
    literal.clear();
  };
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      flush();
      const auto end = pattern.find('}', i);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (pattern[i] == '|') {
      flush();
    } else {
      literal += pattern[i];
    }
  }
  flush();
  return out;
}

// Phrases of `from` (texts it words differently from `to`) found in `text`:
// a reply written in `to`'s language should have none.
inline std::vector<std::string> foreign_phrases(const std::string& text, const handlers::catalogue& from,
                                                const handlers::catalogue& to) {
  std::vector<std::string> out;
  for (const auto& e : handlers::every_text) {
    if (from.*(e.member) == to.*(e.member)) continue;
    for (const auto& phrase : own_phrases(from.*(e.member), to))
      if (text.find(phrase) != std::string::npos) out.push_back(std::string{e.name} + ": " + phrase);
  }
  return out;
}

// What in `text` is English, for a reply that should be all Danish.
inline std::vector<std::string> english_in(const std::string& text) {
  return foreign_phrases(text, handlers::english, handlers::danish);
}
// What in `text` is Danish, for a reply that should be all English.
inline std::vector<std::string> danish_in(const std::string& text) {
  return foreign_phrases(text, handlers::danish, handlers::english);
}

// The text has every one of `words` and no phrase of the English catalogue.
inline void reads_danish(const std::string& text, const std::vector<std::string>& words) {
  INFO(text);
  for (const auto& w : words)
    CHECK(text.find(w) != std::string::npos);
  CHECK(english_in(text) == std::vector<std::string>{});
}

// The text has every one of `words` and no phrase of the Danish catalogue.
inline void reads_english(const std::string& text, const std::vector<std::string>& words) {
  INFO(text);
  for (const auto& w : words)
    CHECK(text.find(w) != std::string::npos);
  CHECK(danish_in(text) == std::vector<std::string>{});
}

} // namespace test_support
