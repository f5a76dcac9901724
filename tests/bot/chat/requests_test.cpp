// The request service on its own: a fake platform (a name the store knows
// only as data), an injected clock, a real io_context, the real store
// thread and a temporary SQLite file. What every chat adapter relies on:
// caller resolution, linking by profile e-mail, the deadline, the apology,
// the answer cache and outbox addressing.

#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/net/background.hpp"
#include "handlers/actions.hpp"
#include "handlers/catalogue.hpp"
#include "handlers/view_json.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "store/sync_state.hpp"
#include "support/conditions.hpp"
#include "support/firm_files.hpp"
#include "support/log_capture.hpp"
#include "support/running_app.hpp"
#include "support/view_text.hpp"

#include <array>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// GCC 12 reports a false -Wmismatched-new-delete when it inlines Asio's
// awaitable frame allocation (frames use Asio's own operator new/delete).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

using namespace std::chrono_literals;

namespace {

namespace requests_asio = boost::asio;

// Neither "slack" nor "teams": the service and the store must not care.
constexpr const char* requests_platform_name = "fakechat";

const std::array<store::snapshot_platform, 1> requests_snapshot_platforms{{
    {requests_platform_name, "fakechat_workspace", "fakechat_user"},
}};

// One Revision ApS on workspace W-ONE: Ada (admin) and Bo (bookkeeper) are
// linked; Cy, Di, Eve (admin), Fay, Gus and Hal are not. Two Books A/S on
// W-TWO, with a client of its own, must never show up for One Revision.
std::string requests_firm_one(const std::string& alfa_name = "Alfa Revision ApS") {
  return R"({
  "partner": {"id": "p-rq1", "name": "One Revision ApS", "fakechat_workspace": "W-ONE"},
  "synced_at": "2026-12-01T08:00:00Z",
  "members": [
    {"id": "m-ada", "name": "Ada Admin", "email": "ada@one.example", "role": "admin", "fakechat_user": "U-ADA"},
    {"id": "m-bo", "name": "Bo Bookkeeper", "email": "bo@one.example", "role": "bookkeeper", "fakechat_user": "U-BO"},
    {"id": "m-cy", "name": "Cy Clerk", "email": "cy@one.example", "role": "bookkeeper"},
    {"id": "m-di", "name": "Di Dahl", "email": "di@one.example", "role": "bookkeeper"},
    {"id": "m-eve", "name": "Eve Eriksen", "email": "eve@one.example", "role": "admin"},
    {"id": "m-fay", "name": "Fay Friis", "email": "fay@one.example", "role": "bookkeeper"},
    {"id": "m-gus", "name": "Gus Gram", "email": "gus@one.example", "role": "bookkeeper"},
    {"id": "m-hal", "name": "Hal Holm", "email": "hal@one.example", "role": "bookkeeper"}
  ],
  "clients": [
    {"id": "c-rq-1", "name": ")" +
         alfa_name + R"(", "status": "active",
     "wallet_balance": {"amount": "10.00", "currency": "DKK"}, "missing_receipts": 3, "ready_for_export": 1,
     "bookkeepers": ["m-bo", "m-cy", "m-di", "m-fay", "m-gus", "m-hal"]},
    {"id": "c-rq-2", "name": "Beta Byg ApS", "status": "active",
     "wallet_balance": {"amount": "20.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-bo"]},
    {"id": "c-rq-3", "name": "Gamma Gartneri ApS", "status": "active",
     "wallet_balance": {"amount": "30.00", "currency": "DKK"}, "missing_receipts": 7, "ready_for_export": 2,
     "bookkeepers": ["m-cy"]}
  ]
})";
}

const std::string requests_firm_two = test_support::firm_file("requests_firm_two");

void requests_import(store::database& db, const std::string& json) {
  const auto r = store::import_snapshot(db, json, "2026-12-01T08:00:00Z", requests_snapshot_platforms);
  INFO(r.error);
  REQUIRE(r.ok);
}

// The platform side, as a test controls it: profiles by user id, which can
// be held back (a slow platform) or fail; renderings counted and marked.
class requests_fake_platform final : public bot::chat_platform {
public:
  explicit requests_fake_platform(requests_asio::io_context& io) : io_(io) {}

  std::string_view name() const override { return requests_platform_name; }

