#pragma once
// HTTP on loopback as the benchmarks speak it: probes of a server's
// endpoints, and a closed loop of prepared requests over keep-alive
// connections.

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;
using reply = bhttp::response<bhttp::string_body>;

// A port on 127.0.0.1 that was free a moment ago.
unsigned short free_port();

// One GET on a fresh connection; the reply, or nullopt when the server is
// not there (yet).
std::optional<reply> fetch(unsigned short port, const std::string& target,
                           std::chrono::seconds timeout = std::chrono::seconds(1));
// A sample of the server's Prometheus page (/metrics), or nullopt.
std::optional<double> metric(unsigned short port, const std::string& name,
                             std::chrono::seconds timeout = std::chrono::seconds(1));
// Polls `target` until it answers 200; the ms since `spawned`, or nullopt
// when `limit` passed first.
std::optional<double> wait_until_up(unsigned short port, const std::string& target,
                                    clock_type::time_point spawned, std::chrono::seconds limit);

struct prepared_request {
  std::string kind; // "search broad (admin)", ...
  std::string wire; // the whole HTTP request
};

struct load_plan {
  int connections = 1;
  std::size_t spread = 1; // connection c starts at request c * spread, then walks with the connection count
  clock_type::time_point end;
  std::chrono::seconds timeout{5}; // per request
};

// Called for each reply, with when its request was sent and when the reply was read.
using answer_handler = std::function<void(const prepared_request&, clock_type::time_point sent,
                                          clock_type::time_point answered, const reply&)>;

// Each connection sends its next request as soon as the last is answered,
// until `plan.end`. Returns how many connections failed (each is reported
// on stderr).
std::size_t run_closed_loop(unsigned short port, const std::vector<prepared_request>& requests,
                            const load_plan& plan, const answer_handler& on_answer);

// The value at `p` (0 to 1) of sorted samples, 0 when there are none.
double percentile(const std::vector<std::int64_t>& sorted, double p);
inline double percentile_ms(const std::vector<std::int64_t>& sorted_ns, double p) {
  return percentile(sorted_ns, p) / 1e6;
}

} // namespace bench
