// A serving process answers read-only requests from memory: who is asking,
// their language and the platform they last used are read from SQLite once
// and kept until anyone writes. Another process changing them is seen on
// the very next request, and the access log still gets its line.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/languages.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace test_support;

namespace {

constexpr const char* memo_test_secret = "memo-test-signing-secret";

constexpr const char* memo_test_firm =
    R"({"partner": {"id": "p-memo", "name": "Memo Revision ApS", "slack_team_id": "TMEMO"},
  "synced_at": "2026-11-27T09:00:00Z",
  "members": [{"id": "m-memo-admin", "name": "Mia Admin", "email": "mia@memo.example", "role": "admin",
               "slack_user_id": "UMEMO"}],
  "clients": [{"id": "c-memo-1", "name": "Fjordlys ApS", "status": "active",
               "wallet_balance": {"amount": "1.00", "currency": "DKK"}, "missing_receipts": 3,
               "ready_for_export": 1, "bookkeepers": ["m-memo-admin"]}]})";

std::vector<std::string> memo_test_env(const temp_path& db) {
  return {"PARTNERBOT_DB=" + db.str(), "PARTNERBOT_LISTEN=127.0.0.1:0",
          "SLACK_SIGNING_SECRET=" + std::string(memo_test_secret), "SLACK_BOT_TOKEN=xoxb-memo",
          "SLACK_API_URL=http://127.0.0.1:9/api/"};
}

http_reply memo_test_command(unsigned short port, const std::string& text) {
  command_fields cmd;
  cmd.text = text;
  cmd.team_id = "TMEMO";
  cmd.user_id = "UMEMO";
  const auto body = command_body(cmd);
  return http_request(port, "POST", "/slack/commands", body, slack_headers(memo_test_secret, body));
}

void memo_test_import(const temp_path& db) {
  store::database made(db.str());
  REQUIRE(bot::import_snapshot(made, memo_test_firm, "2026-11-27T09:00:00Z").ok);
  // The member chose English: no locale lookup is needed before answering.
  store::member_languages{made}.set_choice("m-memo-admin", "en");
}

} // namespace

TEST_CASE("a member's language changed by another process is used for the next answer") {
  temp_path db;
  memo_test_import(db);
  bot_process bot({"serve"}, memo_test_env(db));
  const auto port = bot.wait_listening();
  REQUIRE(port != 0);
  INFO(bot.log());

  const auto first = memo_test_command(port, "clients all");
  REQUIRE(first.status == 200);
  CHECK(first.body.find("All clients") != std::string::npos);
  CHECK(first.body.find("Fjordlys ApS") != std::string::npos);
  // Asked again: the same answer (now from memory).
  CHECK(memo_test_command(port, "clients all").body == first.body);

  {
    store::database other(db.str());
    store::member_languages{other}.set_choice("m-memo-admin", "da");
  }
  const auto after = memo_test_command(port, "clients all");
  REQUIRE(after.status == 200);
  CHECK(after.body.find("Alle kunder") != std::string::npos);
  CHECK(after.body.find("All clients") == std::string::npos);

  // A client renamed by another process: the next list shows the new name.
  {
    store::database other(db.str());
    other.sql().exec("UPDATE clients SET name = 'Havblik ApS' WHERE id = 'c-memo-1'");
  }
  const auto renamed = memo_test_command(port, "clients all");
  CHECK(renamed.body.find("Havblik ApS") != std::string::npos);
  CHECK(bot.stop() == 0);
}

TEST_CASE("a member unlinked by another process is no longer answered as that member") {
  temp_path db;
  memo_test_import(db);
  bot_process bot({"serve"}, memo_test_env(db));
  const auto port = bot.wait_listening();
  REQUIRE(port != 0);
  INFO(bot.log());

  const auto linked = memo_test_command(port, "clients all");
  REQUIRE(linked.status == 200);
  CHECK(linked.body.find("Fjordlys ApS") != std::string::npos);
  {
    store::database other(db.str());
    other.sql().exec("DELETE FROM chat_identities WHERE member_id = 'm-memo-admin'");
  }
  const auto unlinked = memo_test_command(port, "clients all");
  REQUIRE(unlinked.status == 200);
  CHECK(unlinked.body.find("Fjordlys ApS") == std::string::npos);
  CHECK(bot.stop() == 0);
}

TEST_CASE("every request gets its access log line, soon and at the latest on shutdown") {
  temp_path db;
  memo_test_import(db);
  bot_process bot({"serve"}, memo_test_env(db));
  const auto port = bot.wait_listening();
  REQUIRE(port != 0);

  const auto reply = memo_test_command(port, "clients all");
  REQUIRE(reply.status == 200);
  const auto id = reply.header("X-Request-Id");
  REQUIRE(!id.empty());
  const auto line = id + " POST /slack/commands 200 ";
  // Written within about a second, while the process goes on serving.
  CHECK(eventually([&] { return bot.log().find(line) != std::string::npos; }, 5s));

  // A line still waiting when the process is told to stop is written before it exits.
  const auto last = memo_test_command(port, "clients all");
  REQUIRE(last.status == 200);
  const auto last_id = last.header("X-Request-Id");
  CHECK(bot.stop() == 0);
  CHECK(bot.log().find(last_id + " POST /slack/commands 200 ") != std::string::npos);
}
