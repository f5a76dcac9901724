// The HTTP transport and router end to end over real sockets on 127.0.0.1,
// without the rest of the app: limits, keep-alive, timeouts, shutdown.

#include "bot/net/background.hpp"
#include "bot/net/listener.hpp"
#include "bot/net/metrics.hpp"
#include "bot/net/raw_connection.hpp"
#include "bot/net/router.hpp"
#include "support/conditions.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <future>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

using test_support::contains;
using test_support::eventually;

namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using test_support::get_request;
using test_support::raw_connection;

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer timer(co_await asio::this_coro::executor, d);
  co_await timer.async_wait(asio::use_awaitable);
}

// A listener and router on their own io_context thread, with a few routes.
struct test_server {
  asio::io_context io{1};
  bot::metrics stats;
  bot::router routes{stats};
  bot::background follow_ups{io};
  bot::http::listener server;
  std::thread thread;
  unsigned short port = 0;
  std::atomic<bool> follow_up_done{false};

  explicit test_server(std::chrono::milliseconds request_timeout = 2000ms)
      : test_server(bot::http::limits{.request_timeout = request_timeout}) {}

  explicit test_server(bot::http::limits lim)
      : server(
            io, lim, [this](bot::http::request& req) { return routes.dispatch(req); },
            [this](std::string_view m, std::string_view t, unsigned s) {
              routes.record_rejection(m, t, s);
            }) {
    using bot::http::make_response;
    using bot::http::request;
    using bot::http::response;
    routes.add(bhttp::verb::get, "/hello", [](const request& req) -> asio::awaitable<response> {
      co_return make_response(req, bhttp::status::ok, "hello");
    });
    routes.add(bhttp::verb::post, "/echo", [](const request& req) -> asio::awaitable<response> {
      co_return make_response(req, bhttp::status::ok, req.body());
    });
    routes.add(bhttp::verb::get, "/slow", [](const request& req) -> asio::awaitable<response> {
      co_await sleep_for(400ms);
      co_return make_response(req, bhttp::status::ok, "done");
    });
    routes.add(bhttp::verb::get, "/boom", [](const request&) -> asio::awaitable<response> {
      throw std::runtime_error("handler failure");
      co_return response{};
    });
    routes.add(bhttp::verb::get, "/request-id", [](const request& req) -> asio::awaitable<response> {
      co_return make_response(req, bhttp::status::ok, std::string(req["X-Request-Id"]));
    });
    routes.add(bhttp::verb::post, "/follow-up", [this](const request& req) -> asio::awaitable<response> {
      follow_ups.spawn([this]() -> asio::awaitable<void> {
        co_await sleep_for(300ms);
        follow_up_done = true;
      });
      co_return make_response(req, bhttp::status::accepted, "accepted");
    });
    stats.add_collector([this](std::string& out) { server.collect_metrics(out); });
    server.listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = server.local_endpoint().port();
    server.start();
    thread = std::thread([this] { io.run(); });
  }

  // What an app does on SIGTERM: stop the server, then drain follow-ups.
  std::future<void> begin_shutdown(std::chrono::milliseconds grace = 5000ms) {
    return asio::co_spawn(
        io,
        [this, grace]() -> asio::awaitable<void> {
          co_await server.shutdown(grace);
          co_await follow_ups.drain(3000ms);
        },
        asio::use_future);
  }

  // Waits for io.run() to return; false when it did not within `timeout`.
  bool joined_within(std::chrono::milliseconds timeout) {
    auto done = std::async(std::launch::async, [this] { thread.join(); });
    return done.wait_for(timeout) == std::future_status::ready;
  }

  std::string render_metrics() {
    return asio::co_spawn(
               io, [this]() -> asio::awaitable<std::string> { co_return stats.render(); }, asio::use_future)
        .get();
  }

  ~test_server() {
    if (thread.joinable()) {
      begin_shutdown(500ms).wait_for(3s);
      io.stop();
      thread.join();
    }
  }
};

} // namespace

TEST_CASE("an unknown path gets 404 and a known path with another method 405 with Allow") {
  test_server s;
  raw_connection c(s.port);
  c.send(get_request("/nowhere"));
  auto not_found = c.read_response();
  REQUIRE(not_found);
  CHECK(not_found->result_int() == 404);

  c.send(get_request("/echo"));
  auto wrong_method = c.read_response();
  REQUIRE(wrong_method);
  CHECK(wrong_method->result_int() == 405);
  CHECK((*wrong_method)[bhttp::field::allow] == "POST");
}

TEST_CASE("several requests are answered on one keep-alive connection") {
  test_server s;
  raw_connection c(s.port);
  for (int i = 0; i < 5; ++i) {
    const std::string body = "request " + std::to_string(i);
    c.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    auto res = c.read_response();
    REQUIRE(res);
    CHECK(res->result_int() == 200);
    CHECK(res->body() == body);
    CHECK(res->keep_alive());
  }
}

