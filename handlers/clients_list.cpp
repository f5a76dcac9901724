#include "handlers/clients_list.hpp"

#include "handlers/actions.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "store/clients.hpp"
#include "text/danish.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace handlers {
namespace {

// say() appended to `out`, with no string of its own in between.
template <class... Args> void append_said(std::string& out, std::string_view pattern, Args&&... args) {
  fmt::format_to(std::back_inserter(out), fmt::runtime(pattern), std::forward<Args>(args)...);
}

constexpr std::string_view state_version = "L1";
constexpr std::size_t max_search_bytes = 2000 - 32; // keeps a button value under 2,000 bytes
// Menu item values are limited (150 characters on the strictest platform).
constexpr std::size_t max_menu_value = 150;

char tab_code(const std::optional<store::tab>& t) {
  if (!t) return 'e';
  switch (*t) {
  case store::tab::invites:
    return 'i';
  case store::tab::onboarding:
    return 'o';
  case store::tab::mine:
    return 'm';
  case store::tab::all:
    return 'a';
  }
  return 'm';
}

// False for a code encode never writes.
bool tab_from_code(char c, std::optional<store::tab>& out) {
  switch (c) {
  case 'e':
    out = std::nullopt;
    return true;
  case 'i':
    out = store::tab::invites;
    return true;
  case 'o':
    out = store::tab::onboarding;
    return true;
  case 'm':
    out = store::tab::mine;
    return true;
  case 'a':
    out = store::tab::all;
    return true;
  default:
    return false;
  }
}

bool is_admin(const store::member& m) {
  return m.role == store::role::admin;
}

std::string tab_title(const catalogue& t, store::tab tab) {
  switch (tab) {
  case store::tab::invites:
    return std::string{t.tab_invites};
  case store::tab::onboarding:
    return std::string{t.tab_onboarding};
  case store::tab::mine:
    return std::string{t.tab_mine};
  case store::tab::all:
    return std::string{t.tab_all};
  }
  return "";
}

std::string status_label(const catalogue& t, store::client_status s) {
  switch (s) {
  case store::client_status::invite:
    return std::string{t.status_invite};
  case store::client_status::onboarding:
    return std::string{t.status_onboarding};
  case store::client_status::active:
    return std::string{t.status_active};
  }
  return "";
}

store::list_query query_for(const list_state& s, store::tab t, int offset, int limit) {
  store::list_query q;
  q.tab = t;
  q.missing_only = s.missing_only;
  q.descending = s.descending && !s.most_missing_first;
  q.most_missing_first = s.most_missing_first;
  q.search = s.search;
  q.offset = offset;
  q.limit = limit;
  return q;
}

// One page of the state's rows. "Everything" is the whole firm for admins;
// for bookkeepers it is their onboarding and active clients, in one order.
store::client_page fetch(store::clients& cl, const store::member& viewer, const list_state& s, int offset,
                         int limit) {
  auto q = query_for(s, s.tab.value_or(store::tab::all), offset, limit);
  q.every_visible = !s.tab;
  return cl.list(viewer, q);
}

button state_button(std::string_view label, const list_state& s, bool current) {
  button b;
  b.label = std::string(label);
  b.action_id = actions::clients_page;
  b.value = encode_list_state(s);
  b.style = current ? button_style::primary : button_style::plain;
  return b;
}

menu client_menu(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c) {
  menu m;
  m.action_id = actions::client_menu;
  m.items.reserve(3);
  m.items.push_back(menu_item{std::string{t.go_to_client}, "link|" + c.id,
                              portal_link(ctx.settings.portal_url_template, c.id)});
  if (c.id.size() + 7 <= max_menu_value) {
    m.items.push_back(menu_item{std::string{t.view_details}, "open|" + c.id, {}});
    if (is_admin(viewer))
      m.items.push_back(menu_item{std::string{t.notify_bookkeepers}, "remind|" + c.id, {}});
  }
  return m;
}

} // namespace

section client_row(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c) {
  section s;
  s.title = clip(c.name, 200);
  // One string grown in place: a page has many rows, and every request draws one.
  auto& text = s.text;
  text.reserve(128);
  text += status_label(t, c.status);
  text += " \u00b7 ";
  text += format_money(c.wallet_balance);
  text += '\n';
  if (c.missing_receipts == 0)
    text += t.missing_none;
  else
    append_said(text, c.missing_receipts == 1 ? t.missing_one : t.missing_many,
                fmt::arg("count", format_count(c.missing_receipts)));
  text += " \u00b7 ";
  append_said(text, t.ready_count, fmt::arg("count", format_count(c.ready_for_export)));
  s.side = client_menu(ctx, t, viewer, c);
  return s;
}

