// Slack's private messages (a reminder confirmation, an answer in a
// channel) are ephemeral: Slack shows them to the one user named, in the
// channel named, or they come to that user by DM. Whatever channel a row
// names, no one else sees them.

#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "support/digest_firm.hpp"
#include "support/fake_slack.hpp"
#include "support/instants.hpp"
#include "support/outbox_run.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {

struct private_rows_rig : test_support::outbox_parts {
  test_support::fake_slack slack;
  bot::slack::web_api api{http, slack.base_url(), "xoxb-test-token"};

  private_rows_rig() { worker.add_delivery("slack", std::make_unique<bot::slack::delivery>(api)); }

  void enqueue(std::string key, std::string recipient, std::string text) {
    handlers::view v{text, {handlers::section{"", text, {}}}};
    REQUIRE(
        store::outbox(db).enqueue({std::move(key), "slack", "T1", store::recipient_kinds::in_channel_private,
                                   std::move(recipient), "", handlers::view_to_json(v), "notice"},
                                  test_support::now_ms()));
  }
};

} // namespace

TEST_CASE("a private Slack message is shown only to its recipient, whatever channel it names") {
  private_rows_rig r;
  // A channel the sender is in, and one they are not in (a forged form could name any).
  r.slack.script("chat.postEphemeral", {200, R"({"ok":true,"message_ts":"1.1"})", {}});
  r.slack.script("chat.postEphemeral", {200, R"({"ok":false,"error":"user_not_in_channel"})", {}});
  r.enqueue("k-here", "CFORM|UASTRID", "confirmation");
  r.enqueue("k-there", "COTHERS|UASTRID", "another confirmation");
  r.deliver();

  const auto ephemeral = r.slack.calls_to("chat.postEphemeral");
  REQUIRE(ephemeral.size() == 2);
  for (const auto& call : ephemeral)
    CHECK(call.body.at("user") == "UASTRID");
  // Where Slack cannot show it to the user, the user gets it by DM; the channel never does.
  const auto opened = r.slack.calls_to("conversations.open");
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].body.at("users") == "UASTRID");
  const auto posted = r.slack.calls_to("chat.postMessage");
  REQUIRE(posted.size() == 1);
  CHECK(posted[0].body.at("channel") == "DUASTRID");
  CHECK(store::outbox(r.db).by_key("k-here")->status == "sent");
  CHECK(store::outbox(r.db).by_key("k-there")->status == "sent");
}