TEST_CASE("a body over 1 MiB gets 413, the connection closes, and the server keeps serving") {
  test_server s;
  {
    raw_connection c(s.port);
    const std::string body(1024 * 1024 + 1, 'x');
    c.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body);
    auto res = c.read_response();
    REQUIRE(res);
    CHECK(res->result_int() == 413);
    CHECK_FALSE(res->keep_alive());
    CHECK(c.closed_within(3s));
  }
  {
    // Chunked: the limit applies while reading, not from Content-Length.
    raw_connection c(s.port);
    const std::string chunk(256 * 1024, 'y');
    std::string request = "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 5; ++i)
      request += "40000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    c.send(request);
    auto res = c.read_response();
    REQUIRE(res);
    CHECK(res->result_int() == 413);
  }
  raw_connection again(s.port);
  again.send(get_request("/hello"));
  auto res = again.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 200);
  CHECK(s.render_metrics().find("partnerbot_http_requests_total{route=\"/echo\",status=\"413\"} 2") !=
        std::string::npos);
}

TEST_CASE("a body of exactly 1 MiB is accepted") {
  test_server s;
  raw_connection c(s.port);
  const std::string body(1024 * 1024, 'x');
  c.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body);
  auto res = c.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 200);
  CHECK(res->body().size() == body.size());
}

TEST_CASE("headers over 16 KiB get 431") {
  test_server s;
  raw_connection c(s.port);
  c.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + std::string(17 * 1024, 'p') + "\r\n\r\n");
  auto res = c.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 431);
  CHECK(c.closed_within(3s));
}

TEST_CASE("a malformed request gets 400 and the connection closes") {
  test_server s;
  raw_connection c(s.port);
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto res = c.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 400);
  CHECK(c.closed_within(3s));
}

TEST_CASE("a client that sends half a request is cut off after the request timeout") {
  test_server s(300ms);
  raw_connection c(s.port);
  c.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly part of the body");
  const auto started = std::chrono::steady_clock::now();
  CHECK(c.closed_within(3s));
  const auto waited = std::chrono::steady_clock::now() - started;
  CHECK(waited >= 200ms);
  CHECK(waited < 2s);
}

TEST_CASE("the request timeout is re-armed for each request on a connection") {
  test_server s(400ms);
  raw_connection c(s.port);
  // Three requests spaced so that together they outlast one timeout.
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(250ms);
    c.send(get_request("/hello"));
    auto res = c.read_response();
    REQUIRE(res);
    CHECK(res->result_int() == 200);
  }
}

TEST_CASE("a handler that throws becomes a 500 naming the request id") {
  test_server s;
  raw_connection c(s.port);
  c.send(get_request("/boom"));
  auto res = c.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 500);
  const std::string id((*res)["X-Request-Id"]);
  REQUIRE_FALSE(id.empty());
  CHECK(res->body().find(id) != std::string::npos);
  CHECK(res->body().find("handler failure") == std::string::npos);

  // The connection survives a failed handler.
  c.send(get_request("/hello"));
  auto next = c.read_response();
  REQUIRE(next);
  CHECK(next->result_int() == 200);
}

TEST_CASE("every request gets its own request id, seen by the handler and in the response") {
  test_server s;
  raw_connection c(s.port);
  c.send(get_request("/request-id"));
  auto first = c.read_response();
  c.send(get_request("/request-id"));
  auto second = c.read_response();
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->body() == (*first)["X-Request-Id"]);
  CHECK(second->body() == (*second)["X-Request-Id"]);
  CHECK(first->body() != second->body());
}

TEST_CASE("unknown routes are counted under one label") {
  test_server s;
  for (const char* path : {"/a", "/b", "/c?x=1"}) {
    raw_connection c(s.port);
    c.send(get_request(path));
    REQUIRE(c.read_response());
  }
  const auto text = s.render_metrics();
  CHECK(text.find("partnerbot_http_requests_total{route=\"other\",status=\"404\"} 3") != std::string::npos);
  CHECK(text.find("route=\"/a\"") == std::string::npos);
}

TEST_CASE("graceful shutdown finishes the request in flight and closes idle connections") {
  test_server s;
  raw_connection idle(s.port);
  idle.send(get_request("/hello"));
  REQUIRE(idle.read_response());

  raw_connection busy(s.port);
  busy.send(get_request("/slow"));
  std::this_thread::sleep_for(100ms);
  auto stopped = s.begin_shutdown();

  auto res = busy.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 200);
  CHECK(res->body() == "done");
  CHECK_FALSE(res->keep_alive());
  CHECK(idle.closed_within(2s));
  CHECK(stopped.wait_for(3s) == std::future_status::ready);
  CHECK(s.joined_within(3s));
  CHECK_THROWS(raw_connection(s.port));
}

