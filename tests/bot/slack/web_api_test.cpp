#include "bot/net/http_client.hpp"
#include "bot/slack/web_api.hpp"
#include "support/fake_slack.hpp"
#include "support/run_coroutine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

unsigned short closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port(); // closed again when `a` goes
}

// A call that failed with `error`, worth retrying or not.
void check_failed(const bot::slack::api_result& r, const std::string& error, bool retryable) {
  CHECK_FALSE(r.ok);
  CHECK(r.error == error);
  CHECK(r.retryable == retryable);
}

// A web_api on a fake Slack; each call runs to its end before the next.
struct web_api_rig {
  explicit web_api_rig(std::string token = "xoxb-t") : api(client, fake.base_url(), std::move(token)) {}
  test_support::fake_slack fake;
  boost::asio::io_context io;
  bot::http_client client{io};
  bot::slack::web_api api;

  bot::slack::api_result call(const std::string& method, json::object args = {}) {
    return test_support::run_coroutine(io, [&] { return api.call(method, args); });
  }
  bot::slack::api_result post_to_response_url(const std::string& id, json::object body) {
    return test_support::run_coroutine(io,
                                       [&] { return api.post_to_response_url(fake.response_url(id), body); });
  }
};

} // namespace

TEST_CASE("web_api sends JSON with the bot token as a Bearer header") {
  web_api_rig rig("xoxb-test-token");
  auto r = rig.call("chat.postMessage", {{"channel", "D1"}, {"text", "hi"}});
  CHECK(r.ok);
  CHECK(r.http_status == 200);
  CHECK(r.body.at("channel") == "D1");
  auto calls = rig.fake.calls_to("chat.postMessage");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].authorization == "Bearer xoxb-test-token");
  CHECK(calls[0].body.at("text") == "hi");
}

TEST_CASE("users.info goes form-encoded and finds the profile e-mail") {
  web_api_rig rig;
  rig.fake.add_user("U42", "anna@firm.example");
  auto r = rig.call("users.info", {{"user", "U42"}});
  REQUIRE(r.ok);
  CHECK(r.body.at("user").at("profile").at("email") == "anna@firm.example");
  check_failed(rig.call("users.info", {{"user", "U43"}}), "user_not_found", false);
}

TEST_CASE("ok:false surfaces Slack's error code") {
  web_api_rig rig;
  rig.fake.script("chat.postMessage", {200, R"({"ok":false,"error":"channel_not_found"})", {}});
  check_failed(rig.call("chat.postMessage", {{"channel", "C9"}}), "channel_not_found", false);
}

TEST_CASE("429 is retryable and carries Retry-After") {
  web_api_rig rig;
  rig.fake.script("chat.postMessage", {429, R"({"ok":false,"error":"ratelimited"})", {{"Retry-After", "7"}}});
  auto r = rig.call("chat.postMessage", {{"channel", "C9"}});
  CHECK_FALSE(r.ok);
  CHECK(r.retryable);
  CHECK(r.http_status == 429);
  REQUIRE(r.retry_after_seconds);
  CHECK(*r.retry_after_seconds == 7);
}

TEST_CASE("5xx and transport failures are retryable") {
  web_api_rig rig;
  rig.fake.script("chat.postMessage", {503, "upstream down", {}});
  check_failed(rig.call("chat.postMessage"), "http 503", true);

  bot::slack::web_api nowhere(rig.client, "http://127.0.0.1:" + std::to_string(closed_port()) + "/api/",
                              "xoxb-t");
  auto t = test_support::run_coroutine(rig.io, [&] { return nowhere.call("chat.postMessage", {}); });
  CHECK_FALSE(t.ok);
  CHECK(t.retryable);
  CHECK(t.error.starts_with("transport: "));
  CHECK(t.error.find("xoxb") == std::string::npos);
}

TEST_CASE("response_url posts carry no token and accept a plain ok") {
  web_api_rig rig;
  auto r = rig.post_to_response_url("abc", {{"replace_original", true}, {"text", "x"}});
  CHECK(r.ok);
  auto calls = rig.fake.calls_to("response");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].path == "/response/abc");
  CHECK(calls[0].authorization.empty());
  CHECK(calls[0].body.at("replace_original") == true);

  rig.fake.script("response", {404, "expired_url", {}});
  check_failed(rig.post_to_response_url("abc", {{"text", "x"}}), "expired_url", false);
}

TEST_CASE("the client reuses one keep-alive connection per origin") {
  web_api_rig rig;
  for (int i = 0; i < 5; ++i)
    CHECK(rig.call("chat.postMessage", {{"channel", "D1"}}).ok);
  CHECK(rig.fake.calls_to("chat.postMessage").size() == 5);
  CHECK(rig.fake.connections_accepted() == 1);
}

TEST_CASE("a request to a server that never answers times out") {
  boost::asio::io_context server_io;
  boost::asio::ip::tcp::acceptor silent(server_io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  auto port = silent.local_endpoint().port(); // accepts in the backlog, never reads
  boost::asio::io_context io;
  bot::http_client client(io);
  bot::outbound_request req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/api/x";
  req.timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  auto res = test_support::run_coroutine(io, [&] { return client.send(req); });
  CHECK_FALSE(res.transport_ok);
  CHECK(res.error.starts_with("timeout"));
  CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("bad urls are refused without a connection") {
  boost::asio::io_context io;
  bot::http_client client(io);
  for (std::string url : {"ftp://example.com/x", "not a url", "http:///nohost"}) {
    bot::outbound_request req;
    req.url = url;
    auto res = test_support::run_coroutine(io, [&] { return client.send(req); });
    CHECK_FALSE(res.transport_ok);
    CHECK_FALSE(res.error.empty());
  }
}
