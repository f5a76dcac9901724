#include "store/copy.hpp"

#include "store/sql_util.hpp"

#include <fmt/format.h>
#include <set>
#include <stdexcept>

namespace store {
namespace {

// In the order references allow. The single-row tables the migrations fill
// (the client generation, the sort keys' collation) are updated, not copied.
constexpr const char* copied_tables[] = {"partners",
                                         "workspaces",
                                         "members",
                                         "chat_identities",
                                         "clients",
                                         "client_metrics",
                                         "assignments",
                                         "subscriptions",
                                         "channel_subscriptions",
                                         "digest_slots",
                                         "outbox",
                                         "reminders",
                                         "reminder_recipients",
                                         "identity_links",
                                         "chat_addresses",
                                         "pleo_credentials",
                                         "pleo_sync_state",
                                         "member_languages",
                                         "pleo_sync_leases",
                                         "workspace_installations",
                                         "install_states"};

// Tables whose ids the target numbers itself afterwards (PostgreSQL identity columns).
constexpr const char* numbered_tables[] = {"clients", "outbox", "reminders", "identity_links"};

const std::set<std::string, std::less<>> blob_columns = {
    "sort_key", "nonce", "secret", "token_nonce", "token", "refresh_nonce", "refresh_token"};

std::int64_t count_rows(database& db, const char* table) {
  auto q = db.connection().fresh(fmt::format("SELECT count(*) FROM {}", table));
  return q->step() ? q->int64(0) : 0;
}

std::int64_t copy_table(database& from, database& to, const char* table) {
  auto rows = from.connection().fresh(fmt::format("SELECT * FROM {}", table));
  std::unique_ptr<engine::statement> insert;
  std::vector<bool> is_blob;
  std::int64_t copied = 0;
  while (rows->step()) {
    const int columns = rows->column_count();
    if (!insert) {
      std::string names, marks;
      for (int i = 0; i < columns; ++i) {
        const auto name = rows->column_name(i);
        is_blob.push_back(blob_columns.contains(name));
        names += (i ? ", " : "") + name;
        marks += (i ? ", ?" : "?");
      }
      insert = to.connection().fresh(fmt::format("INSERT INTO {}({}) VALUES ({})", table, names, marks));
    }
    insert->reset();
    for (int i = 0; i < columns; ++i) {
      if (rows->is_null(i))
        insert->bind_null(i + 1);
      else if (is_blob[static_cast<std::size_t>(i)])
        insert->bind_blob(i + 1, rows->blob(i));
      else
        insert->bind_text(i + 1, rows->text(i));
    }
    insert->exec();
    ++copied;
  }
  return copied;
}

} // namespace

std::vector<copied_table> copy_database(database& from, database& to) {
  for (const char* table : copied_tables)
    if (count_rows(to, table) != 0)
      throw std::runtime_error(fmt::format("the target is not empty: table {} has rows", table));
  std::vector<copied_table> out;
  read_snapshot source(from);
  transaction tx(to);
  for (const char* table : copied_tables) {
    const auto copied = copy_table(from, to, table);
    const auto expected = count_rows(from, table);
    const auto landed = count_rows(to, table);
    if (copied != expected || landed != expected)
      throw std::runtime_error(fmt::format("table {}: {} rows in the source, {} copied, {} in the target",
                                           table, expected, copied, landed));
    out.push_back({table, landed});
  }
  {
    auto collation = from.connection().fresh("SELECT version FROM sort_key_collation WHERE id = 1");
    if (collation->step()) {
      auto set = to.connection().fresh("UPDATE sort_key_collation SET version = ?1 WHERE id = 1");
      set->bind_text(1, collation->text(0));
      set->exec();
    }
  }
  if (to.engine_kind() == engine::kind::postgres)
    for (const char* table : numbered_tables) {
      const char* key = std::string_view(table) == "clients" ? "pk" : "id";
      to.exec(fmt::format("SELECT setval(pg_get_serial_sequence('{0}', '{1}'), "
                          "coalesce((SELECT max({1}) FROM {0}), 0) + 1, false)",
                          table, key));
    }
  tx.commit();
  return out;
}

} // namespace store
