#pragma once
// Moving a store from one engine to the other: every row of every table,
// from one database into an empty one, in one transaction on the target,
// with each table's row count checked before it commits.

#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace store {

struct copied_table {
  std::string name;
  std::int64_t rows = 0;
};

// Throws (and the target keeps nothing) when the target holds data, or when
// a count differs after the copy.
std::vector<copied_table> copy_database(database& from, database& to);

} // namespace store
