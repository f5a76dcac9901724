// Slack's 3 seconds are a property of every request: a slow lookup or a
// database locked by another process turns into "on its way" and the real
// answer by response_url, never into a wrong answer.

#include "support/conditions.hpp"
#include "support/slack_firm.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm deadline_firm{"p-1", "T0001", "Nordic", 30};

std::string users_info_body(const std::string& user, const std::string& email) {
  return json::serialize(json::object{
      {"ok", true},
      {"user", {{"id", user}, {"deleted", false}, {"is_bot", false}, {"profile", {{"email", email}}}}}});
}

template <class F> std::chrono::milliseconds timed(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

std::string response_text(const fake_slack& fake, std::size_t n) {
  REQUIRE(fake.wait_for("response", n, 10s));
  return all_text(json::value(fake.calls_to("response").at(n - 1).body));
}

} // namespace

TEST_CASE(
    "a users.info slower than Slack waits is answered in time, and the real list follows by response_url") {
  slack_app app({&deadline_firm});
  scripted_reply slow;
  slow.body = users_info_body("UC", deadline_firm.unlinked_email());
  slow.headers.emplace_back("Content-Type", "application/json");
  slow.delay = 3500ms;
  app.fake.script("users.info", slow);

  http_reply r;
  const auto took = timed([&] { r = app.command(deadline_firm, "UC", "clients"); });
  REQUIRE(r.status == 200);
  CHECK(took < 3000ms);
  const auto now_text = all_text(body_json(r));
  CHECK(now_text.find("on its way") != std::string::npos);
  CHECK(now_text.find("not linked") == std::string::npos);

  // The list arrives once the profile has linked the user.
  const auto later = response_text(app.fake, 1);
  CHECK(later.find("not linked") == std::string::npos);
  CHECK(later.find("on its way") == std::string::npos);
  CHECK(later.find("My clients") != std::string::npos);
  CHECK(app.fake.calls_to("response").at(0).body.at("response_type") == "ephemeral");
}

TEST_CASE("commands arriving while another process holds the write lock are each answered within 3 seconds") {
  slack_app app({&deadline_firm});
  app.fake.add_user("UC", deadline_firm.unlinked_email());

  // An import in another process: the write lock held for 4 seconds.
  std::atomic<bool> locked{false};
  std::thread importer([&] {
    SQLite::Database other(app.db_path(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE");
    other.exec("UPDATE client_metrics SET missing_receipts = missing_receipts WHERE 0");
    locked = true;
    std::this_thread::sleep_for(4s);
    other.exec("COMMIT");
  });
  REQUIRE(eventually([&] { return locked.load(); }));

  // A first command that must write (linking by profile e-mail), a read, and a subscription.
  const std::vector<std::pair<std::string, std::string>> asks{
      {"UC", "clients"},
      {deadline_firm.admin_user(), "clients all"},
      {deadline_firm.admin_user(), "digest " + deadline_firm.client_name(1) + " weekly"}};
  for (const auto& [user, text] : asks) {
    INFO(text);
    http_reply r;
    const auto took = timed([&] { r = app.command(deadline_firm, user, text); });
    CHECK(r.status == 200);
    CHECK(took < 3000ms);
    CHECK(all_text(body_json(r)).find("not linked") == std::string::npos);
    CHECK(all_text(body_json(r)).find("went wrong") == std::string::npos);
  }
  importer.join();

  // Whatever was "on its way" arrives, and the writes took effect.
  const auto deferred = app.fake.calls_to("response").size();
  for (std::size_t i = 1; i <= deferred; ++i)
    CHECK(response_text(app.fake, i).find("not linked") == std::string::npos);
  auto digests = app.command(deadline_firm, deadline_firm.admin_user(), "digests");
  CHECK(all_text(body_json(digests)).find(deadline_firm.client_name(1)) != std::string::npos);
  auto carla = app.command(deadline_firm, "UC", "clients");
  CHECK(all_text(body_json(carla)).find("not linked") == std::string::npos);
}
