#include "store/clients.hpp"

#include "store/danish.hpp"
#include "store/read_cache.hpp"
#include "store/read_model.hpp"
#include "store/rows.hpp"

#include <fmt/format.h>
#include <map>

namespace store {
namespace {

// Statement parameters shared by every client query:
// ?1 partner id, ?2 viewer member id, ?3 search (FTS expression or folded term),
// ?4 folded term (resolve_name), ?5 limit, ?6 offset.
constexpr int p_partner = 1, p_member = 2, p_search = 3, p_term = 4, p_limit = 5, p_offset = 6;

// Which clients a query ranges over, before search and filters.
enum class scope {
  invites,
  onboarding,
  all,
  mine,
  assigned_onboarding,
  visible_admin,
  visible_bookkeeper,
  count_
};
enum class search_mode { none, fts_ascii, fts_fold, instr_ascii, instr_fold, count_ };
enum class order { name_asc, name_desc, most_missing, count_ };

constexpr const char* assigned_to_viewer = "c.id IN (SELECT client_id FROM assignments WHERE member_id = ?2)";

std::string scope_condition(scope s) {
  switch (s) {
  case scope::invites:
    return "c.partner_id = ?1 AND c.status = 'invite'";
  case scope::onboarding:
    return "c.partner_id = ?1 AND c.status = 'onboarding'";
  case scope::all:
    return "c.partner_id = ?1";
  case scope::mine:
    return fmt::format("c.partner_id = ?1 AND c.status = 'active' AND {}", assigned_to_viewer);
  case scope::assigned_onboarding:
    return fmt::format("c.partner_id = ?1 AND c.status = 'onboarding' AND {}", assigned_to_viewer);
  case scope::visible_admin:
    return "c.partner_id = ?1";
  case scope::visible_bookkeeper:
    return fmt::format("c.partner_id = ?1 AND c.status IN ('onboarding', 'active') AND {}",
                       assigned_to_viewer);
  case scope::count_:
    break;
  }
  return "0";
}

std::string search_condition(search_mode m) {
  switch (m) {
  case search_mode::none:
    return "";
  case search_mode::fts_ascii:
  case search_mode::fts_fold:
    return " AND c.pk IN (SELECT rowid FROM clients_fts WHERE clients_fts MATCH ?3)";
  case search_mode::instr_ascii:
    return " AND instr(c.name_ascii, ?3) > 0";
  case search_mode::instr_fold:
    return " AND instr(c.name_fold, ?3) > 0";
  case search_mode::count_:
    break;
  }
  return "";
}

std::string_view order_clause(order o) {
  switch (o) {
  case order::name_asc:
    return "c.sort_key, c.pk";
  case order::name_desc:
    return "c.sort_key DESC, c.pk DESC";
  case order::most_missing:
    return "coalesce(m.missing_receipts, 0) DESC, c.sort_key, c.pk";
  case order::count_:
    break;
  }
  return "c.pk";
}

constexpr const char* from_clients =
    " FROM clients c LEFT JOIN client_metrics m ON m.client_id = c.id WHERE ";
constexpr const char* missing_condition = " AND m.missing_receipts > 0";

// Every combination's SQL, built once; the cached-statement key is the
// string's (stable) address.
struct statements {
  std::map<int, std::string> page, count, names, resolve;

  static int key(scope s, search_mode m, bool missing, order o = order::name_asc) {
    return ((static_cast<int>(s) * 5 + static_cast<int>(m)) * 2 + (missing ? 1 : 0)) * 4 +
           static_cast<int>(o);
  }