  requests_asio::awaitable<bot::chat_profile> profile(const handlers::chat_user& user) override {
    {
      std::lock_guard lock(mutex_);
      ++lookups_[user.user_id];
    }
    if (held_) {
      auto gate =
          std::make_shared<requests_asio::steady_timer>(io_, requests_asio::steady_timer::time_point::max());
      gates_.push_back(gate);
      boost::system::error_code ignored;
      co_await gate->async_wait(requests_asio::redirect_error(requests_asio::use_awaitable, ignored));
    }
    bot::chat_profile p;
    std::lock_guard lock(mutex_);
    if (failing_) co_return p;
    p.answered = true;
    if (auto it = emails_.find(user.user_id); it != emails_.end()) p.email = it->second;
    co_return p;
  }

  std::string render_answer(const handlers::view& message) const override {
    const auto n = ++renders_;
    return "fakechat rendering " + std::to_string(n) + ": " + handlers::view_to_json(message);
  }

  // Test thread.
  void set_email(const std::string& user_id, const std::string& email) {
    std::lock_guard lock(mutex_);
    emails_[user_id] = email;
  }
  void set_failing(bool failing) {
    std::lock_guard lock(mutex_);
    failing_ = failing;
  }
  int lookups(const std::string& user_id) const {
    std::lock_guard lock(mutex_);
    auto it = lookups_.find(user_id);
    return it == lookups_.end() ? 0 : it->second;
  }
  int total_lookups() const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [user, count] : lookups_)
      n += count;
    return n;
  }
  int renders() const { return renders_; }
  // Profile lookups from now on wait until release().
  void hold() { held_ = true; }
  void release() {
    requests_asio::post(io_, [this] {
      held_ = false;
      for (auto& gate : gates_)
        gate->cancel();
      gates_.clear();
    });
  }

private:
  requests_asio::io_context& io_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> emails_;
  std::map<std::string, int> lookups_;
  bool failing_ = false;
  mutable std::atomic<int> renders_{0};
  std::atomic<bool> held_{false};
  std::vector<std::shared_ptr<requests_asio::steady_timer>> gates_; // io thread only
};

// 2026-12-01 09:00 UTC, moved by the test.
constexpr std::int64_t requests_start_ms = 1796115600000;

// Both firms in a temporary database, the service on its own io thread.
struct requests_rig {
  test_support::temp_path path;
  store::database db{path.str()}; // the test thread's connection: setup and checks
  bool imported = [this] {
    requests_import(db, requests_firm_one());
    requests_import(db, requests_firm_two);
    return true;
  }();
  requests_asio::io_context io{1};
  requests_asio::executor_work_guard<requests_asio::io_context::executor_type> keep_running{
      io.get_executor()};
  // A file database: `db` is only named here, the thread has its own connection.
  bot::store_thread store{path.str(), db};
  bot::background follow_ups{io};
  handlers::settings settings;
  std::atomic<int> wakeups{0};
  std::atomic<std::int64_t> clock_ms{requests_start_ms};
  requests_fake_platform platform{io};
  bot::chat_requests requests{
      io,
      store,
      follow_ups,
      settings,
      [this] { ++wakeups; },
      [this] { return std::chrono::system_clock::time_point{std::chrono::milliseconds{clock_ms.load()}}; }};
  std::thread runner{[this] { io.run(); }};

  ~requests_rig() {
    platform.release();
    requests_asio::co_spawn(
        io, [this]() -> requests_asio::awaitable<void> { co_await follow_ups.drain(5s); },
        requests_asio::use_future)
        .get();
    keep_running.reset();
    runner.join();
    store.stop();
  }

  static bot::chat_request typed(const std::string& id, const std::string& workspace, const std::string& user,
                                 const std::string& text) {
    bot::chat_request r;
    r.request_id = id;
    r.from.platform = requests_platform_name;
    r.from.workspace_id = workspace;
    r.from.user_id = user;
    r.what = text;
    return r;
  }

  bot::chat_answer ask(bot::chat_request request, std::chrono::milliseconds deadline = 10s) {
    return requests_asio::co_spawn(
               io,
               [this, request = std::move(request),
                deadline]() -> requests_asio::awaitable<bot::chat_answer> {
                 co_return co_await requests.answer(platform, request, deadline);
               },
               requests_asio::use_future)
        .get();
  }

  bot::chat_answer ask_now(bot::chat_request request) {
    return requests_asio::co_spawn(
               io,
               [this, request = std::move(request)]() -> requests_asio::awaitable<bot::chat_answer> {
                 co_return co_await requests.answer_now(platform, request);
               },
               requests_asio::use_future)
        .get();
  }

