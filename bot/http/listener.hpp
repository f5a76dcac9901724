#pragma once
// Accepts TCP connections and runs a session for each. Shutdown stops
// accepting, closes idle keep-alive connections, lets requests in flight
// finish (bounded), then closes whatever is left.
// Single-threaded: use from the io_context's thread only.

#include "bot/http/session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <memory>

namespace bot::http {

class listener {
public:
  listener(boost::asio::io_context& io, limits lim, dispatcher dispatch, rejection_hook rejected = {});

  // Binds and listens; throws boost::system::system_error (e.g. address in use).
  void listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Starts the accept loop (after listen).
  void start();
  // Completes once every connection is closed; connections still busy
  // after `grace` are closed as they are.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  std::size_t open_connections() const { return ctx_->connections.size(); }

private:
  boost::asio::awaitable<void> accept_loop();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<server_context> ctx_;
};

} // namespace bot::http
