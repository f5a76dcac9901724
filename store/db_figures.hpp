#pragma once
// This process's figures about its database work, for /metrics: how many
// connections it holds, and how its outbox claims fared against other
// deliverers (other instances on the same database).

#include <cstddef>
#include <cstdint>

namespace store {

// Connections open now (each thread that works on the store has its own:
// no pool is shared between threads).
std::size_t open_connections();

// Outbox claims since start, over every connection: rows won, and rows
// another deliverer had claimed first.
struct outbox_claim_totals {
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
};
outbox_claim_totals outbox_claims();

} // namespace store
