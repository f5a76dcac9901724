#include "engines.hpp"
#include "store/database.hpp"
#include "store/engine_postgres.hpp"
#include "store/migrations.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

// A database file in a fresh temporary directory, removed afterwards.
struct temp_db {
  std::filesystem::path dir;
  std::string path;
  temp_db() {
    std::string pattern = (std::filesystem::temp_directory_path() / "partnerbot-store-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    path = (dir / "test.db").string();
  }
  ~temp_db() { std::filesystem::remove_all(dir); }
};

} // namespace

TEST_CASE("opening an empty database migrates it to the latest schema version") {
  store::database db(":memory:");
  CHECK(db.schema_version() == static_cast<int>(store::migrations().size()));
  CHECK(db.reachable());
  for (const char* table :
       {"partners", "members", "chat_identities", "clients", "client_metrics", "assignments", "subscriptions",
        "channel_subscriptions", "digest_slots", "outbox", "reminders", "reminder_recipients", "clients_fts"})
    CHECK(db.sql().tableExists(table));
}

TEST_CASE("reopening a migrated file is a no-op and keeps data; the file uses WAL and foreign keys") {
  temp_db tmp;
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
  temp_db tmp;
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
