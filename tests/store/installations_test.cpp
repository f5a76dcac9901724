#include "store/installations.hpp"
#include "store/outbox.hpp"

#include <catch2/catch.hpp>

namespace {

store::installation sample_installation(const std::string& enterprise, const std::string& workspace,
                                        const std::string& token) {
  store::installation i;
  i.key = {"chat-a", enterprise, workspace};
  i.workspace_name = "Workspace " + workspace;
  i.bot_user_id = "UBOT";
  i.scopes = "commands,chat:write";
  i.installer = "U1";
  i.token = {"nonce-" + token, "sealed-" + token};
  i.refresh = {"nonce-r", "sealed-refresh-" + token};
  i.expires_ms = 5000;
  i.installed_at = "2026-12-01T10:00:00Z";
  return i;
}

} // namespace

TEST_CASE("a refreshed token pair is stored only over the version it was refreshed from") {
  store::database db(":memory:");
  store::installations installs(db);
  installs.save(sample_installation("", "W1", "t0"));
  auto first = installs.find("chat-a", "", "W1");
  REQUIRE(first);
  CHECK(first->version == 1);

  // Two refreshes both started from version 1: the first one stored wins.
  CHECK(installs.replace_tokens(first->key, 1, {"n1", "sealed-t1"}, {"n1r", "sealed-r1"}, 9000));
  CHECK_FALSE(installs.replace_tokens(first->key, 1, {"n2", "sealed-t2"}, {"n2r", "sealed-r2"}, 9500));
  auto now = installs.find("chat-a", "", "W1");
  CHECK(now->token.ciphertext == "sealed-t1");
  CHECK(now->refresh.ciphertext == "sealed-r1");
  CHECK(now->expires_ms == 9000);
  CHECK(now->version == 2);
}

TEST_CASE("an uninstall forgets the tokens, ends the workspace's pending messages, and a reinstall resumes") {
  store::database db(":memory:");
  store::installations installs(db);
  store::outbox outbox(db);
  installs.save(sample_installation("", "W1", "t0"));
  REQUIRE(outbox.enqueue({"k1", "chat-a", "W1", "user", "U1", "m-1", "{}", "digest"}, 100));
  REQUIRE(outbox.enqueue({"k2", "chat-a", "W2", "user", "U1", "m-1", "{}", "digest"}, 100));
  REQUIRE(outbox.enqueue({"k3", "chat-b", "W1", "user", "U1", "m-1", "{}", "digest"}, 100));

  CHECK(installs.uninstall({"chat-a", "", "W1"}, "2026-12-02T00:00:00Z", "uninstalled") == 1);
  auto gone = installs.find("chat-a", "", "W1");
  REQUIRE(gone);
  CHECK_FALSE(gone->installed());
  CHECK(gone->token.ciphertext.empty());
  CHECK(gone->refresh.ciphertext.empty());
  CHECK(outbox.by_key("k1")->status == "failed");
  CHECK(outbox.by_key("k1")->last_error == "uninstalled");
  CHECK(outbox.by_key("k2")->status == "pending");
  CHECK(outbox.by_key("k3")->status == "pending");
  // A refresh that raced the uninstall stores nothing.
  CHECK_FALSE(installs.replace_tokens(gone->key, gone->version, {"n", "late"}, {"n", "late"}, 1));

  installs.save(sample_installation("", "W1", "t9"));
  auto back = installs.find("chat-a", "", "W1");
  CHECK(back->installed());
  CHECK(back->token.ciphertext == "sealed-t9");
  CHECK(installs.uninstall({"chat-a", "", "W-none"}, "2026-12-02T00:00:00Z", "uninstalled") == 0);
}

TEST_CASE("a workspace's installation is its own, else its organisation's") {
  store::database db(":memory:");
  store::installations installs(db);
  installs.save(sample_installation("E1", "", "org"));
  installs.save(sample_installation("E1", "W2", "own"));
  CHECK(installs.find("chat-a", "E1", "W1")->token.ciphertext == "sealed-org");
  CHECK(installs.find("chat-a", "E1", "W2")->token.ciphertext == "sealed-own");
  CHECK(installs.find("chat-a", "", "W2")->token.ciphertext == "sealed-own");
  CHECK_FALSE(installs.find("chat-a", "E2", "W1"));
  CHECK_FALSE(installs.find("chat-a", "", "W1"));
  CHECK_FALSE(installs.find("chat-b", "E1", "W1"));
}

TEST_CASE("an install state is good once and only until it expires") {
  store::database db(":memory:");
  store::installations installs(db);
  installs.add_state("s1", 1000);
  installs.add_state("s2", 1000);
  CHECK_FALSE(installs.consume_state("s0", 500));
  CHECK(installs.consume_state("s1", 500));
  CHECK_FALSE(installs.consume_state("s1", 500));
  CHECK_FALSE(installs.consume_state("s2", 1000));
}

TEST_CASE("binding a workspace to a partner refuses what belongs to another") {
  store::database db(":memory:");
  db.sql().exec("INSERT INTO partners(id, name) VALUES ('p-1', 'One'), ('p-2', 'Two')");
  store::installations installs(db);
  CHECK(installs.bind("chat-a", "W1", "p-1", false) == store::bind_result::bound);
  CHECK(installs.bind("chat-a", "W1", "p-1", false) == store::bind_result::already_bound);
  CHECK(installs.bind("chat-a", "W1", "p-2", true) == store::bind_result::workspace_taken);
  CHECK(installs.bind("chat-a", "W2", "p-1", false) == store::bind_result::partner_has_other);
  CHECK(installs.bind("chat-a", "W2", "p-3", false) == store::bind_result::no_such_partner);
  CHECK(installs.bind("chat-a", "W2", "p-1", true) == store::bind_result::bound);
  installs.save(sample_installation("", "W9", "t"));
  const auto all = installs.list();
  REQUIRE(all.size() == 2);
  CHECK(all[0].workspace_id == "W2");
  CHECK(all[0].partner_id == "p-1");
  CHECK(all[0].state.empty());
  CHECK(all[1].workspace_id == "W9");
  CHECK(all[1].partner_id.empty());
  CHECK(all[1].state == "installed");
}
