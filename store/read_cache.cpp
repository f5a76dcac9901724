#include "store/read_cache.hpp"

#include "store/clients.hpp"
#include "store/database.hpp"
#include "store/sql_util.hpp"

#include <sqlite3.h>

namespace store {
namespace {

constexpr const char* sql_generation = "SELECT n FROM client_generation WHERE id = 1";
// A bound on memory (a few MiB): distinct questions asked between two data changes.
constexpr std::size_t max_entries = 4096;

} // namespace

bool read_cache::usable(database& db) {
  if (sqlite3_get_autocommit(db.sql().getHandle()) == 0 && !db.in_read_snapshot()) return false;
  std::int64_t now = 0;
  {
    sql::query q(db, sql_generation);
    if (q.step()) now = q.int64(0);
  }
  if (now != generation_ ||
      pages.size() + counts.size() + names.size() + visible_names.size() > max_entries) {
    clear();
    generation_ = now;
  }
  return true;
}

void read_cache::clear() {
  pages.clear();
  counts.clear();
  names.clear();
  visible_names.clear();
}

} // namespace store
