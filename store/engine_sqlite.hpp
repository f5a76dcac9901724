#pragma once
// The SQLite engine (SQLiteCpp): one file, WAL, one writer at a time.

#include "store/engine.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <map>

namespace store::engine {

class sqlite_connection final : public connection {
public:
  explicit sqlite_connection(const std::string& path);
  SQLite::Database& db() { return db_; }

  kind engine() const override { return kind::sqlite; }
  statement& prepared(const char* sql_text) override;
  std::unique_ptr<statement> fresh(std::string_view sql_text) override;
  void exec(std::string_view sql_text) override;
  bool in_transaction() const override;
  void begin_read() override;
  void begin_write() override;
  void commit() override;
  void rollback() noexcept override;
  void savepoint(const char* name) override;
  void release(const char* name) override;
  void rollback_to(const char* name) noexcept override;
  int schema_version() override;
  void migrate() override;
  bool reachable() override;
  std::optional<std::string> write_failure() override;

private:
  SQLite::Database db_;
  std::map<const char*, std::unique_ptr<statement>> statements_;
};

} // namespace store::engine
