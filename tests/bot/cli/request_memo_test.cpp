// A serving process answers read-only requests from memory: who is asking,
// their language and the platform they last used are read from SQLite once
// and kept until anyone writes. Another process changing them is seen on
// the very next request, and the access log still gets its line.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/languages.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/firm_files.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <catch2/catch.hpp>
#include <memory>

using namespace std::chrono_literals;
using namespace test_support;

namespace {

constexpr const char* memo_test_secret = "memo-test-signing-secret";

std::vector<std::string> memo_test_env(const temp_path& db) {
  return {"PARTNERBOT_DB=" + db.str(), "PARTNERBOT_LISTEN=127.0.0.1:0",
          "SLACK_SIGNING_SECRET=" + std::string(memo_test_secret), "SLACK_BOT_TOKEN=xoxb-memo",
          "SLACK_API_URL=http://127.0.0.1:9/api/"};
}

// The memo firm imported, its admin set to English (no locale lookup is
// needed before answering), and `partnerbot serve` on it.
struct memo_serving {
  temp_path db;
  std::unique_ptr<bot_process> bot;
  unsigned short port = 0;

  memo_serving() {
    {
      store::database made(db.str());
      REQUIRE(bot::import_snapshot(made, firm_file("memo_firm"), "2026-11-27T09:00:00Z").ok);
      store::member_languages{made}.set_choice("m-memo-admin", "en");
    }
    bot = std::make_unique<bot_process>(std::vector<std::string>{"serve"}, memo_test_env(db));
    port = bot->wait_listening();
    REQUIRE(port != 0);
  }
  http_reply command(const std::string& text) const {
    return slack_command(port, memo_test_secret, "TMEMO", "UMEMO", text);
  }
  // Runs `sql` on a connection of its own, as another process would.
  void elsewhere(const char* sql) const {
    store::database other(db.str());
    other.sql().exec(sql);
  }
};

} // namespace

TEST_CASE("a member's language changed by another process is used for the next answer") {
  memo_serving s;
  INFO(s.bot->log());

  const auto first = s.command("clients all");
  REQUIRE(first.status == 200);
  CHECK(first.body.find("All clients") != std::string::npos);
  CHECK(first.body.find("Fjordlys ApS") != std::string::npos);
  // Asked again: the same answer (now from memory).
  CHECK(s.command("clients all").body == first.body);

  {
    store::database other(s.db.str());
    store::member_languages{other}.set_choice("m-memo-admin", "da");
  }
  const auto after = s.command("clients all");
  REQUIRE(after.status == 200);
  CHECK(after.body.find("Alle kunder") != std::string::npos);
  CHECK(after.body.find("All clients") == std::string::npos);

  // A client renamed by another process: the next list shows the new name.
  s.elsewhere("UPDATE clients SET name = 'Havblik ApS' WHERE id = 'c-memo-1'");
  const auto renamed = s.command("clients all");
  CHECK(renamed.body.find("Havblik ApS") != std::string::npos);
  CHECK(s.bot->stop() == 0);
}

TEST_CASE("a member unlinked by another process is no longer answered as that member") {
  memo_serving s;
  INFO(s.bot->log());

  const auto linked = s.command("clients all");
  REQUIRE(linked.status == 200);
  CHECK(linked.body.find("Fjordlys ApS") != std::string::npos);
  s.elsewhere("DELETE FROM chat_identities WHERE member_id = 'm-memo-admin'");
  const auto unlinked = s.command("clients all");
  REQUIRE(unlinked.status == 200);
  CHECK(unlinked.body.find("Fjordlys ApS") == std::string::npos);
  CHECK(s.bot->stop() == 0);
}

TEST_CASE("every request gets its access log line, soon and at the latest on shutdown") {
  memo_serving s;

  const auto reply = s.command("clients all");
  REQUIRE(reply.status == 200);
  const auto id = reply.header("X-Request-Id");
  REQUIRE(!id.empty());
  const auto line = id + " POST /slack/commands 200 ";
  // Written within about a second, while the process goes on serving.
  CHECK(eventually([&] { return s.bot->log().find(line) != std::string::npos; }, 5s));

  // A line still waiting when the process is told to stop is written before it exits.
  const auto last = s.command("clients all");
  REQUIRE(last.status == 200);
  const auto last_id = last.header("X-Request-Id");
  CHECK(s.bot->stop() == 0);
  CHECK(s.bot->log().find(last_id + " POST /slack/commands 200 ") != std::string::npos);
}
