#include "store/sort_keys.hpp"

#include "store/sql_util.hpp"
#include "text/danish.hpp"

#include <string>
#include <utility>
#include <vector>

namespace store {
namespace {

constexpr const char* sql_collation = "SELECT version FROM sort_key_collation WHERE id = 1";
constexpr const char* sql_client_names = "SELECT pk, name FROM clients";
constexpr const char* sql_set_sort_key = "UPDATE clients SET sort_key = ?2 WHERE pk = ?1";
constexpr const char* sql_set_collation = "UPDATE sort_key_collation SET version = ?1 WHERE id = 1";

std::string stored_collation(database& db) {
  sql::query q(db, sql_collation);
  return q.step() ? q.text(0) : std::string{};
}

} // namespace

int refresh_sort_keys(database& db) {
  const auto current = text::danish_sort_key_version();
  if (stored_collation(db) == current) return 0;
  transaction tx(db);
  // Another process may have remade them while this one waited for the lock.
  if (stored_collation(db) == current) return 0;
  std::vector<std::pair<std::int64_t, std::string>> names;
  {
    sql::query q(db, sql_client_names);
    while (q.step())
      names.emplace_back(q.int64(0), q.text(1));
  }
  for (const auto& [pk, name] : names) {
    sql::query q(db, sql_set_sort_key);
    q.bind(1, pk).bind_blob(2, text::danish_sort_key(name));
    q.exec();
  }
  sql::query q(db, sql_set_collation);
  q.bind(1, current);
  q.exec();
  tx.commit();
  return static_cast<int>(names.size());
}

} // namespace store
