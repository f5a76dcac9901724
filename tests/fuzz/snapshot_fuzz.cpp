// A snapshot file -> the importer, on one in-memory database. Each import
// runs inside a transaction that is rolled back, so every input meets the
// same empty store and a crash reproduces from its input alone. Every
// platform's fields are read, as the bot reads them.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static store::database db(":memory:");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  store::transaction undo(db); // never committed
  (void)bot::import_snapshot(db, text, "2026-11-27T09:00:00Z");
  return 0;
}
