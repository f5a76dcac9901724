#pragma once
// Per-connection cache of client-list answers. Lists, counts and name
// lookups are pure functions of the client tables, which change rarely
// (imports, syncs); every change bumps client_generation (triggers), and the
// cache empties itself when the generation it was filled at is not current.
// Inside an open write transaction nothing is cached or served (what it
// reads might still roll back); inside a read_snapshot it is, and the generation is read once per snapshot.
// Same threading rule as database: one thread at a time.

#include "store/types.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace store {

class database;
struct name_match;

// The client data's generation as the connection sees it now.
std::int64_t client_generation(database& db);

class read_cache {
public:
  // True when the cache may be used now; empties it if the data changed.
  bool usable(database& db);
  // The client data's generation read by the last usable() that returned true.
  std::int64_t generation() const { return generation_; }

  std::unordered_map<std::string, client_page> pages;
  std::unordered_map<std::string, tab_counts> counts;
  std::unordered_map<std::string, std::shared_ptr<const name_match>> names;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<std::string>>> visible_names;

private:
  void clear();
  std::int64_t generation_ = -1;
  std::uint64_t checked_in_ = 0; // the read snapshot generation_ was last read in
};

} // namespace store
