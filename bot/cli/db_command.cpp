#include "bot/cli/db_command.hpp"

#include "store/copy.hpp"
#include "store/database.hpp"

#include <exception>
#include <filesystem>
#include <fmt/format.h>
#include <ostream>

namespace bot {

int run_db_copy(const std::string& from, const std::string& to, std::ostream& out, std::ostream& err) {
  const auto from_shown = store::engine::redacted(from);
  const auto to_shown = store::engine::redacted(to);
  if (from == to) {
    err << "partnerbot: db copy: source and target are the same database\n";
    return 1;
  }
  // Opening a SQLite path creates the file: a mistyped source would copy nothing.
  std::error_code ec;
  if (store::engine::kind_of(from) == store::engine::kind::sqlite && !std::filesystem::exists(from, ec)) {
    err << fmt::format("partnerbot: db copy: the source {} does not exist\n", from_shown);
    return 1;
  }
  try {
    store::database source(from);
    store::database target(to);
    const auto tables = store::copy_database(source, target);
    std::int64_t rows = 0;
    for (const auto& t : tables) {
      out << fmt::format("{:<22} {:>9}\n", t.name, t.rows);
      rows += t.rows;
    }
    out << fmt::format("copied {} rows from {} ({}) to {} ({})\n", rows, from_shown,
                       store::engine::name(source.engine_kind()), to_shown,
                       store::engine::name(target.engine_kind()));
    return 0;
  } catch (const std::exception& e) {
    // libpq's messages name the host and user, never the password.
    err << fmt::format("partnerbot: db copy from {} to {}: {}\n", from_shown, to_shown, e.what());
    return 1;
  }
}

} // namespace bot