namespace {

std::string empty_text(const catalogue& t, const list_state& s, const store::member& viewer) {
  if (!s.search.empty()) {
    std::string out = say(s.missing_only ? t.list_no_match_missing : t.list_no_match,
                          fmt::arg("query", quoted(s.search, 60)));
    if (!is_admin(viewer)) out += " " + std::string{t.list_only_assigned};
    return out + " " + std::string{t.list_try_shorter};
  }
  if (!s.tab) return std::string{s.missing_only ? t.list_all_clear_yours : t.list_no_clients_yet};
  if (s.missing_only) return say(t.list_all_clear_tab, fmt::arg("tab", tab_title(t, *s.tab)));
  switch (*s.tab) {
  case store::tab::invites:
    return std::string{t.list_no_invites};
  case store::tab::onboarding:
    return std::string{t.list_no_onboarding};
  case store::tab::mine:
    return std::string{is_admin(viewer) ? t.list_admin_not_assigned : t.list_bookkeeper_not_assigned};
  case store::tab::all:
    return std::string{t.list_firm_empty};
  }
  return std::string{t.list_no_clients_yet};
}

std::string list_title(const catalogue& t, const list_state& s) {
  if (!s.search.empty()) return say(t.list_title_search, fmt::arg("query", quoted(s.search, 60)));
  if (!s.tab) return std::string{s.missing_only ? t.list_title_missing : t.list_title_everything};
  return *s.tab == store::tab::all ? std::string{t.list_title_all} : tab_title(t, *s.tab);
}

// Bookkeepers cannot have the admin tabs: they get `mine` and are told why.
list_state allowed_state(const catalogue& t, const store::member& viewer, list_state s, std::string& notice) {
  if (!is_admin(viewer) && s.tab && (*s.tab == store::tab::all || *s.tab == store::tab::invites)) {
    if (!notice.empty()) notice += ' ';
    notice += t.list_admin_tabs;
    s.tab = store::tab::mine;
    s.page = 0;
  }
  return s;
}

view build(context& ctx, const catalogue& t, const store::member& viewer, list_state s,
           const std::string& notice_in, const store::tab_counts& counts) {
  std::string notice = notice_in;
  s = allowed_state(t, viewer, std::move(s), notice);
  store::clients cl{ctx.db};

  s.page = std::max(0, s.page);
  auto page = fetch(cl, viewer, s, s.page * clients_page_size, clients_page_size);
  const int pages = std::max(1, (page.total + clients_page_size - 1) / clients_page_size);
  if (s.page >= pages) { // the list shrank since the control was made
    s.page = pages - 1;
    page = fetch(cl, viewer, s, s.page * clients_page_size, clients_page_size);
  }

  view v;
  const auto title = list_title(t, s);
  v.summary = page.total == 0 ? say(t.list_summary_none, fmt::arg("title", title))
                              : say(t.list_summary, fmt::arg("title", title),
                                    fmt::arg("clients", counted(page.total, t.clients_one, t.clients_many)));
  v.blocks.push_back(header{title});
  if (!notice.empty()) v.blocks.push_back(section{"", std::string(notice), {}});

  // Tabs: switching tab keeps the missing filter and the name order, drops the search.
  action_row tabs;
  auto tab_state = [&](store::tab tab) {
    list_state n;
    n.tab = tab;
    n.missing_only = s.missing_only;
    n.descending = s.descending && !s.most_missing_first;
    return n;
  };
  auto add_tab = [&](store::tab tab, int count, bool hide_when_empty) {
    const bool current = s.tab == tab && s.search.empty();
    if (hide_when_empty && count == 0 && !current) return;
    const auto label =
        say(t.tab_with_count, fmt::arg("tab", tab_title(t, tab)), fmt::arg("count", format_count(count)));
    tabs.controls.push_back(state_button(label, tab_state(tab), current));
  };
  if (is_admin(viewer)) add_tab(store::tab::invites, counts.invites, true);
  add_tab(store::tab::onboarding, counts.onboarding, true);
  add_tab(store::tab::mine, counts.mine, false);
  if (is_admin(viewer)) add_tab(store::tab::all, counts.all, false);
  v.blocks.push_back(std::move(tabs));

  // Sort and filter keep everything else and go back to the first page.
  action_row controls;
  auto with = [&](auto change) {
    list_state n = s;
    n.page = 0;
    change(n);
    return n;
  };
  const bool by_name = !s.most_missing_first;
  controls.controls.push_back(state_button(t.sort_ascending, with([](list_state& n) {
                                             n.descending = false;
                                             n.most_missing_first = false;
                                           }),
                                           by_name && !s.descending));
  controls.controls.push_back(state_button(t.sort_descending, with([](list_state& n) {
                                             n.descending = true;
                                             n.most_missing_first = false;
                                           }),
                                           by_name && s.descending));
  if (s.missing_only || s.most_missing_first)
    controls.controls.push_back(state_button(t.sort_most_missing, with([](list_state& n) {
                                               n.descending = false;
                                               n.most_missing_first = true;
                                             }),
                                             s.most_missing_first));
  controls.controls.push_back(state_button(
      t.filter_missing_only, with([](list_state& n) { n.missing_only = !n.missing_only; }), s.missing_only));
  v.blocks.push_back(std::move(controls));

  if (page.total == 0) {
    v.blocks.push_back(section{"", empty_text(t, s, viewer), {}});
    return v;
  }

  const int first = s.page * clients_page_size + 1;
  const int last = first + static_cast<int>(page.rows.size()) - 1;
  std::string showing =
      say(t.showing, fmt::arg("first", format_count(first)), fmt::arg("last", format_count(last)),
          fmt::arg("total", format_count(page.total)));
  if (s.missing_only) showing += " \u00b7 " + std::string{t.showing_missing_only};
  if (s.most_missing_first) showing += " \u00b7 " + std::string{t.showing_most_missing};
  v.blocks.push_back(note{showing});

  for (const auto& c : page.rows)
    v.blocks.push_back(client_row(ctx, t, viewer, c));

  if (pages > 1) {
    action_row paging;
    if (s.page > 0) {
      auto prev = s;
      prev.page = s.page - 1;
      paging.controls.push_back(state_button(t.page_previous, prev, false));
    }
    if (s.page + 1 < pages) {
      auto next = s;
      next.page = s.page + 1;
      paging.controls.push_back(state_button(t.page_next, next, false));
    }
    v.blocks.push_back(std::move(paging));
  }
  return v;
}

} // namespace

