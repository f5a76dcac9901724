#pragma once
// One connection to the store's database, migrated on open, with a cache of
// prepared statements. The location chooses the engine: a PostgreSQL URI
// (postgresql://, postgres://) or a SQLite file path (the default). Not
// thread-safe: use one per thread (the server runs one).

#include "store/engine.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace store {

class read_models;

class database {
public:
  // SQLite: opens (creating if needed) the file, or ":memory:"; sets WAL, a
  // busy timeout and foreign keys. PostgreSQL: connects with the URI as
  // libpq reads it (sslmode included). Either way runs pending migrations.
  explicit database(const std::string& location);
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  engine::kind engine_kind() const { return conn_->engine(); }
  engine::connection& connection() { return *conn_; }
  // The SQLite handle, for SQLite-only work; throws on PostgreSQL.
  SQLite::Database& sql();
  // Runs statements without parameters or results (either engine).
  void exec(std::string_view sql_text) { conn_->exec(sql_text); }
  bool in_transaction() const { return conn_->in_transaction(); }

  int schema_version();
  bool reachable(); // a trivial query succeeds
  // Why a write cannot commit now (disk full, file read-only, I/O error),
  // or nothing when one can. Commits one page; never waits for another
  // writer's lock (a busy database counts as writable). For health checks:
  // call outside any transaction, and not on every request.
  std::optional<std::string> write_failure();

  // The in-memory read models client lists are answered from: this
  // connection's own (built on it when asked) unless shared, so that every
  // connection of a process uses one set, rebuilt in the background.
  read_models& models() { return *models_; }
  void share_read_models(std::shared_ptr<read_models> models);

  // Inside a read_snapshot: the open transaction only reads.
  bool in_read_snapshot() const { return read_snapshot_depth_ > 0; }
  // A transaction that may write is open (what it reads might roll back).
  bool in_write_transaction();
  // Tells read snapshots apart (a new number each; 0 outside one), so a
  // value read in one may be reused until it ends.
  std::uint64_t read_snapshot_serial() const { return in_read_snapshot() ? read_snapshot_serial_ : 0; }

private:
  friend class read_snapshot;
  int read_snapshot_depth_ = 0;
  std::uint64_t read_snapshot_serial_ = 0;
  std::unique_ptr<engine::connection> conn_;
  std::shared_ptr<read_models> models_;
};

// RAII read transaction (BEGIN DEFERRED ... COMMIT): the statements inside
// read one snapshot and take SQLite's file locks once instead of once each,
// which is most of a cached request's cost. Only for work that reads; inside
// another transaction it does nothing.
class read_snapshot {
public:
  explicit read_snapshot(database& db);
  ~read_snapshot();
  read_snapshot(const read_snapshot&) = delete;
  read_snapshot& operator=(const read_snapshot&) = delete;

private:
  database& db_;
  bool owner_ = false;
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
