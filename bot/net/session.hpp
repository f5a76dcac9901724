#pragma once
// One HTTP/1.1 connection: reads requests one after another (keep-alive)
// through a request_reader, hands each to the dispatcher and writes the
// answer. The read buffer never holds more than the framing limit, so no
// framing can make a connection hold more than its limits. Runs on the
// io_context's thread.

#include "bot/net/connections.hpp"
#include "bot/net/message.hpp"
#include "bot/net/request_reader.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string_view>

namespace bot::http {

// Answers a request that was read whole; must not throw.
using dispatcher = std::function<boost::asio::awaitable<response>(request&)>;
// The transport answered by itself (400, 413, 431); `target` may be empty.
using rejection_hook = std::function<void(std::string_view method, std::string_view target, unsigned status)>;

// Shared by the listener and its sessions; outlives both.
struct server_context {
  http::limits limits;
  http::dispatcher dispatch;
  rejection_hook rejected = [](std::string_view, std::string_view, unsigned) {};
  connection_registry connections;
};

boost::asio::awaitable<void> run_session(boost::asio::ip::tcp::socket socket,
                                         std::shared_ptr<server_context> ctx);

} // namespace bot::http
