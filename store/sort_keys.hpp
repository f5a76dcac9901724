#pragma once
// The clients' stored sort keys (text/danish.hpp) are only comparable when
// one collator made them all. The database remembers which one did; opening
// it with another (the first hand-written keys, or an upgraded ICU whose
// Danish rules or key format changed) remakes every key once.

#include "store/database.hpp"

namespace store {

// Remakes every client's sort key when the stored collation is not the
// current one, in one transaction. Returns how many keys were remade.
int refresh_sort_keys(database& db);

} // namespace store
