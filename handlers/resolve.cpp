#include "handlers/resolve.hpp"

#include "handlers/format.hpp"
#include "handlers/replies.hpp"
#include "store/clients.hpp"
#include "text/danish.hpp"
#include "text/utf8.hpp"

#include <algorithm>

namespace handlers {
namespace {

constexpr std::size_t max_suggestions = 5;
constexpr std::size_t max_name_chars = 200;

using text::utf8::code_points;

std::size_t edit_distance(const std::u32string& a, const std::u32string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// How far `query` is from `name`: the whole name, or the part of it starting
// at a word that is as long as the query (people type the start of a name).
std::size_t nearness(const std::u32string& query, const std::u32string& name) {
  std::size_t best = edit_distance(query, name);
  for (std::size_t start = 0; start < name.size(); ++start) {
    if (start != 0 && name[start - 1] != U' ') continue;
    const auto part = name.substr(start, query.size());
    best = std::min(best, edit_distance(query, part));
  }
  return best;
}

std::vector<std::string> nearest_names(std::vector<std::string> names, std::string_view query) {
  const auto q = code_points(text::fold_case(query));
  // Short queries tolerate one typo, longer ones a few.
  const std::size_t limit = q.size() <= 3 ? 1 : q.size() <= 8 ? 2 : q.size() / 4 + 1;
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (auto& n : names) {
    const auto d = nearness(q, code_points(text::fold_case(n)));
    if (d <= limit) scored.emplace_back(d, std::move(n));
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return text::danish_sort_key(a.second) < text::danish_sort_key(b.second);
  });
  std::vector<std::string> out;
  for (auto& [d, n] : scored) {
    if (out.size() == max_suggestions) break;
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
  }
  return out;
}

// A client name the user typed, shown back when it matches none or several.
constexpr std::size_t quoted_name_chars = 80;

reply text_reply(std::string summary, std::string text) {
  view v;
  v.summary = std::move(summary);
  v.blocks.push_back(section{"", std::move(text), {}});
  return message_reply(std::move(v));
}

} // namespace

std::variant<store::client, reply> resolve_client(context& ctx, const catalogue& t,
                                                  const store::member& viewer, std::string_view name,
                                                  const char* pick_action) {
  if (name.empty()) return text_reply(std::string{t.resolve_which_summary}, std::string{t.resolve_which});
  if (!valid_utf8(name) || utf8_length(name) > max_name_chars)
    return text_reply(std::string{t.resolve_no_such_summary}, std::string{t.resolve_no_such});

  store::clients cl{ctx.db};
  auto match = cl.resolve_name(viewer, name);
  switch (match.kind) {
  case store::name_match_kind::exact:
  case store::name_match_kind::prefix:
  case store::name_match_kind::substring:
    if (!match.candidates.empty()) return std::move(match.candidates.front());
    break;
  case store::name_match_kind::ambiguous: {
    view v;
    const auto name_text = quoted(name, quoted_name_chars);
    const auto query = fmt::arg("query", name_text);
    v.summary = say(t.resolve_ambiguous_summary, query);
    std::string text = say(t.resolve_ambiguous, query);
    if (match.candidates.size() >= 25) text += " " + std::string{t.resolve_first_25};
    v.blocks.push_back(section{"", text, {}});
    action_row picks;
    for (const auto& c : match.candidates) {
      if (picks.controls.size() == 25) break;
      button b;
      b.label = clip(c.name, 75);
      b.action_id = pick_action;
      b.value = c.id;
      picks.controls.push_back(std::move(b));
    }
    v.blocks.push_back(std::move(picks));
    return message_reply(std::move(v));
  }
  case store::name_match_kind::none:
    break;
  }

  // Suggestions come from the visible names only, so an unknown name and a
  // client the viewer may not see read the same.
  const auto suggestions = nearest_names(cl.visible_names(viewer), name);
  const auto name_text = quoted(name, quoted_name_chars);
  const auto query = fmt::arg("query", name_text);
  std::string text = say(t.resolve_unknown, query);
  if (!suggestions.empty()) {
    text += " " + std::string{t.resolve_did_you_mean};
    for (const auto& s : suggestions)
      text += "\n\u2022 " + clip(s, 200);
  } else {
    text += " " + std::string{t.resolve_try_search};
  }
  return text_reply(say(t.resolve_unknown_summary, query), text);
}

} // namespace handlers
