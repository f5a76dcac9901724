#pragma once
// Where a benchmark keeps its data, on either engine: a SQLite file in a
// scratch folder, or a database of its own on a PostgreSQL server, created
// for the run and dropped after it, so that runs never see each other's rows.

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bench {

// "sqlite,postgresql" (also "postgres", "pg") as engine names in order;
// std::invalid_argument for anything else or an empty list.
std::vector<std::string> parse_engines(const std::string& list);

// The PostgreSQL server benchmarks use unless told otherwise: the one
// scripts/with-postgres starts (PARTNERBOT_TEST_PG), or "".
std::string default_postgres_server();

// Throws std::invalid_argument when `engines` names PostgreSQL and
// `server` is empty, saying how to give one.
void require_postgres_server(const std::vector<std::string>& engines, const std::string& server);

class scratch_database {
public:
  // "sqlite": `dir`/bench.db. "postgresql": a new database on `server` (a
  // libpq URI; its user may create databases).
  scratch_database(const std::string& engine, const std::filesystem::path& dir, const std::string& server);
  ~scratch_database(); // removes the file, or drops the database
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  const std::string& engine() const { return engine_; }
  // What PARTNERBOT_DB (or store::database) takes. Holds a password on
  // PostgreSQL: never print it.
  const std::string& location() const { return location_; }
  // The PostgreSQL server processes serving this database's connections
  // now, when the server runs on this machine (their CPU time is readable
  // in /proc); empty on SQLite or a remote server.
  std::vector<pid_t> backend_pids() const;

private:
  std::string engine_;
  std::string location_;
  std::string server_; // PostgreSQL: where the database was created from
  std::string name_;   // PostgreSQL: the database's name
};

// "SQLite" or "PostgreSQL", for tables.
std::string engine_title(const std::string& engine);

} // namespace bench
