#pragma once
// The engines the store's tests run on. Each test that opens its database
// through `store_test::location()` runs once per engine: SQLite always, and
// PostgreSQL when PARTNERBOT_TEST_PG names a server (scripts/with-postgres
// starts one), each run on an empty schema of its own. Without it the
// PostgreSQL half is skipped with a warning.

#include "store/database.hpp"
#include "store/sql_util.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <string>
#include <unistd.h>
#include <vector>

namespace store_test {

inline const char* test_postgres_uri() {
  const char* uri = std::getenv("PARTNERBOT_TEST_PG");
  return uri && *uri ? uri : nullptr;
}

inline std::vector<std::string> engines_under_test() {
  if (test_postgres_uri()) return {"sqlite", "postgresql"};
  static std::once_flag warned;
  std::call_once(warned, [] {
    std::cerr << "WARNING: PARTNERBOT_TEST_PG is not set: the store tests' PostgreSQL half is skipped "
                 "(run them under scripts/with-postgres)\n";
  });
  return {"sqlite"};
}

// A URI for an empty schema of its own on the test server.
inline std::string fresh_postgres_schema() {
  static std::atomic<int> serial{0};
  const std::string base = test_postgres_uri();
  const auto name = "t" + std::to_string(::getpid()) + "_" + std::to_string(serial++);
  {
    pqxx::connection c(base);
    pqxx::nontransaction tx(c);
    tx.exec("CREATE SCHEMA " + name);
  }
  return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" + name;
}

// The engine of this run of the test (a generator: the test runs once per engine).
inline std::string engine_under_test() {
  return GENERATE(from_range(engines_under_test()));
}

// Where this run's database lives: `sqlite_location` on SQLite, a fresh
// schema on PostgreSQL. Call once per test and open every connection there.
inline std::string location(const std::string& sqlite_location = ":memory:") {
  const auto engine = engine_under_test();
  UNSCOPED_INFO("engine: " << engine);
  if (engine == "sqlite") return sqlite_location;
  return fresh_postgres_schema();
}

inline bool on_postgres(store::database& db) {
  return db.engine_kind() == store::engine::kind::postgres;
}

// The first column of the first row of a query without parameters.
inline std::int64_t scalar(store::database& db, const char* sql_text) {
  auto q = db.connection().fresh(sql_text);
  REQUIRE(q->step());
  return q->int64(0);
}

inline std::vector<std::string> column(store::database& db, const char* sql_text) {
  auto q = db.connection().fresh(sql_text);
  std::vector<std::string> out;
  while (q->step())
    out.push_back(q->text(0));
  return out;
}

} // namespace store_test
