#include "store/database.hpp"
#include "store/migrations.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <unistd.h>

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

TEST_CASE("cached statements are reused, reset and cleared") {
  store::database db(":memory:");
  static constexpr const char* sql_text = "SELECT ?1 + 1";
  auto& a = db.cached(sql_text);
  a.bind(1, 41);
  REQUIRE(a.executeStep());
  CHECK(a.getColumn(0).getInt() == 42);
  auto& b = db.cached(sql_text);
  CHECK(&a == &b);
  REQUIRE(b.executeStep()); // bindings cleared: NULL + 1 is NULL
  CHECK(b.getColumn(0).isNull());
}

TEST_CASE("a transaction rolls back unless committed, and nests as a savepoint") {
  store::database db(":memory:");
  auto count = [&] { return db.sql().execAndGet("SELECT count(*) FROM partners").getInt(); };
  {
    store::transaction tx(db);
    db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One')");
  }
  CHECK(count() == 0);
  {
    store::transaction outer(db);
    db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One')");
    {
      store::transaction inner(db);
      db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-2', 'Two')");
    } // inner rolled back alone
    {
      store::transaction inner(db);
      db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-3', 'Three')");
      inner.commit();
    }
    outer.commit();
  }
  CHECK(count() == 2);
  CHECK(
      db.sql().execAndGet("SELECT group_concat(id) FROM (SELECT id FROM partners ORDER BY id)").getString() ==
      "p-1,p-3");
}