  std::optional<store::member> linked_member(const std::string& workspace, const std::string& user) {
    return store::directory(db).member_for_identity(requests_platform_name, workspace, user);
  }

  // The outbox row of a request's later answer, once it is there.
  std::optional<store::outbox_row> later_answer(const std::string& request_id) {
    std::optional<store::outbox_row> row;
    test_support::eventually([&] {
      row = store::outbox(db).by_key("answer:" + request_id);
      return row.has_value();
    });
    return row;
  }
};

std::string requests_text(const bot::chat_answer& a) {
  const auto* message = a.message();
  return message ? test_support::all_text(*message) : std::string{};
}

bool requests_mentions(const std::string& text, std::string_view part) {
  return test_support::contains(text, part);
}

} // namespace

TEST_CASE("chat requests: a linked user of a known workspace is answered as their member") {
  requests_rig rig;
  rig.platform.hold(); // a linked user never waits for a profile
  const auto a = rig.ask(requests_rig::typed("req-known", "W-ONE", "U-BO", "clients"));
  CHECK(a.state == bot::chat_answer::status::answered);
  const auto text = requests_text(a);
  CHECK(requests_mentions(text, "Alfa Revision ApS"));
  CHECK(requests_mentions(text, "Beta Byg ApS"));
  CHECK_FALSE(requests_mentions(text, "Gamma Gartneri ApS")); // Cy's, not Bo's
  CHECK_FALSE(requests_mentions(text, "Omega"));
  CHECK(rig.platform.total_lookups() == 0);
  // Where the member used the bot last is the platform's name, as data.
  CHECK(store::directory(rig.db).last_platform("m-bo") == std::optional<std::string>{requests_platform_name});
}

TEST_CASE("chat requests: an unknown workspace is told it is not connected, without a profile lookup") {
  requests_rig rig;
  const auto a = rig.ask(requests_rig::typed("req-nowhere", "W-NOPE", "U-BO", "clients"));
  CHECK(a.state == bot::chat_answer::status::not_connected);
  const auto text = requests_text(a);
  CHECK(requests_mentions(text, handlers::english.workspace_not_connected));
  CHECK_FALSE(requests_mentions(text, "Alfa"));
  CHECK(rig.platform.total_lookups() == 0);
}

TEST_CASE("chat requests: a user whose profile names no member is told how to link, and the profile is "
          "looked up again only after its time to live") {
  requests_rig rig;
  // Gus's chat profile shows no e-mail.
  auto ask_gus = [&](const std::string& id) {
    return rig.ask(requests_rig::typed(id, "W-ONE", "U-GUS", "clients"));
  };
  const auto first = ask_gus("req-gus-1");
  CHECK(first.state == bot::chat_answer::status::answered);
  const auto text = requests_text(first);
  CHECK(requests_mentions(text, handlers::english.unlinked_title));
  CHECK(requests_mentions(text, "link your@email"));
  CHECK(requests_mentions(text, "One Revision ApS"));
  CHECK_FALSE(requests_mentions(text, "Alfa"));
  CHECK(rig.platform.lookups("U-GUS") == 1);
  CHECK_FALSE(rig.linked_member("W-ONE", "U-GUS"));

  // Within the profile's time to live the answer it gave is reused.
  rig.clock_ms += std::chrono::milliseconds(9min).count();
  ask_gus("req-gus-2");
  CHECK(rig.platform.lookups("U-GUS") == 1);

  // Past it, the profile is asked again; now it has the member's e-mail.
  rig.platform.set_email("U-GUS", "gus@one.example");
  rig.clock_ms += std::chrono::milliseconds(2min).count();
  const auto linked = ask_gus("req-gus-3");
  CHECK(rig.platform.lookups("U-GUS") == 2);
  CHECK(requests_mentions(requests_text(linked), "Alfa Revision ApS"));
  REQUIRE(rig.linked_member("W-ONE", "U-GUS"));
  CHECK(rig.linked_member("W-ONE", "U-GUS")->id == "m-gus");
}