TEST_CASE("graceful shutdown waits for follow-up work started by a request") {
  test_server s;
  raw_connection c(s.port);
  c.send("POST /follow-up HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
  auto res = c.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 202);
  CHECK_FALSE(s.follow_up_done);
  auto stopped = s.begin_shutdown();
  REQUIRE(stopped.wait_for(3s) == std::future_status::ready);
  CHECK(s.follow_up_done);
  CHECK(s.joined_within(3s));
}

TEST_CASE("a connection still busy after the grace period is closed") {
  test_server s;
  raw_connection busy(s.port);
  busy.send(get_request("/slow"));
  std::this_thread::sleep_for(50ms);
  const auto started = std::chrono::steady_clock::now();
  auto stopped = s.begin_shutdown(100ms);
  CHECK(busy.closed_within(2s));
  REQUIRE(stopped.wait_for(3s) == std::future_status::ready);
  CHECK(std::chrono::steady_clock::now() - started < 1s);
}

namespace {

// Takes every file descriptor the process may still open (with the soft
// limit lowered to just above those in use) and gives them back after.
class descriptors_exhausted {
public:
  descriptors_exhausted() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
      highest = std::max(highest, std::stoi(entry.path().filename().string()));
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(highest + 8);
    ::setrlimit(RLIMIT_NOFILE, &low);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
      held_.push_back(fd);
  }
  ~descriptors_exhausted() { release(); }
  void release() {
    for (int fd : held_)
      ::close(fd);
    held_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  bool exhausted() const {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) ::close(fd);
    return fd < 0 && errno == EMFILE;
  }

private:
  rlimit saved_{};
  std::vector<int> held_;
};

// True when the server closed `fd` (EOF or reset) within `timeout`.
bool closed_by_peer(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char c;
  return ::recv(fd, &c, 1, MSG_DONTWAIT) <= 0;
}

std::size_t open_descriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    ++count;
  return count;
}

std::chrono::microseconds cpu_time_used() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return std::chrono::seconds(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         std::chrono::microseconds(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

} // namespace

TEST_CASE("connections past the cap are closed at once and counted, and the server keeps serving") {
  test_server s(bot::http::limits{.request_timeout = 5000ms, .max_connections = 2});
  raw_connection first(s.port);
  std::optional<raw_connection> second(s.port);
  for (auto* c : {&first, &*second}) {
    c->send(get_request("/hello"));
    REQUIRE(c->read_response());
  }

  raw_connection third(s.port);
  const auto started = std::chrono::steady_clock::now();
  CHECK(third.closed_within(3s));
  CHECK(std::chrono::steady_clock::now() - started < 1s);

  first.send(get_request("/hello"));
  auto still = first.read_response();
  REQUIRE(still);
  CHECK(still->result_int() == 200);
  const auto text = s.render_metrics();
  CHECK(contains(text, "partnerbot_http_connections_refused_total{reason=\"limit\"} 1\n"));
  CHECK(contains(text, "partnerbot_http_connections_open 2\n"));

  // Once one leaves, a newcomer is served.
  second.reset();
  CHECK(eventually(
      [&] {
        raw_connection next(s.port);
        next.send(get_request("/hello"));
        auto res = next.read_response(500ms);
        return res && res->result_int() == 200;
      },
      20s, 50ms));
}

TEST_CASE("out of file descriptors, waiting clients are closed at once and accepting resumes after") {
  test_server s(bot::http::limits{.request_timeout = 5000ms});
  // Client sockets are made first: connecting needs no further descriptor.
  std::vector<int> clients;
  for (int i = 0; i < 4; ++i)
    clients.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(s.port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  std::vector<bool> closed;
  std::chrono::microseconds cpu{};
  // The server answers once first, so that nothing it opens while starting
  // up (and closes after) frees a descriptor once the test has taken them all.
  // The client sees the server's FIN before the server closes its socket, so
  // the test waits for the descriptor count itself to come back.
  const auto before_warm_up = open_descriptors();
  {
    raw_connection warm_up(s.port);
    warm_up.send(get_request("/hello", false));
    REQUIRE(warm_up.read_response());
    REQUIRE(warm_up.closed_within(1000ms));
  }
  REQUIRE(eventually([&] { return open_descriptors() <= before_warm_up; }, 2s, 5ms));
  {
    descriptors_exhausted none_left;
    REQUIRE(none_left.exhausted());
    const auto cpu_before = cpu_time_used();
    for (int fd : clients)
      REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    for (int fd : clients)
      closed.push_back(closed_by_peer(fd, 1000ms));
    // Out of descriptors with nobody waiting: the accept loop must idle.
    std::this_thread::sleep_for(300ms);
    cpu = cpu_time_used() - cpu_before;
  }
  for (int fd : clients)
    ::close(fd);

  for (bool c : closed)
    CHECK(c);
  CHECK(cpu < 300ms);
  CHECK(
      contains(s.render_metrics(), "partnerbot_http_connections_refused_total{reason=\"descriptors\"} 4\n"));
  raw_connection after(s.port);
  after.send(get_request("/hello"));
  auto res = after.read_response();
  REQUIRE(res);
  CHECK(res->result_int() == 200);
}
