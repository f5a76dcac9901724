#include "handlers/actions.hpp"
#include "handlers/dispatch.hpp"
#include "support/small_firm.hpp"

using namespace handlers;
using test_support::mentions;

TEST_CASE("help is role-aware") {
  test_support::small_firm f;
  const auto admin = f.command_view(f.as("m-anna"), "help");
  for (const char* line : {"remind NAME", "digest channel", "link @user EMAIL", "invites"}) {
    INFO(line);
    CHECK(mentions(admin, line));
  }
  const auto bookkeeper = f.command_view(f.as("m-bo"), "help");
  CHECK(mentions(bookkeeper, "search TEXT"));
  CHECK(mentions(bookkeeper, "client NAME"));
  for (const char* line : {"remind NAME", "digest channel", "link @user", "invites"}) {
    INFO(line);
    CHECK_FALSE(mentions(bookkeeper, line));
  }
}

TEST_CASE("help lists home for everyone, in English and in Danish") {
  test_support::small_firm f;
  for (const char* who : {"m-anna", "m-bo"}) {
    const auto english = f.command_view(f.as(who), "help");
    CHECK(mentions(english, "`home`"));
    CHECK(mentions(english, "your digests and your language"));
  }
  on_command(f.ctx, f.as("m-bo"), "language da");
  const auto danish = f.command_view(f.as("m-bo"), "hjælp");
  CHECK(mentions(danish, "`hjem`"));
  CHECK(mentions(danish, "dine sammendrag og dit sprog"));
}

TEST_CASE("an unknown command gets the error and the command summary") {
  test_support::small_firm f;
  auto r = on_command(f.ctx, f.as("m-bo"), "show me acme");
  REQUIRE(r.message);
  CHECK(mentions(*r.message, "I don't know \u201cshow\u201d"));
  CHECK(mentions(*r.message, "search TEXT"));
  CHECK_FALSE(mentions(*r.message, "remind NAME"));
}

TEST_CASE("unknown actions and forms get the expired reply, never an exception") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  for (auto a : {action{"no.such.action", "x"}, action{"", ""}, action{actions::reminder_open, ""},
                 action{actions::client_menu, ""}, action{actions::clients_page, std::string(5000, '|')}}) {
    INFO(a.action_id << " " << a.value.substr(0, 20));
    reply r;
    REQUIRE_NOTHROW(r = on_action(f.ctx, anna, a));
    REQUIRE(r.message);
    CHECK(mentions(*r.message, "This has expired \u2014 run the command again."));
  }
  auto s = on_submission(f.ctx, anna, submission{"no.such.form", "", "sub-1", {}});
  REQUIRE(s.message);
  CHECK(mentions(*s.message, "expired"));
  // A link button needs no answer.
  CHECK_FALSE(on_action(f.ctx, anna, action{actions::link, "c-acme"}).message);
}

TEST_CASE("digest and reminder commands and controls reach their features") {
  test_support::small_firm f;
  const auto anna = f.as("m-anna");
  for (const char* text : {"digest acme aps weekly", "digest channel daily", "digests", "remind acme aps"}) {
    INFO(text);
    reply r;
    REQUIRE_NOTHROW(r = on_command(f.ctx, anna, text));
    CHECK((r.message || r.open_form));
  }
  for (auto a : {action{actions::digest_set, "c-acme|weekly"}, action{actions::reminder_open, "c-acme"},
                 action{actions::client_menu, "remind|c-acme"}}) {
    INFO(a.action_id);
    reply r;
    REQUIRE_NOTHROW(r = on_action(f.ctx, anna, a));
    CHECK((r.message || r.open_form));
  }
}

TEST_CASE("a linked caller's platform is remembered for reminders") {
  test_support::small_firm f;
  auto bo = f.as("m-bo");
  on_command(f.ctx, bo, "clients");
  CHECK(store::directory{f.db}.last_platform("m-bo") == std::optional<std::string>{"slack"});
  bo.chat.platform = "teams";
  on_action(f.ctx, bo, action{actions::client_open, "c-acme"});
  CHECK(store::directory{f.db}.last_platform("m-bo") == std::optional<std::string>{"teams"});
}
