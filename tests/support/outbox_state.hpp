#pragma once
// Waiting on the outbox, read from the database file as another process
// would: what tests wait on instead of sleeping until sends are over.

#include "store/database.hpp"
#include "store/outbox.hpp"
#include "support/conditions.hpp"

#include <chrono>
#include <string>

namespace test_support {

// True once no row is pending (held rows included): every queued message has
// been sent or has failed for good, so the outbox sends nothing more.
inline bool outbox_drained(const std::string& db_path,
                           std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  return eventually(
      [&] {
        store::database db(db_path);
        return store::outbox(db).counts().pending == 0;
      },
      limit);
}

} // namespace test_support
