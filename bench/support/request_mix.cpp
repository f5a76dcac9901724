#include "bench/support/request_mix.hpp"

#include "text/danish.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <random>
#include <set>
#include <sstream>

namespace bench {

namespace {

std::string role_of(const linked_member& u) {
  return u.admin ? "admin" : "bookkeeper";
}

// Search fragments as people type them: the start of a word, a word, two
// words, a whole name, a piece from the middle; in any case, sometimes
// without Nordic letters. Each is classed by how much of the firm it finds.
struct fragment {
  std::string text;
  bool broad = false; // matches at least a tenth of the firm
};

std::vector<fragment> search_fragments(const std::vector<std::string>& names, std::mt19937& rnd,
                                       std::size_t want) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rnd); };
  std::vector<std::string> folded_ascii, folded;
  for (const auto& n : names) {
    folded_ascii.push_back(text::fold_ascii(n));
    folded.push_back(text::fold_case(n));
  }
  auto matches = [&](const std::string& text) {
    const bool ascii = text::is_ascii(text);
    const auto term = ascii ? text::fold_ascii(text) : text::fold_case(text);
    std::size_t count = 0;
    for (const auto& n : ascii ? folded_ascii : folded)
      count += n.find(term) != std::string::npos;
    return count;
  };
  auto words_of = [](const std::string& name) {
    std::vector<std::string> words;
    std::istringstream in(name);
    for (std::string w; in >> w;)
      words.push_back(w);
    return words;
  };
  auto utf8_prefix = [](const std::string& word, std::size_t chars) {
    std::size_t i = 0, seen = 0;
    while (i < word.size() && seen < chars) {
      ++i;
      while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80)
        ++i;
      ++seen;
    }
    return word.substr(0, i);
  };
  // Broad terms people do type: legal forms and common trades.
  std::vector<std::string> pool{"aps",  "ApS",   "a/s",    "holding",   "Holding ApS", "ab",
                                "gmbh", "i/s",   "bageri", "auto",      "service",     "ærø",
                                "aero", "øster", "oster",  "transport", "kaffe"};
  std::set<std::string> seen(pool.begin(), pool.end());
  while (pool.size() < want) {
    const auto& name = names[pick(names.size())];
    const auto words = words_of(name);
    if (words.empty()) continue;
    std::string text;
    switch (pick(6)) {
    case 0:
      text = utf8_prefix(words[pick(words.size())], 2 + pick(5));
      break;
    case 1:
      text = words[pick(words.size())];
      break;
    case 2: {
      const auto i = pick(words.size());
      text = i + 1 < words.size() ? words[i] + " " + words[i + 1] : words[i];
      break;
    }
    case 3:
      text = name;
      break;
    case 4: {
      const auto folded_name = text::fold_ascii(name);
      const auto at = pick(std::max<std::size_t>(folded_name.size(), 4) - 3);
      text = folded_name.substr(at, 3 + pick(5));
      break;
    }
    default:
      text = text::fold_ascii(words[pick(words.size())]);
      break;
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    while (!text.empty() && text.front() == ' ')
      text.erase(0, 1);
    if (text.empty()) continue;
    if (pick(3) == 0) text = text::fold_case(text);
    if (seen.insert(text).second) pool.push_back(text);
  }
  std::vector<fragment> out;
  for (auto& text : pool) {
    const auto found = matches(text);
    out.push_back({text, found * 10 >= names.size()});
  }
  return out;
}

} // namespace

std::vector<prepared_request> repeated_requests(const command_signer& sign,
                                                const std::vector<linked_member>& users) {
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"search broad", "search ApS"},
      {"search narrow", "search ærø cykler"},
      {"clients", "clients"},
      {"clients all missing", "clients all missing"}};
  std::vector<prepared_request> out;
  int n = 0;
  for (const auto& u : users)
    for (const auto& [kind, text] : commands)
      out.push_back({fmt::format("{} ({})", kind, role_of(u)), sign(u.user_id, text, ++n)});
  return out;
}

std::vector<prepared_request> mixed_requests(const command_signer& sign,
                                             const std::vector<linked_member>& users,
                                             const std::vector<std::string>& names, int distinct) {
  std::mt19937 rnd(20261127);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rnd); };
  std::vector<const linked_member*> admins, bookkeepers;
  for (const auto& u : users)
    (u.admin ? admins : bookkeepers).push_back(&u);
  const auto fragments = search_fragments(names, rnd, static_cast<std::size_t>(distinct));
  // Every tab, filter and sort a list command takes.
  const std::vector<std::string> lists{"clients",
                                       "clients all",
                                       "clients all desc",
                                       "clients all missing",
                                       "clients all missing desc",
                                       "clients missing desc",
                                       "clients missing",
                                       "clients mine desc",
                                       "clients onboarding",
                                       "clients onboarding missing",
                                       "clients invites",
                                       "clients invites desc",
                                       "missing"};
  auto list_kind = [](const std::string& text) {
    if (text == "missing") return std::string("missing");
    std::istringstream in(text);
    std::string first, second;
    in >> first >> second;
    if (second == "all" || second == "onboarding" || second == "invites") return first + " " + second;
    if (second == "missing") return std::string("clients missing");
    return std::string("clients");
  };

  std::set<std::pair<std::string, std::string>> used;
  std::vector<prepared_request> out;
  int n = 0;
  int attempts = 0;
  while (static_cast<int>(out.size()) < distinct && ++attempts < distinct * 100) {
    const bool admin = pick(100) < 30;
    const auto& who = admin ? *admins[pick(admins.size())] : *bookkeepers[pick(bookkeepers.size())];
    const bool search = pick(100) < 70;
    std::string text, kind;
    if (search) {
      const auto& f = fragments[pick(fragments.size())];
      text = "search " + f.text;
      kind = f.broad ? "search broad" : "search narrow";
    } else {
      text = lists[pick(lists.size())];
      kind = list_kind(text);
    }
    if (!used.emplace(who.user_id, text).second) continue;
    out.push_back({fmt::format("{} ({})", kind, role_of(who)), sign(who.user_id, text, ++n)});
  }
  std::shuffle(out.begin(), out.end(), rnd);
  return out;
}

} // namespace bench
