#include "fixture.hpp"
#include "store/database.hpp"
#include "store/engine_postgres.hpp"
#include "store/migrations.hpp"
#include "support/log_capture.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// Sets the process's umask while alive.
struct umask_for_test {
  mode_t previous;
  explicit umask_for_test(mode_t mask) : previous(::umask(mask)) {}
  ~umask_for_test() { ::umask(previous); }
};

// The permission bits of a file, or -1 when it does not exist.
int mode_of(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

} // namespace

TEST_CASE("opening an empty database migrates it to the latest schema version") {
  store::database db(":memory:");
  CHECK(db.schema_version() == static_cast<int>(store::migrations().size()));
  CHECK(db.reachable());
  for (const char* table :
       {"partners", "members", "chat_identities", "clients", "client_metrics", "assignments", "subscriptions",
        "channel_subscriptions", "digest_slots", "outbox", "reminders", "reminder_recipients"})
    CHECK(db.sql().tableExists(table));
  CHECK_FALSE(db.sql().tableExists("clients_fts")); // searches are the read model's
}

TEST_CASE("reopening a migrated file is a no-op and keeps data; the file uses WAL and foreign keys") {
  store_test::fresh_db_file tmp;
  {
    store::database db(tmp.path);
    CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    CHECK(db.sql().execAndGet("PRAGMA busy_timeout").getInt() == 5000);
    db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'Firm')");
  }
  store::database again(tmp.path);
  CHECK(again.schema_version() == static_cast<int>(store::migrations().size()));
  CHECK(again.sql().execAndGet("SELECT count(*) FROM partners").getInt() == 1);
}

TEST_CASE("a database from a newer program is refused") {
  store_test::fresh_db_file tmp;
  {
    store::database db(tmp.path);
    db.sql().exec("PRAGMA user_version = 999");
  }
  CHECK_THROWS(store::database(tmp.path));
}

TEST_CASE("prepared statements are reused, reset and cleared") {
  store::database db(store_test::location());
  static constexpr const char* sql_text = "SELECT ?1 + 1";
  auto& a = db.connection().prepared(sql_text);
  a.bind_int(1, 41);
  REQUIRE(a.step());
  CHECK(a.int64(0) == 42);
  auto& b = db.connection().prepared(sql_text);
  CHECK(&a == &b);
  REQUIRE(b.step()); // bindings cleared: NULL + 1 is NULL
  CHECK(b.is_null(0));
}

TEST_CASE("a transaction rolls back unless committed, and nests as a savepoint") {
  store::database db(store_test::location());
  auto count = [&] { return store_test::scalar(db, "SELECT count(*) FROM partners"); };
  {
    store::transaction tx(db);
    db.exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One')");
  }
  CHECK(count() == 0);
  {
    store::transaction outer(db);
    db.exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One')");
    {
      store::transaction inner(db);
      db.exec("INSERT INTO partners(id, name) VALUES ('p-2', 'Two')");
    } // inner rolled back alone
    {
      store::transaction inner(db);
      db.exec("INSERT INTO partners(id, name) VALUES ('p-3', 'Three')");
      inner.commit();
    }
    outer.commit();
  }
  CHECK(count() == 2);
  CHECK(store_test::column(db, "SELECT id FROM partners ORDER BY id") ==
        std::vector<std::string>{"p-1", "p-3"});
}

TEST_CASE("a failed statement inside a transaction rolls back only that transaction") {
  store::database db(store_test::location());
  db.exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One')");
  {
    store::transaction tx(db);
    db.exec("INSERT INTO partners(id, name) VALUES ('p-2', 'Two')");
    CHECK_THROWS(db.exec("INSERT INTO partners(id, name) VALUES ('p-1', 'Again')"));
  }
  CHECK_FALSE(db.in_transaction());
  CHECK(store_test::column(db, "SELECT id FROM partners ORDER BY id") == std::vector<std::string>{"p-1"});
}

TEST_CASE("the engine follows the location, and a URI's password never reaches a log") {
  using store::engine::kind;
  CHECK(store::engine::kind_of("postgresql://u:p@h/db") == kind::postgres);
  CHECK(store::engine::kind_of("postgres://h/db") == kind::postgres);
  CHECK(store::engine::kind_of("partnerbot.db") == kind::sqlite);
  CHECK(store::engine::kind_of(":memory:") == kind::sqlite);
  CHECK(store::engine::kind_of("/var/lib/postgresql.db") == kind::sqlite);
  CHECK(store::engine::redacted("postgresql://bot:s3cret@db.example:5432/pb?sslmode=verify-full") ==
        "postgresql://bot:***@db.example:5432/pb?sslmode=verify-full");
  CHECK(store::engine::redacted("postgres://db.example/pb?user=bot&password=s3cret") ==
        "postgres://db.example/pb?user=bot&password=***");
  CHECK(store::engine::redacted("postgres://db.example/pb") == "postgres://db.example/pb");
  CHECK(store::engine::redacted("/srv/partnerbot.db") == "/srv/partnerbot.db");
}

