#include "store/snapshot.hpp"

#include "store/money.hpp"
#include "store/sql_util.hpp"
#include "store/types.hpp"
#include "text/danish.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace store {
namespace {

namespace json = boost::json;

// ---- the validated snapshot -------------------------------------------------

struct snap_member {
  member m;
  std::vector<std::string> user_ids; // per platform, in the caller's order; empty: no pre-made link
};

struct snap_client {
  client c;
  std::vector<std::string> bookkeepers;
};

struct snap {
  partner p;
  std::vector<std::string> workspaces; // per platform, in the caller's order; empty: not on it
  std::vector<snap_member> members;
  std::vector<snap_client> clients;
  std::string synced_at;
};

// The first problem found, with its JSON path.
struct invalid {
  std::string message;
};

[[noreturn]] void fail(const std::string& path, std::string_view reason) {
  throw invalid{fmt::format("{}: {}", path, reason)};
}

// Import errors are printed and logged: the value is escaped like any
// untrusted text, and its own quotes marked so the quoting stays clear.
std::string in_quotes(std::string_view s) {
  std::string out = "\"";
  for (char c : text::escape_for_log(s, 80)) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string describe(const json::value& v) {
  switch (v.kind()) {
  case json::kind::string:
    return in_quotes(v.get_string());
  case json::kind::null:
    return "null";
  case json::kind::bool_:
    return v.get_bool() ? "true" : "false";
  case json::kind::int64:
    return std::to_string(v.get_int64());
  case json::kind::uint64:
    return std::to_string(v.get_uint64());
  case json::kind::double_:
    return fmt::format("{}", v.get_double());
  case json::kind::array:
    return "an array";
  case json::kind::object:
    return "an object";
  }
  return "?";
}

const json::object& object_at(const json::value& v, const std::string& path) {
  if (!v.is_object()) fail(path, fmt::format("must be an object, got {}", describe(v)));
  return v.get_object();
}

const json::array& array_at(const json::object& o, std::string_view key, const std::string& path) {
  const auto* v = o.if_contains(key);
  if (!v) fail(path, "is required");
  if (!v->is_array()) fail(path, fmt::format("must be an array, got {}", describe(*v)));
  return v->get_array();
}

// A string field; `required` ones must be present and non-empty.
std::string string_at(const json::object& o, std::string_view key, const std::string& path, bool required) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) fail(path, "is required");
    return {};
  }
  if (!v->is_string()) fail(path, fmt::format("must be a string, got {}", describe(*v)));
  std::string s(v->get_string());
  if (required && s.empty()) fail(path, "must not be empty");
  return s;
}

int count_at(const json::object& o, std::string_view key, const std::string& path) {
  const auto* v = o.if_contains(key);
  if (!v) fail(path, "is required");
  constexpr auto max = static_cast<std::int64_t>(std::numeric_limits<int>::max());
  if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= max) return static_cast<int>(v->get_int64());
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(max))
    return static_cast<int>(v->get_uint64());
  fail(path, fmt::format("must be a non-negative integer, got {}", describe(*v)));
}

std::string field(const std::string& base, std::string_view key) {
  return fmt::format("{}.{}", base, key);
}
std::string element(const std::string& base, std::size_t i) {
  return fmt::format("{}[{}]", base, i);
}

bool looks_like_email(std::string_view e) {
  const auto at = e.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string_view::npos && e.find(' ') == std::string_view::npos;
}

