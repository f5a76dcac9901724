// `partnerbot serve` (a child process) whose disk fills up mid-run: writes
// are refused with the apology, reads still answer, /healthz says so, the
// database stays intact, and all is well again once space returns.
//
// The database lives on a small tmpfs when the test may mount one (root);
// otherwise the child's file-size limit is lowered to the same effect.

#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/bot_process.hpp"
#include "support/conditions.hpp"
#include "support/fake_slack.hpp"
#include "support/firm_files.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"
#include "support/starvable_folder.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <functional>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

constexpr const char* disk_full_secret = "disk-full-signing-secret";

const std::string disk_full_snapshot = test_support::firm_file("disk_full_firm");

http_reply command(unsigned short port, const std::string& text) {
  return slack_command(port, disk_full_secret, "TDISK", "UBO", text);
}

std::string reply_text(const http_reply& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("text")) return r.body;
  return std::string(v.at("text").as_string());
}

} // namespace

TEST_CASE("a full disk gets the apology and /healthz reports it; nothing is corrupted and the bot recovers") {
  starvable_folder folder;
  INFO((folder.on_tmpfs() ? "on a 16 MiB tmpfs" : "under a lowered file-size limit"));
  const auto db_path = folder.db();
  {
    store::database db(db_path);
    REQUIRE(bot::import_snapshot(db, disk_full_snapshot, "2026-11-27T09:00:00Z").ok);
    // An empty WAL: every write from now on must grow it.
    db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  fake_slack slack;
  bot_process bot({"serve"}, {"PARTNERBOT_DB=" + db_path, "PARTNERBOT_LISTEN=127.0.0.1:0",
                              "SLACK_SIGNING_SECRET=" + std::string(disk_full_secret),
                              "SLACK_BOT_TOKEN=xoxb-disk", "SLACK_API_URL=" + slack.base_url()});
  const auto port = bot.wait_listening();
  REQUIRE(port != 0);
  INFO(bot.log());

  CHECK(http_request(port, "GET", "/healthz").status == 200);
  auto first = command(port, "digest Alfa weekly");
  CHECK(first.status == 200);
  CHECK(contains(reply_text(first), "digest for Alfa ApS"));

  folder.take_space(bot.pid());

  const auto refused = command(port, "digest Beta weekly");
  CHECK(refused.status == 200);
  CHECK(contains(reply_text(refused), "Sorry, something went wrong"));
  const auto read = command(port, "clients");
  CHECK(read.status == 200);
  CHECK(contains(read.body, "Gamma ApS")); // reads still answer
  std::string health;
  CHECK(eventually([&] {
    const auto h = http_request(port, "GET", "/healthz");
    health = h.body;
    return h.status == 503;
  }));
  CHECK(contains(health, "not writable"));

  folder.give_space_back(bot.pid());

  CHECK(eventually([&] { return http_request(port, "GET", "/healthz").status == 200; }));
  auto again = command(port, "digest Beta weekly");
  CHECK(contains(reply_text(again), "digest for Beta ApS"));
  CHECK(bot.stop() == 0);

  store::database db(db_path);
  CHECK(db.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
  const auto subs = store::subscriptions(db).of_member("m-bo");
  CHECK(subs.size() == 2);
}
