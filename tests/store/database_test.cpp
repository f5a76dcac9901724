#include "fixture.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/log_capture.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

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
