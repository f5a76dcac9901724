#pragma once
// Exact (method, path) routes to handlers. Every request gets a request id
// (the `X-Request-Id` header, on the request for handlers and on the
// response), one log line and a metrics sample; a handler that throws
// becomes a 500 with a short apology. Unknown paths get 404, a known path
// with another method 405 with `Allow`.
// Single-threaded: use from the io_context's thread only.

#include "bot/net/message.hpp"
#include "bot/net/metrics.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace bot {

class router {
public:
  // The route label for requests that match no route (bounds the label set).
  static constexpr std::string_view other_route = "other";

  explicit router(bot::metrics& metrics);

  // Adds a route; replaces an existing one for the same method and path.
  void add(boost::beast::http::verb method, std::string path, http::route_handler handler);
  // Answers one request; never throws.
  boost::asio::awaitable<http::response> dispatch(http::request& req);
  // Logs and counts a request the transport answered by itself (400, 413, 431).
  void record_rejection(std::string_view method, std::string_view target, unsigned status);

private:
  struct route {
    boost::beast::http::verb method;
    http::route_handler handler;
  };
  std::string next_request_id();
  std::string_view route_label(std::string_view path) const;

  bot::metrics& metrics_;
  std::unordered_map<std::string, std::vector<route>> routes_;
  std::uint32_t id_prefix_;
  std::uint64_t id_counter_ = 0;
};

// The path of a request target, without query string.
std::string_view target_path(std::string_view target);

} // namespace bot
