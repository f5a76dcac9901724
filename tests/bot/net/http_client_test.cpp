// The outbound client's one deadline covers name resolution too. The names
// here never reach a real resolver: the client's resolver is replaced by
// one the test controls, which stalls or answers 127.0.0.1.

#include "bot/net/http_client.hpp"
#include "support/fake_pleo.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// A resolver that holds every lookup until released (or for at most
// `longest`, so that no thread outlives the test by much), and counts them.
struct held_lookups {
  std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  int started = 0;
  int finished = 0;

  void release() {
    std::lock_guard lock(mutex);
    released = true;
    released_cv.notify_all();
  }
  // Waits (bounded) until every lookup that started has returned.
  bool all_finished(std::chrono::milliseconds limit) {
    std::unique_lock lock(mutex);
    return released_cv.wait_for(lock, limit, [this] { return finished == started; });
  }
};

bot::resolve_fn holding_resolver(std::shared_ptr<held_lookups> held, std::chrono::milliseconds longest) {
  return [held, longest](const std::string&, const std::string&, std::string& error) {
    std::unique_lock lock(held->mutex);
    ++held->started;
    held->released_cv.wait_for(lock, longest, [&] { return held->released; });
    ++held->finished;
    held->released_cv.notify_all();
    error = "no such host (test resolver)";
    return std::vector<asio::ip::tcp::endpoint>{};
  };
}

// Answers every name with 127.0.0.1 after `delay`, and records the names asked for.
struct loopback_lookups {
  std::mutex mutex;
  std::vector<std::string> names;
};

bot::resolve_fn loopback_resolver(std::shared_ptr<loopback_lookups> seen, std::chrono::milliseconds delay) {
  return [seen, delay](const std::string& host, const std::string& port, std::string&) {
    {
      std::lock_guard lock(seen->mutex);
      seen->names.push_back(host);
    }
    std::this_thread::sleep_for(delay); // a slow name server
    return std::vector<asio::ip::tcp::endpoint>{
        {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::stoi(port))}};
  };
}

bot::outbound_response send_for_resolve_test(bot::http_client& client, asio::io_context& io,
                                             bot::outbound_request req) {
  auto fut = asio::co_spawn(io, client.send(std::move(req)), asio::use_future);
  io.run_for(20s);
  io.restart();
  REQUIRE(fut.wait_for(0s) == std::future_status::ready);
  return fut.get();
}

} // namespace

TEST_CASE("a name lookup that stalls ends the request at its timeout, not when the lookup gives up") {
  auto held = std::make_shared<held_lookups>();
  asio::io_context io;
  bot::http_client client(io);
  client.set_resolver(holding_resolver(held, 15s));
  bot::outbound_request req;
  req.method = "GET";
  req.url = "http://pleo-api.stalls.test:8080/v1/companies";
  req.timeout = 500ms;

  const auto started = std::chrono::steady_clock::now();
  const auto res = send_for_resolve_test(client, io, req);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK_FALSE(res.transport_ok);
  CHECK(res.error == "timeout resolving pleo-api.stalls.test");
  CHECK(took >= 450ms);
  CHECK(took < 3s); // the lookup itself is still held
  {
    std::lock_guard lock(held->mutex);
    CHECK(held->started == 1);
    CHECK(held->finished == 0);
  }

  // The client is not stuck behind the held lookup: the next request, to a
  // name that stalls too, ends at its own deadline.
  req.timeout = 300ms;
  const auto again = send_for_resolve_test(client, io, req);
  CHECK(again.error == "timeout resolving pleo-api.stalls.test");

  // Released late, the lookups' answers go nowhere and nothing breaks.
  held->release();
  CHECK(held->all_finished(5s));
  io.run_for(100ms);
}

TEST_CASE("a host name goes through the resolver, and resolution, connect and the exchange share one "
          "deadline") {
  test_support::fake_pleo pleo;
  test_support::fake_company company;
  company.id = test_support::fake_uuid(1);
  company.name = "Acme ApS";
  company.api_key = "resolver-test-key";
  pleo.add_company(company);
  const auto port = pleo.base_url().substr(pleo.base_url().rfind(':') + 1);

  auto seen = std::make_shared<loopback_lookups>();
  asio::io_context io;
  bot::http_client client(io);

  SECTION("a name the resolver answers is reached at the address it gave") {
    client.set_resolver(loopback_resolver(seen, 0ms));
    bot::outbound_request req;
    req.method = "GET";
    req.url = "http://pleo-api.loopback.test:" + port + "/v1/companies/" + company.id;
    req.timeout = 5s;
    const auto res = send_for_resolve_test(client, io, req);
    INFO(res.error);
    CHECK(res.transport_ok);
    CHECK(res.status == 401); // no credential: the fake answered
    CHECK(pleo.requests().size() == 1);
    std::lock_guard lock(seen->mutex);
    CHECK(seen->names == std::vector<std::string>{"pleo-api.loopback.test"});
  }

  SECTION("time spent resolving is taken from the same timeout as the answer's") {
    // The lookup takes 1 s of a 1.5 s timeout, and the answer stalls for 10 s:
    // the request ends 1.5 s after it started, not 1 s + 1.5 s.
    client.set_resolver(loopback_resolver(seen, 1000ms));
    test_support::scripted_fault stall;
    stall.kind = test_support::fake_fault::stall;
    stall.operation = "introspect";
    stall.stall = 10s;
    pleo.script(company.id, stall);
    bot::outbound_request req;
    req.method = "GET";
    req.url = "http://pleo-api.loopback.test:" + port + "/v1/introspect";
    req.headers.emplace_back("Authorization", "Basic cmVzb2x2ZXItdGVzdC1rZXk6"); // "resolver-test-key:"
    req.timeout = 1500ms;
    const auto started = std::chrono::steady_clock::now();
    const auto res = send_for_resolve_test(client, io, req);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK_FALSE(res.transport_ok);
    CHECK(res.error == "timeout talking to pleo-api.loopback.test");
    CHECK(took >= 1400ms);
    CHECK(took < 2300ms);
    CHECK(pleo.requests().size() == 1); // it did reach the server
  }
}

TEST_CASE("an IP literal never goes through the resolver") {
  test_support::fake_pleo pleo;
  auto held = std::make_shared<held_lookups>();
  asio::io_context io;
  bot::http_client client(io);
  client.set_resolver(holding_resolver(held, 1s));
  bot::outbound_request req;
  req.method = "GET";
  req.url = pleo.base_url() + "/v1/introspect";
  req.timeout = 5s;
  const auto res = send_for_resolve_test(client, io, req);
  INFO(res.error);
  CHECK(res.transport_ok);
  std::lock_guard lock(held->mutex);
  CHECK(held->started == 0);
}
