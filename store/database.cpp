#include "store/database.hpp"

#include "store/db_figures.hpp"
#include "store/engine_sqlite.hpp"
#include "store/read_model.hpp"
#include "store/sort_keys.hpp"
#include "text/log_escape.hpp"

#include <atomic>
#include <stdexcept>

namespace store {
namespace {

std::atomic<std::size_t> connections_open{0};

} // namespace

database::database(const std::string& location)
    : conn_(engine::kind_of(location) == engine::kind::postgres ? engine::open_postgres(location)
                                                                : engine::open_sqlite(location)) {
  conn_->migrate();
  models_ = std::make_shared<read_models>();
  refresh_sort_keys(*this);
  ++connections_open;
}

database::~database() {
  --connections_open;
}

std::size_t open_connections() {
  return connections_open.load();
}

bool database::in_write_transaction() {
  return conn_->in_transaction() && !in_read_snapshot();
}

void database::share_read_models(std::shared_ptr<read_models> models) {
  models_ = std::move(models);
}

SQLite::Database& database::sql() {
  auto* sqlite = dynamic_cast<engine::sqlite_connection*>(conn_.get());
  if (!sqlite) throw std::logic_error("a SQLite-only operation on a PostgreSQL database");
  return sqlite->db();
}

int database::schema_version() {
  return conn_->schema_version();
}

std::optional<std::string> database::write_failure() {
  return conn_->write_failure();
}

bool database::reachable() {
  return conn_->reachable();
}

read_snapshot::read_snapshot(database& db) : db_(db) {
  if (db_.in_transaction()) return;
  db_.connection().begin_read();
  owner_ = true;
  ++db_.read_snapshot_depth_;
  ++db_.read_snapshot_serial_;
}

read_snapshot::~read_snapshot() {
  if (!owner_) return;
  --db_.read_snapshot_depth_;
  try {
    db_.connection().commit();
  } catch (...) {
    db_.connection().rollback();
  }
}

// Nested use (a store call inside a caller's transaction) becomes a savepoint,
// so the inner work commits or rolls back with the outer transaction.
transaction::transaction(database& db) : db_(db) {
  nested_ = db_.in_transaction();
  if (nested_)
    db_.connection().savepoint("store_nested");
  else
    db_.connection().begin_write();
}

transaction::~transaction() {
  if (done_) return;
  if (nested_)
    db_.connection().rollback_to("store_nested");
  else
    db_.connection().rollback();
}

void transaction::commit() {
  if (nested_)
    db_.connection().release("store_nested");
  else
    db_.connection().commit();
  done_ = true;
}

} // namespace store