bool currency_code(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

snap validate(std::string_view json_text, std::string_view now_iso,
              std::span<const snapshot_platform> platforms) {
  boost::system::error_code ec;
  const json::value root = json::parse(json_text, ec);
  if (ec) fail("$", fmt::format("invalid JSON: {}", ec.message()));
  const auto& top = object_at(root, "$");

  snap s;
  if (const auto* synced = top.if_contains("synced_at"); synced && !synced->is_null()) {
    if (!synced->is_string()) fail("synced_at", fmt::format("must be a string, got {}", describe(*synced)));
    auto normal = normalize_timestamp(synced->get_string());
    if (!normal)
      fail("synced_at", fmt::format("bad timestamp {} (ISO 8601 with a zone expected)", describe(*synced)));
    s.synced_at = *normal;
  } else {
    s.synced_at = normalize_timestamp(now_iso).value_or(std::string(now_iso));
  }

  const auto* pv = top.if_contains("partner");
  if (!pv) fail("partner", "is required");
  const auto& po = object_at(*pv, "partner");
  s.p.id = string_at(po, "id", "partner.id", true);
  s.p.name = string_at(po, "name", "partner.name", true);
  for (const auto& pl : platforms)
    s.workspaces.push_back(string_at(po, pl.workspace_key, field("partner", pl.workspace_key), false));

  std::unordered_map<std::string, std::size_t> member_index;
  std::unordered_set<std::string> emails;
  const auto& members = array_at(top, "members", "members");
  s.members.reserve(members.size());
  for (std::size_t i = 0; i < members.size(); ++i) {
    const auto path = element("members", i);
    const auto& mo = object_at(members[i], path);
    snap_member sm;
    sm.m.partner_id = s.p.id;
    sm.m.id = string_at(mo, "id", field(path, "id"), true);
    sm.m.name = string_at(mo, "name", field(path, "name"), true);
    sm.m.email = string_at(mo, "email", field(path, "email"), true);
    const auto role_text = string_at(mo, "role", field(path, "role"), true);
    const auto r = parse_role(role_text);
    if (!r)
      fail(field(path, "role"), fmt::format("unknown role {} (admin or bookkeeper)", in_quotes(role_text)));
    sm.m.role = *r;
    if (!looks_like_email(sm.m.email))
      fail(field(path, "email"), fmt::format("not an e-mail address {}", in_quotes(sm.m.email)));
    for (std::size_t k = 0; k < platforms.size(); ++k) {
      const auto& pl = platforms[k];
      sm.user_ids.push_back(string_at(mo, pl.user_key, field(path, pl.user_key), false));
      if (!sm.user_ids.back().empty() && s.workspaces[k].empty())
        fail(field(path, pl.user_key), fmt::format("the partner has no {}", pl.workspace_key));
    }
    if (!member_index.emplace(sm.m.id, i).second)
      fail(field(path, "id"), fmt::format("duplicate id {}", in_quotes(sm.m.id)));
    if (!emails.insert(text::fold_case(sm.m.email)).second)
      fail(field(path, "email"), fmt::format("duplicate e-mail {}", in_quotes(sm.m.email)));
    s.members.push_back(std::move(sm));
  }

  std::unordered_set<std::string> client_ids;
  const auto& clients = array_at(top, "clients", "clients");
  s.clients.reserve(clients.size());
  for (std::size_t i = 0; i < clients.size(); ++i) {
    const auto path = element("clients", i);
    const auto& co = object_at(clients[i], path);
    snap_client sc;
    sc.c.partner_id = s.p.id;
    sc.c.id = string_at(co, "id", field(path, "id"), true);
    sc.c.name = string_at(co, "name", field(path, "name"), true);
    const auto status_text = string_at(co, "status", field(path, "status"), true);
    const auto st = parse_client_status(status_text);
    if (!st)
      fail(field(path, "status"),
           fmt::format("unknown status {} (invite, onboarding or active)", in_quotes(status_text)));
    sc.c.status = *st;

    const auto wpath = field(path, "wallet_balance");
    const auto* wv = co.if_contains("wallet_balance");
    if (!wv) fail(wpath, "is required");
    const auto& wo = object_at(*wv, wpath);
    const auto* av = wo.if_contains("amount");
    if (!av) fail(field(wpath, "amount"), "is required");
    if (!av->is_string())
      fail(field(wpath, "amount"), fmt::format("must be a decimal string, got {}", describe(*av)));
    const auto amount = parse_amount(av->get_string());
    if (!amount) fail(field(wpath, "amount"), fmt::format("bad amount {}", describe(*av)));
    sc.c.wallet_balance.minor = *amount;
    sc.c.wallet_balance.currency = string_at(wo, "currency", field(wpath, "currency"), true);
    if (!currency_code(sc.c.wallet_balance.currency))
      fail(field(wpath, "currency"),
           fmt::format("bad currency {} (ISO 4217, e.g. \"DKK\")", in_quotes(sc.c.wallet_balance.currency)));

    sc.c.missing_receipts = count_at(co, "missing_receipts", field(path, "missing_receipts"));
    sc.c.ready_for_export = count_at(co, "ready_for_export", field(path, "ready_for_export"));
    sc.c.synced_at = s.synced_at;

    const auto bpath = field(path, "bookkeepers");
    const auto& books = array_at(co, "bookkeepers", bpath);
    for (std::size_t k = 0; k < books.size(); ++k) {
      const auto kpath = element(bpath, k);
      if (!books[k].is_string())
        fail(kpath, fmt::format("must be a member id string, got {}", describe(books[k])));
      std::string id(books[k].get_string());
      if (!member_index.contains(id)) fail(kpath, fmt::format("no member {}", in_quotes(id)));
      sc.bookkeepers.push_back(std::move(id));
    }
    if (!client_ids.insert(sc.c.id).second)
      fail(field(path, "id"), fmt::format("duplicate id {}", in_quotes(sc.c.id)));
    s.clients.push_back(std::move(sc));
  }
  return s;
}

// ---- writing ------------------------------------------------------------------

constexpr const char* sql_workspace_owner =
    "SELECT partner_id FROM workspaces WHERE platform = ?1 AND workspace_id = ?2 AND partner_id <> ?3";
constexpr const char* sql_member_owner = "SELECT partner_id FROM members WHERE id = ?1";
constexpr const char* sql_client_owner = "SELECT partner_id FROM clients WHERE id = ?1";

constexpr const char* sql_upsert_partner =
    "INSERT INTO partners(id, name) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET name = excluded.name";
// A partner is on at most one workspace per platform: the snapshot's replaces any earlier one.
constexpr const char* sql_clear_workspace = "DELETE FROM workspaces WHERE partner_id = ?1 AND platform = ?2";
constexpr const char* sql_insert_workspace =
    "INSERT INTO workspaces(platform, workspace_id, partner_id) VALUES (?1, ?2, ?3)";
constexpr const char* sql_upsert_member =
    "INSERT INTO members(id, partner_id, name, email, email_fold, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, email_fold = "
    "excluded.email_fold, "
    "role = excluded.role";
constexpr const char* sql_member_ids = "SELECT id FROM members WHERE partner_id = ?1";
constexpr const char* sql_delete_member = "DELETE FROM members WHERE id = ?1";
constexpr const char* sql_upsert_client =
    "INSERT INTO clients(id, partner_id, name, status, sort_key, name_fold, name_ascii) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, status = excluded.status, sort_key = "
    "excluded.sort_key, "
    "name_fold = excluded.name_fold, name_ascii = excluded.name_ascii";
// Figures newer than the snapshot (a later Pleo sync or snapshot) stay.
constexpr const char* sql_upsert_metrics =
    "INSERT INTO client_metrics(client_id, balance_minor, currency, missing_receipts, ready_for_export, "
    "synced_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(client_id) DO UPDATE SET balance_minor = excluded.balance_minor, "
    "currency = excluded.currency, missing_receipts = excluded.missing_receipts, "
    "ready_for_export = excluded.ready_for_export, synced_at = excluded.synced_at, "
    "export_total_minor = NULL, export_total_currency = NULL, export_unpriced = 0, source = 'snapshot', "
    "balance_at = NULL "
    "WHERE client_metrics.synced_at <= excluded.synced_at";
// Pleo has no balance: next to newer Pleo figures the snapshot's balance
// still applies, dated by the snapshot.
constexpr const char* sql_update_balance =
    "UPDATE client_metrics SET balance_minor = ?2, currency = ?3, balance_at = ?4 "
    "WHERE client_id = ?1 AND synced_at > ?4 AND coalesce(balance_at, synced_at) <= ?4";
// A company name synced from Pleo after the snapshot was taken stays.
constexpr const char* sql_newer_pleo_name = "SELECT company_name FROM pleo_sync_state WHERE client_id = ?1 "
                                            "AND company_name IS NOT NULL AND last_ok_at > ?2";
constexpr const char* sql_client_ids = "SELECT id FROM clients WHERE partner_id = ?1";
constexpr const char* sql_delete_client = "DELETE FROM clients WHERE id = ?1";
constexpr const char* sql_clear_assignments =
    "DELETE FROM assignments WHERE client_id IN (SELECT id FROM clients WHERE partner_id = ?1)";
constexpr const char* sql_insert_assignment =
    "INSERT INTO assignments(client_id, member_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
// A pre-made link is authoritative: it replaces whatever held that user or that member.
// A user's new member, or a member's new user, replaces the old link.
constexpr const char* sql_unlink_identity = "DELETE FROM chat_identities WHERE platform = ?1 AND "
                                            "((workspace_id = ?2 AND user_id = ?3) OR member_id = ?4)";
constexpr const char* sql_link_identity =
    "INSERT INTO chat_identities(platform, workspace_id, user_id, member_id) VALUES (?1, ?2, ?3, ?4)";
// Identities made under a previous workspace id of this partner no longer resolve.
constexpr const char* sql_drop_stale_identities =
    "DELETE FROM chat_identities WHERE platform = ?1 AND workspace_id <> ?2 "
    "AND member_id IN (SELECT id FROM members WHERE partner_id = ?3)";

constexpr const char* sql_analyze = "ANALYZE";

std::vector<std::string> ids_of(database& db, const char* sql_text, std::string_view partner_id) {
  sql::query q(db, sql_text);
  q.bind(1, partner_id);
  std::vector<std::string> out;
  while (q.step())
    out.push_back(q.text(0));
  return out;
}

void check_ownership(database& db, const snap& s, std::span<const snapshot_platform> platforms) {
  auto owner = [&](const char* sql_text, std::string_view key,
                   std::string_view self) -> std::optional<std::string> {
    sql::query q(db, sql_text);
    q.bind(1, key);
    if (q.parameter_count() >= 2) q.bind(2, self);
    if (!q.step()) return std::nullopt;
    return q.text(0);
  };
  for (std::size_t k = 0; k < platforms.size(); ++k) {
    if (s.workspaces[k].empty()) continue;
    sql::query q(db, sql_workspace_owner);
    q.bind(1, platforms[k].platform).bind(2, s.workspaces[k]).bind(3, s.p.id);
    if (q.step())
      fail(field("partner", platforms[k].workspace_key),
           fmt::format("{} already belongs to partner {}", in_quotes(s.workspaces[k]), in_quotes(q.text(0))));
  }
  for (std::size_t i = 0; i < s.members.size(); ++i)
    if (auto other = owner(sql_member_owner, s.members[i].m.id, s.p.id); other && *other != s.p.id)
      fail(field(element("members", i), "id"),
           fmt::format("{} already belongs to partner {}", in_quotes(s.members[i].m.id), in_quotes(*other)));
  for (std::size_t i = 0; i < s.clients.size(); ++i)
    if (auto other = owner(sql_client_owner, s.clients[i].c.id, s.p.id); other && *other != s.p.id)
      fail(field(element("clients", i), "id"),
           fmt::format("{} already belongs to partner {}", in_quotes(s.clients[i].c.id), in_quotes(*other)));
}

import_result write(database& db, const snap& s, std::span<const snapshot_platform> platforms) {
  import_result r;
  transaction tx(db);
  check_ownership(db, s, platforms);
  {
    sql::query q(db, sql_upsert_partner);
    q.bind(1, s.p.id).bind(2, s.p.name);
    q.exec();
  }
  for (std::size_t k = 0; k < platforms.size(); ++k) {
    sql::query clear(db, sql_clear_workspace);
    clear.bind(1, s.p.id).bind(2, platforms[k].platform);
    clear.exec();
    if (s.workspaces[k].empty()) continue;
    sql::query add(db, sql_insert_workspace);
    add.bind(1, platforms[k].platform).bind(2, s.workspaces[k]).bind(3, s.p.id);
    add.exec();
  }

  std::unordered_set<std::string> keep;
  for (const auto& sm : s.members) {
    sql::query q(db, sql_upsert_member);
    q.bind(1, sm.m.id)
        .bind(2, s.p.id)
        .bind(3, sm.m.name)
        .bind(4, sm.m.email)
        .bind(5, text::fold_case(sm.m.email));
    q.bind(6, to_string(sm.m.role));
    q.exec();
    keep.insert(sm.m.id);
  }
  for (const auto& id : ids_of(db, sql_member_ids, s.p.id)) {
    if (keep.contains(id)) continue;
    sql::query q(db, sql_delete_member);
    q.bind(1, id);
    q.exec();
  }

  keep.clear();
  for (const auto& sc : s.clients) {
    const auto& c = sc.c;
    std::string name = c.name;
    {
      sql::query q(db, sql_newer_pleo_name);
      q.bind(1, c.id).bind(2, c.synced_at);
      if (q.step()) name = q.text(0);
    }
    {
      sql::query q(db, sql_upsert_client);
      q.bind(1, c.id).bind(2, s.p.id).bind(3, name).bind(4, to_string(c.status));
      q.bind_blob(5, text::danish_sort_key(name))
          .bind(6, text::fold_case(name))
          .bind(7, text::fold_ascii(name));
      q.exec();
    }
    {
      sql::query q(db, sql_upsert_metrics);
      q.bind(1, c.id).bind(2, c.wallet_balance.minor).bind(3, c.wallet_balance.currency);
      q.bind(4, c.missing_receipts).bind(5, c.ready_for_export).bind(6, c.synced_at);
      q.exec();
    }
    sql::query q(db, sql_update_balance);
    q.bind(1, c.id).bind(2, c.wallet_balance.minor).bind(3, c.wallet_balance.currency).bind(4, c.synced_at);
    q.exec();
    keep.insert(c.id);
  }
  for (const auto& id : ids_of(db, sql_client_ids, s.p.id)) {
    if (keep.contains(id)) continue;
    sql::query q(db, sql_delete_client);
    q.bind(1, id);
    q.exec();
    ++r.removed_clients;
  }

  {
    sql::query q(db, sql_clear_assignments);
    q.bind(1, s.p.id);
    q.exec();
  }
  for (const auto& sc : s.clients) {
    for (const auto& member_id : sc.bookkeepers) {
      sql::query q(db, sql_insert_assignment);
      q.bind(1, sc.c.id).bind(2, member_id);
      q.exec();
    }
  }

  auto drop_stale = [&](std::string_view platform, std::string_view workspace) {
    sql::query q(db, sql_drop_stale_identities);
    q.bind(1, platform).bind(2, workspace).bind(3, s.p.id);
    q.exec();
  };
  for (std::size_t k = 0; k < platforms.size(); ++k)
    drop_stale(platforms[k].platform, s.workspaces[k]);
  for (const auto& sm : s.members) {
    for (std::size_t k = 0; k < platforms.size(); ++k) {
      if (sm.user_ids[k].empty()) continue;
      {
        sql::query q(db, sql_unlink_identity);
        q.bind(1, platforms[k].platform).bind(2, s.workspaces[k]).bind(3, sm.user_ids[k]).bind(4, sm.m.id);
        q.exec();
      }
      sql::query q(db, sql_link_identity);
      q.bind(1, platforms[k].platform).bind(2, s.workspaces[k]).bind(3, sm.user_ids[k]).bind(4, sm.m.id);
      q.exec();
    }
  }

  tx.commit();
  r.ok = true;
  r.partner_id = s.p.id;
  r.members = static_cast<int>(s.members.size());
  r.clients = static_cast<int>(s.clients.size());
  return r;
}

} // namespace

import_result import_snapshot(database& db, std::string_view json_text, std::string_view now_iso,
                              std::span<const snapshot_platform> platforms) {
  try {
    auto result = write(db, validate(json_text, now_iso, platforms), platforms);
    // Fresh statistics let the planner pick the assignment index for a
    // bookkeeper's few clients and the name index for a whole firm.
    if (!db.in_transaction()) db.exec(sql_analyze);
    return result;
  } catch (const invalid& e) {
    import_result r;
    r.error = e.message;
    return r;
  }
}

} // namespace store