TEST_CASE("SQLite placeholders become PostgreSQL's, outside quoted text") {
  int n = 0;
  CHECK(store::engine::postgres_placeholders("SELECT ? , ?, 'a?b' FROM t WHERE x = ?", &n) ==
        "SELECT $1 , $2, 'a?b' FROM t WHERE x = $3");
  CHECK(n == 3);
  CHECK(store::engine::postgres_placeholders("VALUES (?1, ?2, ?9, ?9) ON CONFLICT DO NOTHING", &n) ==
        "VALUES ($1, $2, $9, $9) ON CONFLICT DO NOTHING");
  CHECK(n == 9);
}

TEST_CASE("instances opening one PostgreSQL database together migrate it once") {
  if (!store_test::test_postgres_uri()) {
    WARN("PARTNERBOT_TEST_PG is not set: skipped");
    return;
  }
  const auto where = store_test::fresh_postgres_schema();
  std::vector<std::thread> starts;
  std::atomic<int> opened{0}, failed{0};
  for (int i = 0; i < 4; ++i)
    starts.emplace_back([&] {
      try {
        store::database db(where);
        if (db.schema_version() == static_cast<int>(store::migrations().size())) ++opened;
      } catch (const std::exception&) {
        ++failed;
      }
    });
  for (auto& t : starts)
    t.join();
  CHECK(failed == 0);
  CHECK(opened == 4);
  store::database db(where);
  CHECK(db.engine_kind() == store::engine::kind::postgres);
  CHECK(store_test::scalar(db, "SELECT count(*) FROM sort_key_collation") == 1);
  CHECK(db.reachable());
  CHECK_FALSE(db.write_failure());
}

TEST_CASE("the database file and its -wal and -shm are created 0600 whatever the umask") {
  for (const mode_t mask : {mode_t{0022}, mode_t{0002}, mode_t{0}}) {
    INFO("umask " << mask);
    store_test::fresh_db_file tmp;
    umask_for_test permissive(mask);
    store::database db(tmp.path);
    db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'Firm')"); // the write-ahead log is written
    CHECK(mode_of(tmp.path) == 0600);
    CHECK(mode_of(tmp.path + "-wal") == 0600);
    CHECK(mode_of(tmp.path + "-shm") == 0600);
    // A second connection (as serve opens several) keeps them so.
    store::database other(tmp.path);
    CHECK(other.sql().execAndGet("SELECT count(*) FROM partners").getInt() == 1);
    CHECK(mode_of(tmp.path) == 0600);
  }
}

TEST_CASE("a database file readable by others is tightened to 0600 at start, and that is logged once") {
  store_test::fresh_db_file tmp;
  umask_for_test permissive(0);
  {
    store::database db(tmp.path);
    db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'Firm')");
    // A reader keeps the -wal and -shm in place while the files are opened up.
    store::database reader(tmp.path);
    REQUIRE(::chmod(tmp.path.c_str(), 0644) == 0);
    REQUIRE(::chmod((tmp.path + "-wal").c_str(), 0666) == 0);
    REQUIRE(::chmod((tmp.path + "-shm").c_str(), 0664) == 0);

    test_support::log_capture logs;
    store::database opened(tmp.path);
    CHECK(mode_of(tmp.path) == 0600);
    CHECK(mode_of(tmp.path + "-wal") == 0600);
    CHECK(mode_of(tmp.path + "-shm") == 0600);
    CHECK(opened.sql().execAndGet("SELECT count(*) FROM partners").getInt() == 1);
    store::database again(tmp.path);
    int tightened = 0;
    for (const auto& line : logs.lines())
      if (line.find("now 600 (owner only)") != std::string::npos) ++tightened;
    CHECK(tightened == 3); // once for each file, not again for the second connection
  }
  // An empty file made by someone else with a wide mode is tightened too, and opens as a new database.
  store_test::fresh_db_file fresh;
  const int fd = ::open(fresh.path.c_str(), O_CREAT | O_WRONLY, 0666);
  REQUIRE(fd >= 0);
  ::close(fd);
  REQUIRE(mode_of(fresh.path) == 0666);
  store::database db(fresh.path);
  CHECK(mode_of(fresh.path) == 0600);
  CHECK(db.schema_version() == static_cast<int>(store::migrations().size()));

  // Only bits are taken away: a file its owner made read-only stays read-only.
  store_test::fresh_db_file read_only;
  { store::database made(read_only.path); }
  REQUIRE(::chmod(read_only.path.c_str(), 0444) == 0);
  try {
    store::database opened(read_only.path);
  } catch (const std::exception&) {
    // Not root: SQLite may refuse to migrate a read-only file; the mode is what is checked.
  }
  CHECK(mode_of(read_only.path) == 0400);
}
