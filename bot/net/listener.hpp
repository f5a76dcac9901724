#pragma once
// Accepts TCP connections and runs a session for each, at most
// `limits.max_connections` at once: past that, and whenever the process is
// out of file descriptors, a new connection is closed as soon as it is
// accepted (and counted) rather than left waiting in the backlog. Shutdown
// stops accepting, closes idle keep-alive connections, lets requests in
// flight finish (bounded), then closes whatever is left.
// Single-threaded: use from the io_context's thread only.

#include "bot/net/session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

namespace bot::http {

class listener {
public:
  listener(boost::asio::io_context& io, limits lim, dispatcher dispatch, rejection_hook rejected = {});
  ~listener();
  listener(const listener&) = delete;
  listener& operator=(const listener&) = delete;

  // Binds and listens; throws boost::system::system_error (e.g. address in use).
  void listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Starts the accept loop (after listen).
  void start();
  // Completes once every connection is closed; connections still busy
  // after `grace` are closed as they are.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds grace);

  std::size_t open_connections() const { return ctx_->connections.size(); }
  // Connections closed on arrival: over the cap, or out of descriptors.
  struct refusals {
    std::uint64_t over_limit = 0;
    std::uint64_t no_descriptors = 0;
  };
  const refusals& refused() const { return refused_; }
  // Prometheus lines: partnerbot_http_connections_open and _refused_total.
  void collect_metrics(std::string& out) const;

private:
  boost::asio::awaitable<void> accept_loop();
  void shed_waiting();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<server_context> ctx_;
  refusals refused_;
  // Held back so that, out of descriptors, one is free to accept a waiting
  // client with and close it.
  int spare_fd_ = -1;
};

} // namespace bot::http