std::string encode_list_state(const list_state& s) {
  std::string out{state_version};
  out += '|';
  out += tab_code(s.tab);
  out += '|';
  if (s.missing_only) out += 'x';
  if (s.descending && !s.most_missing_first) out += 'd';
  if (s.most_missing_first) out += 'n';
  out += '|';
  out += std::to_string(std::max(0, s.page));
  out += '|';
  out += s.search.size() <= max_search_bytes ? s.search : clip(s.search, 400);
  return out;
}

std::optional<list_state> decode_list_state(std::string_view value) {
  if (value.size() > 2000 || !value.starts_with(state_version)) return std::nullopt;
  value.remove_prefix(state_version.size());
  auto take = [&value]() -> std::optional<std::string_view> {
    if (value.empty() || value.front() != '|') return std::nullopt;
    value.remove_prefix(1);
    const auto bar = value.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    auto part = value.substr(0, bar);
    value.remove_prefix(bar);
    return part;
  };
  const auto tab_part = take();
  const auto flags = take();
  const auto page_part = take();
  if (!tab_part || !flags || !page_part || tab_part->size() != 1) return std::nullopt;
  value.remove_prefix(1); // the '|' before the search
  const auto search = value;

  list_state s;
  if (!tab_from_code(tab_part->front(), s.tab)) return std::nullopt;

  // Flags appear at most once each, in the order encode writes them.
  std::string_view expected = "xdn";
  for (char f : *flags) {
    const auto at = expected.find(f);
    if (at == std::string_view::npos) return std::nullopt;
    expected.remove_prefix(at + 1);
    if (f == 'x') s.missing_only = true;
    if (f == 'd') s.descending = true;
    if (f == 'n') s.most_missing_first = true;
  }
  if (s.descending && s.most_missing_first) return std::nullopt;

  if (page_part->empty() || page_part->size() > 6 || (page_part->size() > 1 && page_part->front() == '0'))
    return std::nullopt;
  int page = 0;
  const auto [end, ec] = std::from_chars(page_part->data(), page_part->data() + page_part->size(), page);
  if (ec != std::errc{} || end != page_part->data() + page_part->size() || page < 0) return std::nullopt;
  s.page = page;

  if (!valid_utf8(search) || utf8_length(search) > 500) return std::nullopt;
  for (char c : search)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
  if (!search.empty() && (search.front() == ' ' || search.back() == ' ')) return std::nullopt;
  s.search = std::string{search};
  return s;
}

view clients_view(context& ctx, const catalogue& t, const store::member& viewer, list_state state,
                  const std::string& notice) {
  store::clients cl{ctx.db};
  return build(ctx, t, viewer, std::move(state), notice, cl.counts(viewer));
}

reply clients_command(context& ctx, const caller& who, std::optional<store::tab> tab, bool missing_only,
                      bool descending) {
  const auto& viewer = *who.member;
  store::clients cl{ctx.db};
  const auto counts = cl.counts(viewer);
  list_state s;
  s.missing_only = missing_only;
  s.descending = descending;
  if (tab)
    s.tab = *tab;
  else
    s.tab = is_admin(viewer) && counts.mine == 0 ? store::tab::all : store::tab::mine;
  return message_reply(build(ctx, texts_for(ctx, who), viewer, std::move(s), {}, counts));
}

reply search_command(context& ctx, const caller& who, std::string_view text) {
  list_state s;
  s.tab = std::nullopt;
  s.search = std::string{text};
  return message_reply(clients_view(ctx, texts_for(ctx, who), *who.member, std::move(s)));
}

reply missing_command(context& ctx, const caller& who) {
  list_state s;
  s.tab = std::nullopt;
  s.missing_only = true;
  s.most_missing_first = true;
  return message_reply(clients_view(ctx, texts_for(ctx, who), *who.member, std::move(s)));
}

reply clients_page_action(context& ctx, const caller& who, const list_state& state) {
  return message_reply(clients_view(ctx, texts_for(ctx, who), *who.member, state), true);
}

} // namespace handlers
