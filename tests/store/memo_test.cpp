// The per-connection memo of callers, language settings, last platforms and
// the client generation: served from memory while nothing changes, never
// stale after a write through this connection or a commit through another.

#include "fixture.hpp"
#include "store/languages.hpp"
#include "store/memo.hpp"
#include "store/read_model.hpp"

using namespace store_test;

TEST_CASE("a caller, language and last platform changed through another connection are read anew") {
  fresh_db_file file;
  store::database reader(file.str());
  store::database writer(file.str());
  load(writer, firm_json);
  store::directory dir(reader);
  store::member_languages languages(reader);

  const auto before = dir.caller_of("slack", "T0001", "U0001");
  REQUIRE(before);
  REQUIRE(before->linked);
  CHECK(before->linked->name == "Anna Admin");
  CHECK(languages.of("m-admin").choice.empty());
  CHECK_FALSE(dir.last_platform("m-admin"));
  // Read again with nothing changed: the same answers.
  CHECK(dir.caller_of("slack", "T0001", "U0001")->linked->name == "Anna Admin");
  CHECK(languages.of("m-admin").choice.empty());

  store::member_languages{writer}.set_choice("m-admin", "da");
  CHECK(languages.of("m-admin").choice == "da");

  store::directory{writer}.touch_last_platform("m-admin", "teams");
  CHECK(dir.last_platform("m-admin") == std::optional<std::string>{"teams"});

  writer.sql().exec("UPDATE members SET name = 'Anna Andersen' WHERE id = 'm-admin'");
  CHECK(dir.caller_of("slack", "T0001", "U0001")->linked->name == "Anna Andersen");

  writer.sql().exec("DELETE FROM chat_identities WHERE member_id = 'm-admin'");
  const auto unlinked = dir.caller_of("slack", "T0001", "U0001");
  REQUIRE(unlinked);
  CHECK_FALSE(unlinked->linked);
}

TEST_CASE("a change written through the same connection is read back at once") {
  fresh_db_file file;
  store::database db(file.str());
  load(db, firm_json);
  store::member_languages languages(db);
  store::directory dir(db);
  CHECK(languages.of("m-book").choice.empty());
  languages.set_choice("m-book", "en");
  CHECK(languages.of("m-book").choice == "en");
  CHECK_FALSE(dir.last_platform("m-book"));
  dir.touch_last_platform("m-book", "slack");
  CHECK(dir.last_platform("m-book") == std::optional<std::string>{"slack"});
  const auto generation = store::client_generation(db);
  db.sql().exec("UPDATE client_metrics SET missing_receipts = 9 WHERE client_id = 'c-1'");
  CHECK(store::client_generation(db) > generation);
}

TEST_CASE("inside a write transaction the memo is not used: what is read might roll back") {
  fresh_db_file file;
  store::database db(file.str());
  load(db, firm_json);
  store::member_languages languages(db);
  CHECK(languages.of("m-book").choice.empty());
  {
    store::transaction tx(db);
    languages.set_choice("m-book", "da");
    CHECK(languages.of("m-book").choice == "da");
    CHECK_FALSE(store::connection_memo::of(db).usable(db));
  } // rolled back
  CHECK(languages.of("m-book").choice.empty());
  CHECK(store::connection_memo::of(db).usable(db));
}

TEST_CASE("a client changed through another connection moves the generation the next read sees") {
  fresh_db_file file;
  store::database reader(file.str());
  store::database writer(file.str());
  load(writer, firm_json);
  const auto generation = store::client_generation(reader);
  CHECK(store::client_generation(reader) == generation);
  writer.sql().exec("UPDATE clients SET name = 'Acme Holding ApS' WHERE id = 'c-1'");
  CHECK(store::client_generation(reader) > generation);
}