TEST_CASE("chat requests: a failed profile lookup is not remembered; the next request asks again") {
  requests_rig rig;
  rig.platform.set_email("U-HAL", "hal@one.example");
  rig.platform.set_failing(true);
  const auto failed = rig.ask(requests_rig::typed("req-hal-1", "W-ONE", "U-HAL", "clients"));
  CHECK(requests_mentions(requests_text(failed), handlers::english.unlinked_title));
  CHECK(rig.platform.lookups("U-HAL") == 1);

  rig.platform.set_failing(false);
  const auto again = rig.ask(requests_rig::typed("req-hal-2", "W-ONE", "U-HAL", "clients"));
  CHECK(rig.platform.lookups("U-HAL") == 2); // same clock: only a failure is asked again
  CHECK(requests_mentions(requests_text(again), "Alfa Revision ApS"));
  REQUIRE(rig.linked_member("W-ONE", "U-HAL"));
  CHECK(rig.linked_member("W-ONE", "U-HAL")->id == "m-hal");
}

TEST_CASE("chat requests: an unlinked user is linked by their profile e-mail and answered at once") {
  requests_rig rig;
  rig.platform.set_email("U-CY", "CY@One.Example"); // e-mail compared case-insensitively
  const auto a = rig.ask(requests_rig::typed("req-cy", "W-ONE", "U-CY", "clients"));
  CHECK(a.state == bot::chat_answer::status::answered);
  const auto text = requests_text(a);
  CHECK(requests_mentions(text, "Alfa Revision ApS"));
  CHECK(requests_mentions(text, "Gamma Gartneri ApS"));
  CHECK_FALSE(requests_mentions(text, handlers::english.unlinked_title));
  REQUIRE(rig.linked_member("W-ONE", "U-CY"));
  CHECK(rig.linked_member("W-ONE", "U-CY")->id == "m-cy");
  // The link is recorded as made by the member themself.
  const auto made = store::directory(rig.db).links_made_for(requests_platform_name, "W-ONE", "U-CY");
  REQUIRE(made.size() == 1);
  CHECK(made.front() == std::pair<std::string, std::string>{"m-cy", "m-cy"});

  // Linked now: the next request needs no profile.
  rig.ask(requests_rig::typed("req-cy-2", "W-ONE", "U-CY", "clients"));
  CHECK(rig.platform.lookups("U-CY") == 1);
}

TEST_CASE("chat requests: a profile e-mail of a member another chat user holds links nobody") {
  requests_rig rig;
  rig.platform.set_email("U-IMPOSTOR", "bo@one.example"); // Bo is U-BO
  const auto a = rig.ask(requests_rig::typed("req-impostor", "W-ONE", "U-IMPOSTOR", "clients"));
  CHECK(a.state == bot::chat_answer::status::answered);
  const auto text = requests_text(a);
  CHECK(requests_mentions(text, handlers::english.unlinked_title));
  CHECK_FALSE(requests_mentions(text, "Beta Byg ApS"));
  CHECK_FALSE(rig.linked_member("W-ONE", "U-IMPOSTOR"));
  REQUIRE(rig.linked_member("W-ONE", "U-BO"));
  CHECK(rig.linked_member("W-ONE", "U-BO")->id == "m-bo");
}

TEST_CASE("chat requests: another firm's workspace never sees this firm's members or clients") {
  requests_rig rig;
  const auto xa = rig.ask(requests_rig::typed("req-xa", "W-TWO", "U-XA", "clients all"));
  const auto text = requests_text(xa);
  CHECK(requests_mentions(text, "Omega Økonomi ApS"));
  for (const auto* theirs : {"Alfa", "Beta", "Gamma", "One Revision"})
    CHECK_FALSE(requests_mentions(text, theirs));

  // A user of W-TWO whose profile e-mail is a member of One Revision's only.
  rig.platform.set_email("U-TWO-DI", "di@one.example");
  const auto di = rig.ask(requests_rig::typed("req-two-di", "W-TWO", "U-TWO-DI", "clients"));
  const auto di_text = requests_text(di);
  CHECK(requests_mentions(di_text, handlers::english.unlinked_title));
  CHECK(requests_mentions(di_text, "Two Books A/S"));
  CHECK_FALSE(requests_mentions(di_text, "One Revision"));
  CHECK_FALSE(requests_mentions(di_text, "Alfa"));
  CHECK_FALSE(rig.linked_member("W-TWO", "U-TWO-DI"));
  CHECK(store::directory(rig.db).identity_of("m-di", requests_platform_name) == std::nullopt);

  // The same user id in W-ONE is another user, unknown there.
  const auto bo_elsewhere = rig.ask(requests_rig::typed("req-bo-two", "W-TWO", "U-BO", "clients"));
  CHECK(requests_mentions(requests_text(bo_elsewhere), handlers::english.unlinked_title));
  CHECK_FALSE(requests_mentions(requests_text(bo_elsewhere), "Beta Byg ApS"));
}

