#include "store/snapshot.hpp"

#include "store/money.hpp"
#include "store/sql_util.hpp"
#include "store/types.hpp"
#include "store/workspace_binding.hpp"
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

// A required string of the object at `path`.
std::string required_at(const json::object& o, const std::string& path, std::string_view key) {
  return string_at(o, key, field(path, key), true);
}

// A required field of the object at `path` that `parse` knows, or a failure naming what it expects.
template <class Parse>
auto parsed_at(const json::object& o, const std::string& path, std::string_view key, Parse parse,
               std::string_view what, std::string_view expected) {
  const auto text = required_at(o, path, key);
  const auto value = parse(text);
  if (!value) fail(field(path, key), fmt::format("unknown {} {} ({})", what, in_quotes(text), expected));
  return *value;
}

// Each object of the array `key` of `top`, made into an element of `out` by
// read(object, path, index).
template <class T, class Read>
void read_objects(const json::object& top, const char* key, std::vector<T>& out, Read read) {
  const auto& items = array_at(top, key, key);
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto path = element(key, i);
    out.push_back(read(object_at(items[i], path), path, i));
  }
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
  read_objects(top, "members", s.members,
               [&](const json::object& mo, const std::string& path, std::size_t i) {
                 snap_member sm;
                 sm.m = {required_at(mo, path, "id"), s.p.id, required_at(mo, path, "name"),
                         required_at(mo, path, "email"),
                         parsed_at(mo, path, "role", parse_role, "role", "admin or bookkeeper")};
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
                 return sm;
               });

  std::unordered_set<std::string> client_ids;
  read_objects(top, "clients", s.clients, [&](const json::object& co, const std::string& path, std::size_t) {
    snap_client sc;
    sc.c.partner_id = s.p.id;
    sc.c.id = required_at(co, path, "id");
    sc.c.name = required_at(co, path, "name");
    sc.c.status =
        parsed_at(co, path, "status", parse_client_status, "status", "invite, onboarding or active");

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
    return sc;
  });
  return s;
}

// ---- writing ------------------------------------------------------------------

constexpr const char* sql_workspace_owner =
    "SELECT partner_id FROM workspaces WHERE platform = ?1 AND workspace_id = ?2 AND partner_id <> ?3";
constexpr const char* sql_member_owner = "SELECT partner_id FROM members WHERE id = ?1";
constexpr const char* sql_client_owner = "SELECT partner_id FROM clients WHERE id = ?1";

constexpr const char* sql_upsert_partner =
    "INSERT INTO partners(id, name) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET name = excluded.name";
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
  return q.bind_all(partner_id).rows([](sql::query& r) { return r.text(0); });
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
    if (q.bind_all(platforms[k].platform, s.workspaces[k], s.p.id).step())
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
  sql::run(db, sql_upsert_partner, s.p.id, s.p.name);
  for (std::size_t k = 0; k < platforms.size(); ++k)
    sql::place_partner_workspace(db, platforms[k].platform, s.p.id, s.workspaces[k]);

  std::unordered_set<std::string> keep;
  for (const auto& sm : s.members) {
    sql::run(db, sql_upsert_member, sm.m.id, s.p.id, sm.m.name, sm.m.email, text::fold_case(sm.m.email),
             to_string(sm.m.role));
    keep.insert(sm.m.id);
  }
  for (const auto& id : ids_of(db, sql_member_ids, s.p.id))
    if (!keep.contains(id)) sql::run(db, sql_delete_member, id);

  keep.clear();
  for (const auto& sc : s.clients) {
    const auto& c = sc.c;
    std::string name = c.name;
    {
      sql::query q(db, sql_newer_pleo_name);
      if (q.bind_all(c.id, c.synced_at).step()) name = q.text(0);
    }
    sql::run(db, sql_upsert_client, c.id, s.p.id, name, to_string(c.status),
             sql::blob_value{text::danish_sort_key(name)}, text::fold_case(name), text::fold_ascii(name));
    sql::run(db, sql_upsert_metrics, c.id, c.wallet_balance.minor, c.wallet_balance.currency,
             c.missing_receipts, c.ready_for_export, c.synced_at);
    sql::run(db, sql_update_balance, c.id, c.wallet_balance.minor, c.wallet_balance.currency, c.synced_at);
    keep.insert(c.id);
  }
  for (const auto& id : ids_of(db, sql_client_ids, s.p.id)) {
    if (keep.contains(id)) continue;
    sql::run(db, sql_delete_client, id);
    ++r.removed_clients;
  }

  sql::run(db, sql_clear_assignments, s.p.id);
  for (const auto& sc : s.clients)
    for (const auto& member_id : sc.bookkeepers)
      sql::run(db, sql_insert_assignment, sc.c.id, member_id);

  for (std::size_t k = 0; k < platforms.size(); ++k)
    sql::run(db, sql_drop_stale_identities, platforms[k].platform, s.workspaces[k], s.p.id);
  for (const auto& sm : s.members) {
    for (std::size_t k = 0; k < platforms.size(); ++k) {
      if (sm.user_ids[k].empty()) continue;
      // The old links go before the new one is made.
      for (const char* sql_text : {sql_unlink_identity, sql_link_identity})
        sql::run(db, sql_text, platforms[k].platform, s.workspaces[k], sm.user_ids[k], sm.m.id);
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
