#include "bot/cli/heap_stats.hpp"

#include "bot/net/metrics.hpp"

#include <cstddef>
#include <fmt/format.h>

// Resolved only when jemalloc is linked into the executable.
extern "C" int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen)
    __attribute__((weak));

namespace bot {
namespace {

template <class T> bool read(const char* name, T& value) {
  std::size_t size = sizeof(T);
  return mallctl(name, &value, &size, nullptr, 0) == 0 && size == sizeof(T);
}

} // namespace

std::optional<heap_counts> heap_stats() {
  if (!mallctl) return std::nullopt;
  bool enabled = false;
  if (!read("config.stats", enabled) || !enabled) return std::nullopt;
  // Statistics are snapshots taken when the epoch advances.
  std::uint64_t epoch = 1;
  std::size_t size = sizeof(epoch);
  if (mallctl("epoch", &epoch, &size, &epoch, size) != 0) return std::nullopt;
  // 4096 is MALLCTL_ARENAS_ALL: every arena merged. nrequests counts
  // allocations served from the thread caches too.
  std::uint64_t small = 0, large = 0;
  std::size_t allocated = 0;
  if (!read("stats.arenas.4096.small.nrequests", small) ||
      !read("stats.arenas.4096.large.nrequests", large) || !read("stats.allocated", allocated))
    return std::nullopt;
  return heap_counts{small + large, allocated};
}

void collect_heap_metrics(std::string& out) {
  const auto h = heap_stats();
  if (!h) return;
  write_metric(out, "partnerbot_heap_allocations_total", "Heap allocations since start (jemalloc).",
               "counter", h->allocations);
  write_metric(out, "partnerbot_heap_allocated_bytes", "Heap bytes in use (jemalloc).", "gauge",
               h->allocated_bytes);
}

} // namespace bot