TEST_CASE("chat requests: the command line is resolved by e-mail alone, and only for one member") {
  requests_rig rig;
  bot::chat_request r;
  r.request_id = "ask";
  r.from.profile_email = "ada@one.example";
  r.what = std::string{"clients all"};
  const auto ada = rig.ask_now(r);
  CHECK(ada.state == bot::chat_answer::status::answered);
  CHECK(requests_mentions(requests_text(ada), "Gamma Gartneri ApS"));
  CHECK_FALSE(requests_mentions(requests_text(ada), "Omega"));
  CHECK(rig.platform.total_lookups() == 0);

  r.from.profile_email = "nobody@one.example";
  CHECK(rig.ask_now(r).state == bot::chat_answer::status::not_connected);
}

TEST_CASE("chat requests: an answer within the deadline comes back directly, nothing through the outbox") {
  requests_rig rig;
  rig.platform.set_email("U-DI", "di@one.example");
  auto request = requests_rig::typed("req-on-time", "W-ONE", "U-DI", "clients");
  request.reply_address = "reply-to-on-time";
  const auto a = rig.ask(request, 10s);
  CHECK(a.state == bot::chat_answer::status::answered);
  CHECK(requests_mentions(requests_text(a), "Alfa Revision ApS"));
  // The work finished before the answer returned: no later answer was queued.
  CHECK_FALSE(store::outbox(rig.db).by_key("answer:req-on-time"));
  CHECK(rig.wakeups == 0);
}

TEST_CASE("chat requests: a profile lookup past the deadline says the answer is on its way, and the real "
          "answer follows through the outbox") {
  requests_rig rig;
  rig.platform.set_email("U-CY", "cy@one.example");
  rig.platform.hold();
  auto request = requests_rig::typed("req-late", "W-ONE", "U-CY", "clients");
  request.from.conversation_id = "C-LATE";
  const auto now = rig.ask(request, 100ms);
  CHECK(now.state == bot::chat_answer::status::on_its_way);
  const auto now_text = requests_text(now);
  CHECK(requests_mentions(now_text, handlers::english.answer_on_its_way));
  // Never a wrong answer for a slow lookup.
  CHECK_FALSE(requests_mentions(now_text, handlers::english.unlinked_title));
  CHECK_FALSE(requests_mentions(now_text, "not linked"));
  CHECK_FALSE(now.rendered);
  CHECK(test_support::eventually([&] { return rig.platform.lookups("U-CY") == 1; }));

  rig.clock_ms += 2000; // the answer is queued at the service's clock
  rig.platform.release();
  const auto row = rig.later_answer("req-late");
  REQUIRE(row);
  CHECK(row->message.platform == requests_platform_name);
  CHECK(row->message.workspace_id == "W-ONE");
  CHECK(row->message.recipient_kind == store::recipient_kinds::in_channel_private);
  CHECK(row->message.recipient == "C-LATE|U-CY");
  CHECK(row->message.origin == "answer");
  CHECK(row->status == "pending");
  CHECK(row->next_attempt_ms == requests_start_ms + 2000);
  CHECK(requests_mentions(row->message.payload, "Alfa Revision ApS"));
  CHECK(requests_mentions(row->message.payload, "Gamma Gartneri ApS"));
  CHECK_FALSE(requests_mentions(row->message.payload, "not linked"));
  CHECK_FALSE(requests_mentions(row->message.payload, "on its way"));
  CHECK(test_support::eventually([&] { return rig.wakeups > 0; }));
  REQUIRE(rig.linked_member("W-ONE", "U-CY"));
  CHECK(rig.linked_member("W-ONE", "U-CY")->id == "m-cy");
}

