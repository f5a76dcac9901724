#pragma once
// The PostgreSQL engine (libpqxx over libpq): several instances share one
// database. The URI goes to libpq as given, so its sslmode and other
// options apply.

#include "store/engine.hpp"

#include <map>
#include <pqxx/connection>
#include <pqxx/transaction_base>

namespace store::engine {

// SQLite's placeholders (?, ?N) as PostgreSQL's ($N); outside quotes only.
// `parameters` gets the highest parameter number.
std::string postgres_placeholders(std::string_view sql_text, int* parameters = nullptr);

class postgres_connection final : public connection {
public:
  explicit postgres_connection(const std::string& uri);
  ~postgres_connection() override;

  kind engine() const override { return kind::postgres; }
  statement& prepared(const char* sql_text) override;
  std::unique_ptr<statement> fresh(std::string_view sql_text) override;
  void exec(std::string_view sql_text) override;
  bool in_transaction() const override { return tx_ != nullptr; }
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

  pqxx::connection& raw() { return conn_; }
  // The open transaction, or nullptr (statements then run on their own).
  pqxx::transaction_base* current() { return tx_.get(); }

private:
  pqxx::connection conn_;
  std::unique_ptr<pqxx::transaction_base> tx_;
  std::map<const char*, std::unique_ptr<statement>> statements_;
  int next_name_ = 0;
};

} // namespace store::engine
