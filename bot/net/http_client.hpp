#pragma once
// Outbound HTTP(S) client for platform APIs: TLS with certificate and host
// name verification and SNI, keep-alive connections reused per origin.
// A request's timeout bounds all of it: name resolution, connect, TLS
// handshake, write and read.
// Single-threaded: use from the io_context's thread only.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bot {

struct outbound_request {
  std::string method = "POST";
  std::string url; // http:// (loopback tests) or https://
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

struct outbound_response {
  bool transport_ok = false; // false: connect/TLS/timeout error (see error)
  std::string error;
  int status = 0;
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
};

// Turns a host name into addresses, blocking (the system's getaddrinfo by
// default). It runs on a thread of its own that a request past its deadline
// leaves behind, since a lookup in progress cannot be cancelled. On failure
// it returns nothing and says why in `error`.
using resolve_fn = std::function<std::vector<boost::asio::ip::tcp::endpoint>(
    const std::string& host, const std::string& port, std::string& error)>;

class http_client {
public:
  explicit http_client(boost::asio::io_context& io);
  ~http_client();
  boost::asio::awaitable<outbound_response> send(outbound_request req);

  // Another resolver (tests stall one); IP literals never reach it.
  void set_resolver(resolve_fn resolver);

private:
  struct pool;
  boost::asio::io_context& io_;
  resolve_fn resolver_;
  // Lookups still running, abandoned ones included: they are capped, so
  // a resolver that hangs cannot pile up threads.
  std::shared_ptr<std::atomic<int>> lookups_ = std::make_shared<std::atomic<int>>(0);
  boost::asio::ssl::context tls_;
  std::once_flag trust_loaded_;
  std::unique_ptr<pool> pool_;
};

} // namespace bot