TEST_CASE("chat requests: a form that is ready only after the deadline is replaced by a message saying it "
          "expired") {
  requests_rig rig;
  rig.platform.set_email("U-EVE", "eve@one.example");
  rig.platform.hold();
  auto request = requests_rig::typed("req-late-form", "W-ONE", "U-EVE", "remind Alfa");
  request.reply_address = "reply-to-late-form";
  const auto now = rig.ask(request, 100ms);
  CHECK(now.state == bot::chat_answer::status::on_its_way);
  CHECK_FALSE(now.reply.open_form);
  rig.platform.release();
  const auto row = rig.later_answer("req-late-form");
  REQUIRE(row);
  CHECK(row->message.recipient_kind == store::recipient_kinds::reply);
  CHECK(row->message.recipient == "reply-to-late-form");
  // The platform's permission to open a form is gone by now.
  CHECK(requests_mentions(row->message.payload, handlers::english.expired));
}

TEST_CASE("chat requests: a later answer goes to the reply address, else privately in the conversation, "
          "else by direct message") {
  requests_rig rig;
  rig.platform.set_email("U-CY", "cy@one.example");
  rig.platform.set_email("U-DI", "di@one.example");
  rig.platform.set_email("U-FAY", "fay@one.example");
  rig.platform.hold();

  auto by_reply = requests_rig::typed("req-addr-reply", "W-ONE", "U-CY", "clients");
  by_reply.reply_address = "opaque reply address";
  by_reply.from.conversation_id = "C-IGNORED";
  auto in_channel = requests_rig::typed("req-addr-private", "W-ONE", "U-DI", "clients");
  in_channel.from.conversation_id = "C-CHANNEL";
  auto direct = requests_rig::typed("req-addr-dm", "W-ONE", "U-FAY", "clients");
  for (const auto* r : {&by_reply, &in_channel, &direct})
    CHECK(rig.ask(*r, 50ms).state == bot::chat_answer::status::on_its_way);
  rig.platform.release();

  const auto reply = rig.later_answer("req-addr-reply");
  REQUIRE(reply);
  CHECK(reply->message.recipient_kind == store::recipient_kinds::reply);
  CHECK(reply->message.recipient == "opaque reply address");
  const auto private_row = rig.later_answer("req-addr-private");
  REQUIRE(private_row);
  CHECK(private_row->message.recipient_kind == store::recipient_kinds::in_channel_private);
  CHECK(private_row->message.recipient == "C-CHANNEL|U-DI");
  const auto dm = rig.later_answer("req-addr-dm");
  REQUIRE(dm);
  CHECK(dm->message.recipient_kind == store::recipient_kinds::user);
  CHECK(dm->message.recipient == "U-FAY");
  for (const auto& row : {*reply, *private_row, *dm}) {
    CHECK(row.message.platform == requests_platform_name);
    CHECK(row.message.workspace_id == "W-ONE");
    CHECK(requests_mentions(row.message.payload, "Alfa Revision ApS"));
  }
}

TEST_CASE("chat requests: a pressed control's answer goes through the outbox, replacing the message it "
          "was on") {
  requests_rig rig;
  bot::chat_request press;
  press.request_id = "req-press";
  press.from = {requests_platform_name, "W-ONE", "U-BO", "", "C-PRESS", ""};
  press.what = handlers::action{handlers::actions::client_open, "c-rq-1"};
  press.reply_address = "the message with the button";
  press.answer_by_message = true;
  const auto a = rig.ask(press);
  CHECK(a.state == bot::chat_answer::status::answered);
  CHECK_FALSE(a.reply.message); // the acknowledgement carries none
  CHECK_FALSE(a.rendered);
  const auto row = rig.later_answer("req-press");
  REQUIRE(row);
  CHECK(row->message.recipient_kind == store::recipient_kinds::replace);
  CHECK(row->message.recipient == "the message with the button");
  CHECK(requests_mentions(row->message.payload, "Alfa Revision ApS"));

  // Without a reply address a replacing answer is a private message in the conversation.
  press.request_id = "req-press-2";
  press.reply_address.clear();
  rig.ask(press);
  const auto second = rig.later_answer("req-press-2");
  REQUIRE(second);
  CHECK(second->message.recipient_kind == store::recipient_kinds::in_channel_private);
  CHECK(second->message.recipient == "C-PRESS|U-BO");
}

