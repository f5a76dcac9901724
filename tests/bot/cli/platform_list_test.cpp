// The one list of chat platforms: each descriptor names its platform once,
// and what the process does per platform (import, outbox delivery, `ask`)
// follows that list.

#include "bot/chat/platforms.hpp"
#include "bot/cli/platform_list.hpp"
#include "handlers/view.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

TEST_CASE("every chat platform is described once, with its own name and snapshot fields") {
  std::set<std::string> names, workspace_fields, user_fields;
  for (const auto* platform : bot::chat_platforms()) {
    REQUIRE(platform);
    INFO(platform->name);
    CHECK(platform->snapshot.platform == platform->name);
    CHECK(platform->start);
    CHECK_FALSE(platform->title.empty());
    names.insert(std::string{platform->name});
    workspace_fields.insert(platform->snapshot.workspace_key);
    user_fields.insert(platform->snapshot.user_key);
    // Its renderers show an answer (for `partnerbot ask`).
    handlers::view answer;
    answer.summary = "Acme ApS";
    answer.blocks.push_back(handlers::header{"Acme ApS"});
    CHECK_FALSE(platform->render_message(answer).empty());
  }
  CHECK(names == std::set<std::string>{"slack", "teams"});
  CHECK(workspace_fields.size() == names.size());
  CHECK(user_fields.size() == names.size());
  CHECK(bot::snapshot_platforms().size() == names.size());
}

TEST_CASE("a snapshot import reads the workspace of every listed platform") {
  store::database db(":memory:");
  const auto imported = bot::import_snapshot(db, R"({"partner": {"id": "p-list", "name": "List ApS",
      "slack_team_id": "TLIST", "teams_tenant_id": "tenant-list"},
    "members": [{"id": "m-1", "name": "Ada", "email": "ada@list.example", "role": "admin",
                 "slack_user_id": "ULIST", "teams_aad_object_id": "aad-list"}],
    "clients": []})",
                                             "2026-12-01T08:00:00Z");
  REQUIRE(imported.ok);
  store::directory dir{db};
  for (const auto* platform : bot::chat_platforms()) {
    INFO(platform->name);
    const std::string workspace = platform->name == "slack" ? "TLIST" : "tenant-list";
    const auto firm = dir.partner_by_workspace(platform->name, workspace);
    REQUIRE(firm);
    CHECK(firm->id == "p-list");
  }
}
