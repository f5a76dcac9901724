// The database file is shared with other processes (`digest run`, `ask`,
// `import`, a second instance): one of them opening and closing it must
// never take the serving process's write-ahead log. SQLite deletes the -wal
// when the last connection closes, and knows it is the last by the file
// locks the others hold; a process that closes any descriptor of the file
// loses every such lock it had.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace std::chrono_literals;
using namespace test_support;

namespace {

constexpr const char* shared_file_secret = "shared-file-signing-secret";

constexpr const char* shared_firm =
    R"({"partner": {"id": "p-shared", "name": "Shared File ApS", "slack_team_id": "TSHARE"},
  "synced_at": "2026-11-27T09:00:00Z",
  "members": [{"id": "m-admin", "name": "Ada Admin", "email": "ada@shared.example", "role": "admin",
               "slack_user_id": "UADMIN"}],
  "clients": [{"id": "c-1", "name": "Nordlys ApS", "status": "active",
               "wallet_balance": {"amount": "1.00", "currency": "DKK"}, "missing_receipts": 3,
               "ready_for_export": 1, "bookkeepers": ["m-admin"]}]})";

int subscriptions_in(const std::string& path) {
  store::database db(path);
  return db.sql().execAndGet("SELECT count(*) FROM subscriptions").getInt();
}

} // namespace

TEST_CASE("another process opening and closing the database leaves the serving process's log in place") {
  temp_path db;
  {
    store::database made(db.str());
    REQUIRE(bot::import_snapshot(made, shared_firm, "2026-11-27T09:00:00Z").ok);
  }
  bot_process bot({"serve"},
                  {"PARTNERBOT_DB=" + db.str(), "PARTNERBOT_LISTEN=127.0.0.1:0",
                   "SLACK_SIGNING_SECRET=" + std::string(shared_file_secret), "SLACK_BOT_TOKEN=xoxb-shared"});
  const auto port = bot.wait_listening();
  REQUIRE(port != 0);

  // Another process looks, and closes its connection while serve still has its own.
  CHECK(subscriptions_in(db.str()) == 0);
  CHECK(std::filesystem::exists(db.str() + "-wal"));

  // What serve writes next is seen from outside.
  INFO(bot.log());
  REQUIRE(slack_command(port, shared_file_secret, "TSHARE", "UADMIN", "digest Nordlys weekly").status == 200);
  CHECK(eventually([&] { return subscriptions_in(db.str()) == 1; }, 5s));
  CHECK(bot.stop() == 0);
}