TEST_CASE("chat requests: a store failure becomes a short apology with the request's reference, and "
          "nothing changes") {
  test_support::log_capture log;
  requests_rig rig;
  // The database refuses new subscriptions, as a full disk or a read-only
  // file would refuse the write.
  rig.db.sql().exec("CREATE TRIGGER requests_refuse_subscriptions BEFORE INSERT ON subscriptions "
                    "BEGIN SELECT RAISE(ABORT, 'subscriptions refused'); END");

  const auto a = rig.ask(requests_rig::typed("req-sorry-1", "W-ONE", "U-BO", "digest Alfa weekly"));
  CHECK(a.state == bot::chat_answer::status::answered);
  REQUIRE(a.reply.message);
  const auto text = requests_text(a);
  CHECK(requests_mentions(text, "Sorry, something went wrong"));
  CHECK(requests_mentions(text, "req-sorry-1"));
  CHECK_FALSE(requests_mentions(text, "subscriptions refused")); // the cause goes to the log only
  CHECK(store::subscriptions(rig.db).of_member("m-bo").empty());
  bool logged = false;
  for (const auto& line : log.lines())
    logged = logged ||
             (requests_mentions(line, "req-sorry-1") && requests_mentions(line, "subscriptions refused"));
  CHECK(logged);

  // A pressed control's apology is a new message, never a replacement.
  bot::chat_request press;
  press.request_id = "req-sorry-2";
  press.from = {requests_platform_name, "W-ONE", "U-BO", "", "C-SORRY", ""};
  press.what = handlers::action{handlers::actions::digest_set, "c-rq-1|weekly"};
  press.reply_address = "the digest menu";
  press.answer_by_message = true;
  rig.ask(press);
  const auto row = rig.later_answer("req-sorry-2");
  REQUIRE(row);
  CHECK(row->message.recipient_kind == store::recipient_kinds::reply);
  CHECK(requests_mentions(row->message.payload, "req-sorry-2"));
  CHECK(store::subscriptions(rig.db).of_member("m-bo").empty());

  // Once the database takes writes again, so does the service.
  rig.db.sql().exec("DROP TRIGGER requests_refuse_subscriptions");
  const auto ok = rig.ask(requests_rig::typed("req-sorry-3", "W-ONE", "U-BO", "digest Alfa weekly"));
  CHECK_FALSE(requests_mentions(requests_text(ok), "Sorry"));
  const auto subs = store::subscriptions(rig.db).of_member("m-bo");
  REQUIRE(subs.size() == 1);
  CHECK(subs.front().platform == requests_platform_name);
}

TEST_CASE("chat requests: a read-only command's rendering is reused until the client data changes") {
  requests_rig rig;
  auto clients = [&](const std::string& id) {
    return rig.ask(requests_rig::typed(id, "W-ONE", "U-BO", "clients"));
  };
  const auto first = clients("req-cache-1");
  REQUIRE(first.rendered);
  CHECK(rig.platform.renders() == 1);
  CHECK(requests_mentions(*first.rendered, "fakechat rendering 1: "));
  CHECK(requests_mentions(*first.rendered, "Alfa Revision ApS"));

  const auto second = clients("req-cache-2");
  REQUIRE(second.rendered);
  CHECK(rig.platform.renders() == 1);
  CHECK(*second.rendered == *first.rendered);
  REQUIRE(second.message());                  // the view is kept too, for a late answer
  CHECK(second.message() == first.message()); // shared with the cache, not copied
  CHECK(requests_mentions(requests_text(second), "Alfa Revision ApS"));

  // Another question is another rendering.
  const auto missing = rig.ask(requests_rig::typed("req-cache-3", "W-ONE", "U-BO", "missing"));
  CHECK(rig.platform.renders() == 2);
  REQUIRE(missing.rendered);
  CHECK(requests_mentions(*missing.rendered, "3 missing receipts"));

  // An import renames a client: rendered again, with the new name.
  requests_import(rig.db, requests_firm_one("Alfa Nova Revision ApS"));
  const auto renamed = clients("req-cache-4");
  CHECK(rig.platform.renders() == 3);
  REQUIRE(renamed.rendered);
  CHECK(requests_mentions(*renamed.rendered, "Alfa Nova Revision ApS"));
  CHECK(clients("req-cache-5").rendered);
  CHECK(rig.platform.renders() == 3);

  // New figures from a sync: `missing` is rendered again with them.
  store::synced_figures figures;
  figures.missing_receipts = 42;
  REQUIRE(store::sync_states(rig.db).record_success("c-rq-1", figures, "2026-12-01T12:00:00Z"));
  const auto synced = rig.ask(requests_rig::typed("req-cache-6", "W-ONE", "U-BO", "missing"));
  CHECK(rig.platform.renders() == 4);
  REQUIRE(synced.rendered);
  CHECK(requests_mentions(*synced.rendered, "42 missing receipts"));
}
