#include "fixture.hpp"
#include "store/home_views.hpp"
#include "store/installations.hpp"
#include "store/languages.hpp"
#include "store/outbox.hpp"
#include "store/subscriptions.hpp"

#include <catch2/catch.hpp>
#include <set>

namespace {

store::home_viewer opened_home(const std::string& enterprise, const std::string& workspace,
                               const std::string& user) {
  store::home_viewer v;
  v.platform = "chat-a";
  v.enterprise_id = enterprise;
  v.workspace_id = workspace;
  v.user_id = user;
  v.opened_ms = 1000;
  v.published_hash = "shown";
  v.published_ms = 1000;
  return v;
}

store::installation organisation_install(const std::string& enterprise, const std::string& workspace) {
  store::installation i;
  i.key = {"chat-a", enterprise, workspace};
  i.token = {"nonce", "sealed"};
  i.installed_at = "2026-12-01T10:00:00Z";
  return i;
}

} // namespace

TEST_CASE("the home generation moves on with a subscription or language change, not with who looks") {
  store::database db(":memory:");
  store_test::load(db, store_test::firm_json);
  store::home_views homes(db);
  auto last = homes.generation();
  const auto moved = [&] {
    const auto now = homes.generation();
    const bool changed = now != last;
    last = now;
    return changed;
  };
  store::subscriptions(db).set(
      {"m-book", "c-1", "", store::frequency::weekly, "chat-a", "2026-12-01T10:00:00Z"});
  CHECK(moved());
  store::member_languages(db).set_choice("m-book", "da");
  CHECK(moved());
  store::member_languages(db).set_choice("m-book", "da"); // the same again
  CHECK_FALSE(moved());
  homes.opened(opened_home("", "W1", "U1")); // who looks is no content
  CHECK_FALSE(moved());
  homes.published("chat-a", "W1", "U1", "later", 2000);
  CHECK_FALSE(moved());
  REQUIRE(homes.viewers("chat-a").size() == 1);
  CHECK(homes.viewers("chat-a")[0].published_hash == "later");
  // A failed publish keeps what was shown and moves its time on.
  homes.published("chat-a", "W1", "U1", "", 3000);
  CHECK(homes.viewers("chat-a")[0].published_hash == "later");
  CHECK(homes.viewers("chat-a")[0].published_ms == 3000);
  CHECK(homes.viewers("chat-b").empty());
}

TEST_CASE("an organisation's uninstall ends the rows and homes of its workspaces without an install of their "
          "own") {
  store::database db(":memory:");
  store::installations installs(db);
  store::outbox outbox(db);
  store::home_views homes(db);
  installs.save(organisation_install("E1", ""));
  installs.save(organisation_install("E1", "W2")); // a workspace of E1 with its own install
  installs.note_organisation("chat-a", "W1", "E1");
  installs.note_organisation("chat-a", "W2", "E1");
  installs.note_organisation("chat-a", "W3", "E2");
  // Found by the team alone, through the organisation it belongs to.
  REQUIRE(installs.find("chat-a", "", "W1"));
  CHECK(installs.find("chat-a", "", "W1")->key.enterprise_id == "E1");
  CHECK(installs.find("chat-a", "", "W2")->key.workspace_id == "W2");
  CHECK_FALSE(installs.find("chat-a", "", "W3"));
  CHECK_FALSE(installs.find("chat-a", "", ""));
  for (const char* w : {"W1", "W2", "W3"}) {
    REQUIRE(outbox.enqueue({std::string("k-") + w, "chat-a", w, "user", "U1", "m-1", "{}", "digest"}, 100));
    homes.opened(opened_home("", w, "U1"));
  }

  CHECK(installs.uninstall({"chat-a", "E1", ""}, "2026-12-02T00:00:00Z", "uninstalled") == 1);
  CHECK_FALSE(installs.find("chat-a", "E1", "")->installed());
  CHECK(installs.find("chat-a", "E1", "W2")->installed());
  CHECK(outbox.by_key("k-W1")->status == "failed");
  CHECK(outbox.by_key("k-W1")->last_error == "uninstalled");
  CHECK(outbox.by_key("k-W2")->status == "pending");
  CHECK(outbox.by_key("k-W3")->status == "pending");
  std::set<std::string> still;
  for (const auto& v : homes.viewers("chat-a"))
    still.insert(v.workspace_id);
  CHECK(still == std::set<std::string>{"W2", "W3"});
}
