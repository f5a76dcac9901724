#pragma once
// One SQLite connection, migrated on open, with a cache of prepared
// statements. Not thread-safe: use one per thread (the server runs one).

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <memory>
#include <string>

namespace store {

class read_cache;

class database {
public:
  // Opens (creating if needed) the file, or ":memory:"; sets WAL, a busy
  // timeout and foreign keys; runs pending migrations.
  explicit database(const std::string& path);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  SQLite::Database& sql() { return db_; }

  // A prepared statement for `sql_text` (a named constant: the pointer is
  // the cache key), reset and with bindings cleared, ready to bind.
  SQLite::Statement& cached(const char* sql_text);

  int schema_version();
  bool reachable(); // a trivial query succeeds

  // Answers of client-list queries, valid until the client data changes.
  read_cache& cache() { return *cache_; }

private:
  SQLite::Database db_;
  std::map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
  std::unique_ptr<read_cache> cache_;
};

// RAII write transaction (BEGIN IMMEDIATE); rolls back unless committed.
// Inside another transaction on the same connection it is a savepoint.
class transaction {
public:
  explicit transaction(database& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit();

private:
  database& db_;
  bool nested_ = false; // inside a caller's transaction: a savepoint
  bool done_ = false;
};

} // namespace store
