// A database written by an earlier schema opens with nothing lost.

#include "fixture.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/migrations.hpp"
#include "store/outbox.hpp"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>
#include <filesystem>

TEST_CASE(
    "a database of schema 2 moves its workspaces, links and outbox rows to schema 3 with nothing lost") {
  store_test::fresh_db_file path;
  {
    // Schema 2 as it was shipped, with a firm on two platforms.
    SQLite::Database old(path.str(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    old.exec("PRAGMA foreign_keys = ON");
    const auto steps = store::migrations();
    old.exec(steps[0]);
    old.exec(steps[1]);
    old.exec("PRAGMA user_version = 2");
    old.exec("INSERT INTO partners(id, name, slack_team_id, teams_tenant_id) VALUES "
             "('p-1', 'Nordic Ledger ApS', 'T0001', 'tenant-1'), ('p-2', 'Other ApS', 'T0002', NULL)");
    old.exec("INSERT INTO members(id, partner_id, name, email, email_fold, role, last_platform) VALUES "
             "('m-1', 'p-1', 'Anna', 'anna@x.example', 'anna@x.example', 'admin', 'slack'), "
             "('m-2', 'p-2', 'Bo', 'bo@y.example', 'bo@y.example', 'bookkeeper', NULL)");
    old.exec("INSERT INTO chat_identities(platform, workspace_id, user_id, member_id) VALUES "
             "('slack', 'T0001', 'U1', 'm-1'), ('teams', 'tenant-1', 'aad-1', 'm-1')");
    old.exec("INSERT INTO clients(id, partner_id, name, status, sort_key, name_fold, name_ascii) VALUES "
             "('c-1', 'p-1', 'Acme ApS', 'active', x'00', 'acme aps', 'acme aps')");
    old.exec("INSERT INTO assignments(client_id, member_id) VALUES ('c-1', 'm-1')");
    old.exec(
        "INSERT INTO outbox(idempotency_key, platform, workspace_id, recipient_kind, recipient, member_id, "
        "payload, origin, next_attempt_ms, created_ms) VALUES "
        "('k-1', 'slack', 'T0001', 'ephemeral', 'C1|U1', 'm-1', '{}', 'notice', 0, 0)");
  }

  store::database db(path.str());
  CHECK(db.schema_version() == static_cast<int>(store::migrations().size()));
  store::directory dir(db);
  REQUIRE(dir.partner_by_workspace("slack", "T0001"));
  CHECK(dir.partner_by_workspace("slack", "T0001")->name == "Nordic Ledger ApS");
  CHECK(dir.partner_by_workspace("teams", "tenant-1")->id == "p-1");
  CHECK(dir.partner_by_workspace("slack", "T0002")->id == "p-2");
  CHECK_FALSE(dir.partner_by_workspace("teams", "T0002"));
  // Rebuilding partners deleted nothing that references them.
  CHECK(dir.members_of("p-1").size() == 1);
  CHECK(dir.members_of("p-2").size() == 1);
  CHECK(dir.identities_of("m-1").size() == 2);
  const auto caller = dir.caller_of("slack", "T0001", "U1");
  REQUIRE(caller);
  REQUIRE(caller->linked);
  CHECK(caller->linked->id == "m-1");
  CHECK(db.sql().execAndGet("SELECT count(*) FROM assignments").getInt() == 1);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM client_metrics").getInt() == 0);
  CHECK(db.sql().execAndGet("SELECT count(*) FROM clients").getInt() == 1);
  const auto row = store::outbox(db).by_key("k-1");
  REQUIRE(row);
  CHECK(row->message.recipient_kind == store::recipient_kinds::in_channel_private);
  CHECK(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(db.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
}