  statements() {
    for (int s = 0; s < static_cast<int>(scope::count_); ++s) {
      for (int m = 0; m < static_cast<int>(search_mode::count_); ++m) {
        const auto where =
            scope_condition(static_cast<scope>(s)) + search_condition(static_cast<search_mode>(m));
        for (bool missing : {false, true}) {
          const auto filtered = where + (missing ? missing_condition : "");
          const int k0 = key(static_cast<scope>(s), static_cast<search_mode>(m), missing);
          count[k0] = missing ? fmt::format("SELECT count(*){}{}", from_clients, filtered)
                              : fmt::format("SELECT count(*) FROM clients c WHERE {}", filtered);
          for (int o = 0; o < static_cast<int>(order::count_); ++o) {
            page[key(static_cast<scope>(s), static_cast<search_mode>(m), missing, static_cast<order>(o))] =
                fmt::format("SELECT " STORE_CLIENT_COLUMNS "{}{} ORDER BY {} LIMIT ?5 OFFSET ?6",
                            from_clients, filtered, order_clause(static_cast<order>(o)));
          }
        }
        names[key(static_cast<scope>(s), static_cast<search_mode>(m), false)] =
            fmt::format("SELECT c.name FROM clients c WHERE {} ORDER BY c.sort_key, c.pk", where);
        // Exact matches first, then prefixes, then the rest; one row more than
        // the candidate limit tells "more than 25" apart.
        const auto mode = static_cast<search_mode>(m);
        const char* column =
            mode == search_mode::instr_fold || mode == search_mode::fts_fold ? "c.name_fold" : "c.name_ascii";
        resolve[key(static_cast<scope>(s), static_cast<search_mode>(m), false)] =
            fmt::format("SELECT " STORE_CLIENT_COLUMNS
                        ", {0} = ?4 AS exact, substr({0}, 1, length(?4)) = ?4 AS prefix{1}{2} "
                        "ORDER BY exact DESC, prefix DESC, c.sort_key, c.pk LIMIT ?5",
                        column, from_clients, where);
      }
    }
  }
};

const statements& all_statements() {
  static const statements s;
  return s;
}

constexpr const char* sql_visible_admin =
    "SELECT " STORE_CLIENT_COLUMNS " FROM clients c LEFT JOIN client_metrics m ON m.client_id = c.id "
    "WHERE c.id = ?3 AND c.partner_id = ?1";
constexpr const char* sql_visible_bookkeeper =
    "SELECT " STORE_CLIENT_COLUMNS " FROM clients c LEFT JOIN client_metrics m ON m.client_id = c.id "
    "WHERE c.id = ?3 AND c.partner_id = ?1 AND c.status IN ('onboarding', 'active') "
    "AND EXISTS (SELECT 1 FROM assignments a WHERE a.client_id = c.id AND a.member_id = ?2)";

constexpr const char* sql_counts_admin =
    "SELECT (SELECT count(*) FROM clients WHERE partner_id = ?1 AND status = 'invite'), "
    "(SELECT count(*) FROM clients WHERE partner_id = ?1 AND status = 'onboarding'), "
    "(SELECT count(*) FROM assignments a JOIN clients c ON c.id = a.client_id "
    " WHERE a.member_id = ?2 AND c.partner_id = ?1 AND c.status = 'active'), "
    "(SELECT count(*) FROM clients WHERE partner_id = ?1)";
constexpr const char* sql_counts_bookkeeper =
    "SELECT 0, coalesce(sum(c.status = 'onboarding'), 0), coalesce(sum(c.status = 'active'), 0), 0 "
    "FROM assignments a JOIN clients c ON c.id = a.client_id WHERE a.member_id = ?2 AND c.partner_id = ?1";

constexpr const char* sql_bookkeepers = "SELECT m.id, m.partner_id, m.name, m.email, m.role FROM assignments "
                                        "a JOIN members m ON m.id = a.member_id "
                                        "WHERE a.client_id = ? ORDER BY m.name, m.id";
constexpr const char* sql_is_assigned = "SELECT 1 FROM assignments WHERE client_id = ? AND member_id = ?";

constexpr int max_candidates = 25;

// The search text as the query needs it: which mode, the bound expression and the folded term.
struct prepared_search {
  search_mode mode = search_mode::none;
  std::string expression; // ?3
  std::string term;       // ?4
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

prepared_search prepare_search(std::string_view text) {
  prepared_search p;
  text = trim(text);
  if (text.empty()) return p;
  const bool ascii = is_ascii(text);
  p.term = ascii ? fold_ascii(text) : fold_case(text);
  if (utf8_length(p.term) >= 3) {
    // A quoted FTS5 phrase: with the trigram tokenizer it matches any substring.
    std::string quoted;
    for (char ch : p.term) {
      if (ch == '"') quoted += '"';
      quoted += ch;
    }
    p.mode = ascii ? search_mode::fts_ascii : search_mode::fts_fold;
    p.expression = fmt::format("{} : \"{}\"", ascii ? "name_ascii" : "name_fold", quoted);
  } else {
    p.mode = ascii ? search_mode::instr_ascii : search_mode::instr_fold;
    p.expression = p.term;
  }
  return p;
}

void bind_common(sql::query& q, const member& viewer, const prepared_search& search) {
  const int n = q.parameter_count();
  q.bind(p_partner, viewer.partner_id);
  if (n >= p_member) q.bind(p_member, viewer.id);
  if (n >= p_search) q.bind(p_search, search.expression);
  if (n >= p_term) q.bind(p_term, search.term);
}

std::optional<scope> tab_scope(const member& viewer, tab t) {
  const bool admin = viewer.role == role::admin;
  switch (t) {
  case tab::invites:
    return admin ? std::optional{scope::invites} : std::nullopt;
  case tab::onboarding:
    return admin ? scope::onboarding : scope::assigned_onboarding;
  case tab::mine:
    return scope::mine;
  case tab::all:
    return admin ? std::optional{scope::all} : std::nullopt;
  }
  return std::nullopt;
}

scope visible_scope(const member& viewer) {
  return viewer.role == role::admin ? scope::visible_admin : scope::visible_bookkeeper;
}

bool per_member(scope sc) {
  return sc == scope::mine || sc == scope::assigned_onboarding || sc == scope::visible_bookkeeper;
}

// A member's assigned clients are few and reached through their assignment
// index, so filtering those rows directly beats collecting every trigram
// match of the firm (half of it for a broad term) and intersecting.
prepared_search for_scope(scope sc, prepared_search search) {
  if (!per_member(sc)) return search;
  if (search.mode == search_mode::fts_ascii)
    search.mode = search_mode::instr_ascii;
  else if (search.mode == search_mode::fts_fold)
    search.mode = search_mode::instr_fold;
  else
    return search;
  search.expression = search.term;
  return search;
}

// A cache key naming everything an answer depends on; admin-wide scopes do
// not depend on who asks, so admins share them.
std::string cache_key(char kind, scope sc, const member& viewer, const prepared_search& search,
                      std::string_view rest) {
  std::string key;
  key.reserve(64 + search.term.size());
  key += kind;
  key += static_cast<char>('0' + static_cast<int>(sc));
  key += static_cast<char>('0' + static_cast<int>(search.mode));
  key += viewer.partner_id;
  key += '\x1f';
  if (per_member(sc)) key += viewer.id;
  key += '\x1f';
  key += rest;
  key += '\x1f';
  key += search.term;
  return key;
}

client_page query_page(database& db, const member& viewer, const list_query& query, scope sc,
                       const prepared_search& search, order o) {
  client_page page;
  const auto& st = all_statements();
  {
    sql::query q(db, st.count.at(statements::key(sc, search.mode, query.missing_only)).c_str());
    bind_common(q, viewer, search);
    if (q.step()) page.total = q.integer(0);
  }
  if (page.total == 0 || query.limit <= 0 || query.offset >= page.total) return page;
  sql::query q(db, st.page.at(statements::key(sc, search.mode, query.missing_only, o)).c_str());
  bind_common(q, viewer, search);
  q.bind(p_limit, query.limit).bind(p_offset, std::max(query.offset, 0));
  page.rows.reserve(static_cast<std::size_t>(std::min(query.limit, page.total)));
  while (q.step())
    page.rows.push_back(sql::read_client(q));
  return page;
}

// The viewer's firm in memory when a model at the data's current generation
// is ready; nullptr inside a write transaction (what it reads might still
// roll back) and while a newer model is being built: then SQLite answers.
std::shared_ptr<const read_model> model_for(database& db, const member& viewer) {
  auto& cache = db.cache();
  if (!cache.usable(db)) return nullptr;
  return db.models().get(db, viewer.partner_id, cache.generation());
}

} // namespace

client_page clients::list(const member& viewer, const list_query& query) {
  if (auto model = model_for(db_, viewer)) return model->list(viewer, query);
  client_page page;
  const auto sc = query.every_visible ? std::optional{visible_scope(viewer)} : tab_scope(viewer, query.tab);
  if (!sc) return page;
  const auto search = for_scope(*sc, prepare_search(query.search));
  const order o = query.most_missing_first ? order::most_missing
                  : query.descending       ? order::name_desc
                                           : order::name_asc;
  auto& cache = db_.cache();
  const bool cacheable = cache.usable(db_);
  std::string key;
  if (cacheable) {
    key = cache_key('L', *sc, viewer, search,
                    fmt::format("{}/{}/{}/{}", query.missing_only ? 1 : 0, static_cast<int>(o), query.offset,
                                query.limit));
    if (auto it = cache.pages.find(key); it != cache.pages.end()) return it->second;
  }
  page = query_page(db_, viewer, query, *sc, search, o);
  if (cacheable) cache.pages.emplace(std::move(key), page);
  return page;
}

tab_counts clients::counts(const member& viewer) {
  if (auto model = model_for(db_, viewer)) return model->counts(viewer);
  auto& cache = db_.cache();
  const bool cacheable = cache.usable(db_);
  std::string key;
  if (cacheable) {
    key = fmt::format("{}\x1f{}\x1f{}", viewer.partner_id, to_string(viewer.role), viewer.id);
    if (auto it = cache.counts.find(key); it != cache.counts.end()) return it->second;
  }
  sql::query q(db_, viewer.role == role::admin ? sql_counts_admin : sql_counts_bookkeeper);
  q.bind(1, viewer.partner_id).bind(2, viewer.id);
  tab_counts c;
  if (q.step()) {
    c.invites = q.integer(0);
    c.onboarding = q.integer(1);
    c.mine = q.integer(2);
    c.all = q.integer(3);
  }
  if (cacheable) cache.counts.emplace(std::move(key), c);
  return c;
}

std::optional<client> clients::visible(const member& viewer, std::string_view client_id) {
  if (auto model = model_for(db_, viewer)) return model->visible(viewer, client_id);
  sql::query q(db_, viewer.role == role::admin ? sql_visible_admin : sql_visible_bookkeeper);
  q.bind(1, viewer.partner_id).bind(2, viewer.id).bind(3, client_id);
  if (!q.step()) return std::nullopt;
  return sql::read_client(q);
}

name_match clients::resolve_name(const member& viewer, std::string_view name) {
  if (auto model = model_for(db_, viewer)) return model->resolve_name(viewer, name);
  name_match result;
  const auto search = for_scope(visible_scope(viewer), prepare_search(name));
  if (search.mode == search_mode::none) return result;
  auto& cache = db_.cache();
  const bool cacheable = cache.usable(db_);
  std::string key;
  if (cacheable) {
    key = cache_key('R', visible_scope(viewer), viewer, search, {});
    if (auto it = cache.names.find(key); it != cache.names.end()) return *it->second;
  }
  const auto& st = all_statements();
  std::vector<client> exact, prefix, substring;
  {
    sql::query q(db_, st.resolve.at(statements::key(visible_scope(viewer), search.mode, false)).c_str());
    bind_common(q, viewer, search);
    q.bind(p_limit, max_candidates + 1);
    while (q.step()) {
      auto c = sql::read_client(q);
      if (q.integer(9))
        exact.push_back(std::move(c));
      else if (q.integer(10))
        prefix.push_back(std::move(c));
      else
        substring.push_back(std::move(c));
    }
  }
  auto settle = [&](std::vector<client>& found, name_match_kind kind) {
    result.kind = found.size() == 1 ? kind : name_match_kind::ambiguous;
    if (found.size() > max_candidates) found.resize(max_candidates);
    result.candidates = std::move(found);
  };
  if (!exact.empty())
    settle(exact, name_match_kind::exact);
  else if (!prefix.empty())
    settle(prefix, name_match_kind::prefix);
  else if (!substring.empty())
    settle(substring, name_match_kind::substring);
  if (cacheable) cache.names.emplace(std::move(key), std::make_shared<const name_match>(result));
  return result;
}

std::vector<std::string> clients::visible_names(const member& viewer) {
  if (auto model = model_for(db_, viewer)) return model->visible_names(viewer);
  auto& cache = db_.cache();
  const bool cacheable = cache.usable(db_);
  std::string key;
  if (cacheable) {
    key = cache_key('N', visible_scope(viewer), viewer, prepared_search{}, {});
    if (auto it = cache.visible_names.find(key); it != cache.visible_names.end()) return *it->second;
  }
  const auto& st = all_statements();
  sql::query q(db_, st.names.at(statements::key(visible_scope(viewer), search_mode::none, false)).c_str());
  bind_common(q, viewer, prepared_search{});
  std::vector<std::string> out;
  while (q.step())
    out.push_back(q.text(0));
  if (cacheable)
    cache.visible_names.emplace(std::move(key), std::make_shared<const std::vector<std::string>>(out));
  return out;
}

std::vector<member> clients::bookkeepers(std::string_view client_id) {
  sql::query q(db_, sql_bookkeepers);
  q.bind(1, client_id);
  std::vector<member> out;
  while (q.step())
    out.push_back(sql::read_member(q));
  return out;
}

std::vector<member> clients::bookkeepers(const member& viewer, std::string_view client_id) {
  if (auto model = model_for(db_, viewer))
    return model->visible(viewer, client_id) ? model->bookkeepers(client_id) : std::vector<member>{};
  if (!visible(viewer, client_id)) return {};
  return bookkeepers(client_id);
}

bool clients::is_assigned(std::string_view client_id, std::string_view member_id) {
  sql::query q(db_, sql_is_assigned);
  q.bind(1, client_id).bind(2, member_id);
  return q.step();
}

} // namespace store
