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

std::int64_t client_generation(database& db) {
  sql::query q(db, sql_generation);
  return q.step() ? q.int64(0) : 0;
}

bool read_cache::usable(database& db) {
  if (sqlite3_get_autocommit(db.sql().getHandle()) == 0 && !db.in_read_snapshot()) return false;
  const auto snapshot = db.read_snapshot_serial();
  if (snapshot == 0 || snapshot != checked_in_) {
    const auto now = client_generation(db);
    if (now != generation_) {
      clear();
      generation_ = now;
    }
    checked_in_ = snapshot;
  }
  if (pages.size() + counts.size() + names.size() + visible_names.size() > max_entries) clear();
  return true;
}

void read_cache::clear() {
  pages.clear();
  counts.clear();
  names.clear();
  visible_names.clear();
}

} // namespace store
