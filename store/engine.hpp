#pragma once
// The two database engines behind the store: SQLite (a file, the default)
// and PostgreSQL (a libpq URI, for several instances on one database). The
// store speaks to either through this small interface: a connection that
// prepares statements and runs transactions, and statements with typed
// parameters and row access. Statements use SQLite's placeholders (?, ?N);
// the PostgreSQL engine rewrites them to $N once, when it prepares.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace store::engine {

enum class kind { sqlite, postgres };

const char* name(kind k);

// A PostgreSQL URI (postgresql:// or postgres://) selects PostgreSQL;
// anything else is a SQLite path.
kind kind_of(std::string_view location);

// The location fit for a log line: a URI's password is replaced by "***".
std::string redacted(std::string_view location);

class statement {
public:
  virtual ~statement() = default;
  // Ends any result and clears the parameters.
  virtual void reset() = 0;
  virtual void bind_text(int index, std::string_view text) = 0;
  virtual void bind_int(int index, std::int64_t value) = 0;
  virtual void bind_blob(int index, std::string_view bytes) = 0;
  virtual void bind_null(int index) = 0;
  virtual int parameter_count() const = 0;
  // The next row of the result (running the statement on the first call).
  virtual bool step() = 0;
  // Runs the statement; the number of rows it changed.
  virtual int exec() = 0;
  virtual int column_count() = 0; // of the current row
  virtual std::string column_name(int column) = 0;
  virtual bool is_null(int column) = 0;
  virtual std::string text(int column) = 0;   // NULL reads as ""
  virtual std::int64_t int64(int column) = 0; // NULL reads as 0; booleans as 0 or 1
  virtual std::string blob(int column) = 0;
};

class connection {
public:
  virtual ~connection() = default;
  virtual kind engine() const = 0;
  // A statement prepared once on this connection (`sql_text` is its key).
  virtual statement& prepared(const char* sql_text) = 0;
  // A statement of its own (for results read while the store is re-entered).
  virtual std::unique_ptr<statement> fresh(std::string_view sql_text) = 0;
  // Runs statements without parameters or results.
  virtual void exec(std::string_view sql_text) = 0;

  virtual bool in_transaction() const = 0;
  // A read snapshot (one consistent view for several reads).
  virtual void begin_read() = 0;
  // A write transaction; SQLite takes the write lock at once.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  virtual void savepoint(const char* name) = 0;
  virtual void release(const char* name) = 0;
  virtual void rollback_to(const char* name) noexcept = 0;

  virtual int schema_version() = 0;
  // Brings the schema up to date; two processes starting together migrate once.
  virtual void migrate() = 0;
  virtual bool reachable() = 0;
  virtual std::optional<std::string> write_failure() = 0;
};

std::unique_ptr<connection> open_sqlite(const std::string& path);
std::unique_ptr<connection> open_postgres(const std::string& uri);

} // namespace store::engine
