#pragma once
// Allocation counts from jemalloc when the process runs on it (the server
// does; the tests do not), for /metrics: the load benchmark divides them by
// the requests it sent to get allocations per request. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>

namespace bot {

struct heap_counts {
  std::uint64_t allocations = 0;     // allocation requests since start
  std::uint64_t allocated_bytes = 0; // bytes allocated now
};

// nullopt without jemalloc (or without its statistics).
std::optional<heap_counts> heap_stats();

// Exposition lines for heap_stats() (nothing without jemalloc).
void collect_heap_metrics(std::string& out);

} // namespace bot
