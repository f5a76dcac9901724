// Requests framed to make the server hold memory before any signature is
// checked: a chunk-size line whose extension never ends, and a trailer that
// never ends, streamed at a real app on 127.0.0.1.

#include "bot/net/flood_client.hpp"
#include "support/running_app.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

namespace {

using namespace std::chrono_literals;
using test_support::flood;
using test_support::flood_result;
using test_support::resident_kib;

constexpr std::size_t flood_bytes = 64 * 1024 * 1024;

const std::string chunked_head = "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Content-Type: application/x-www-form-urlencoded\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n";

// Highest resident memory seen while `work` runs, sampled every few ms.
template <class F> long peak_resident_kib_during(F work) {
  std::atomic<bool> done{false};
  std::atomic<long> peak{resident_kib()};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), resident_kib());
      std::this_thread::sleep_for(2ms);
    }
  });
  work();
  done = true;
  sampler.join();
  return std::max(peak.load(), resident_kib());
}

} // namespace

TEST_CASE("endless chunk extensions and trailers get 431 and hold no more memory than the limits") {
  bot::config cfg;
  cfg.request_timeout = 3s;
  test_support::running_app app(cfg);

  const long before = resident_kib();
  flood_result extension, trailer;
  const long peak = peak_resident_kib_during([&] {
    // Two connections at once, as an attacker would.
    std::thread a([&] { extension = flood(app.port(), chunked_head + "1;x=", 'e', flood_bytes); });
    std::thread b(
        [&] { trailer = flood(app.port(), chunked_head + "1\r\nz\r\n0\r\nX-T: ", 't', flood_bytes); });
    a.join();
    b.join();
  });

  CHECK(test_support::status_of(extension.answer) == 431);
  CHECK(test_support::status_of(trailer.answer) == 431);
  // The server stopped taking bytes long before the 64 MiB were sent.
  CHECK(extension.sent < flood_bytes / 2);
  CHECK(trailer.sent < flood_bytes / 2);
  INFO("resident before " << before << " KiB, peak " << peak << " KiB");
  CHECK(peak - before < 16 * 1024);

  auto health = test_support::http_request(app.port(), "GET", "/healthz");
  CHECK(health.status == 200);
}

TEST_CASE("a well-formed chunked request with extensions and a trailer is still served") {
  bot::config cfg;
  test_support::running_app app(cfg);
  const auto answer = flood(app.port(),
                            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n2;a=b\r\nok\r\n0\r\nX-T: 1\r\n\r\n",
                            'x', 0, 3s);
  CHECK(test_support::status_of(answer.answer) == 200);
}
