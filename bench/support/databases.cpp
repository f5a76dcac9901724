#include "bench/support/databases.hpp"

#include "store/engine.hpp"

#include <atomic>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdlib>
#include <fmt/format.h>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace bench {
namespace {

std::string engine_of(std::string name) {
  if (name == "sqlite") return "sqlite";
  if (name == "postgresql" || name == "postgres" || name == "pg") return "postgresql";
  throw std::invalid_argument("unknown engine '" + name + "' (sqlite or postgresql)");
}

// `server` with its database replaced by `database`; the rest (user,
// password, host, sslmode, options) as given.
std::string on_database(const std::string& server, const std::string& database) {
  auto parsed = boost::urls::parse_uri(server);
  if (!parsed) throw std::invalid_argument("not a PostgreSQL URI: " + store::engine::redacted(server));
  boost::urls::url u = *parsed;
  u.set_path("/" + database);
  return std::string(u.buffer());
}

// The server is on this machine, so its processes' /proc entries are its own.
bool local_server(const std::string& server) {
  auto parsed = boost::urls::parse_uri(server);
  if (!parsed) return false;
  const auto host = parsed->host();
  if (host == "127.0.0.1" || host == "localhost" || host == "::1") return true;
  if (!host.empty()) return false;
  for (const auto& p : parsed->params())
    if (p.key == "host") return p.value.starts_with("/") || p.value == "127.0.0.1" || p.value == "localhost";
  return true; // no host: libpq's default Unix socket
}

void admin_exec(const std::string& server, const std::string& sql_text) {
  pqxx::connection c(server);
  pqxx::nontransaction tx(c); // CREATE / DROP DATABASE cannot run in a transaction block
  tx.exec(sql_text);
}

} // namespace

std::vector<std::string> parse_engines(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(engine_of(item));
  if (out.empty()) throw std::invalid_argument("no engine named (sqlite, postgresql or both)");
  return out;
}

std::string default_postgres_server() {
  const char* uri = std::getenv("PARTNERBOT_TEST_PG");
  return uri ? uri : "";
}

void require_postgres_server(const std::vector<std::string>& engines, const std::string& server) {
  for (const auto& e : engines)
    if (e == "postgresql" && server.empty())
      throw std::invalid_argument("PostgreSQL needs a server: run under scripts/with-postgres "
                                  "(PARTNERBOT_TEST_PG) or give --postgres URI");
}

scratch_database::scratch_database(const std::string& engine, const std::filesystem::path& dir,
                                   const std::string& server)
    : engine_(engine_of(engine)) {
  if (engine_ == "sqlite") {
    location_ = (dir / "bench.db").string();
    return;
  }
  static std::atomic<int> serial{0};
  server_ = server;
  name_ = fmt::format("partnerbot_bench_{}_{}", ::getpid(), serial++);
  admin_exec(server_, "CREATE DATABASE " + name_);
  location_ = on_database(server_, name_);
}

scratch_database::~scratch_database() {
  if (engine_ == "sqlite") {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(location_ + suffix, ignored);
    return;
  }
  try {
    admin_exec(server_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    fmt::print(stderr, "could not drop the benchmark's database {}: {}\n", name_, e.what());
  }
}

std::vector<pid_t> scratch_database::backend_pids() const {
  if (engine_ != "postgresql" || !local_server(server_)) return {};
  pqxx::connection c(server_);
  pqxx::nontransaction tx(c);
  std::vector<pid_t> out;
  const auto rows = tx.exec("SELECT pid FROM pg_stat_activity WHERE datname = " + tx.quote(name_));
  for (pqxx::result::size_type i = 0; i < rows.size(); ++i)
    out.push_back(rows[i][0].as<int>());
  return out;
}

std::string engine_title(const std::string& engine) {
  return engine == "postgresql" ? "PostgreSQL" : "SQLite";
}

} // namespace bench
