#pragma once
// Outbound HTTP(S) client for platform APIs: TLS with certificate and host
// name verification and SNI, keep-alive connections reused per origin.
// Single-threaded: use from the io_context's thread only.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
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

class http_client {
public:
  explicit http_client(boost::asio::io_context& io);
  ~http_client();
  boost::asio::awaitable<outbound_response> send(outbound_request req);

private:
  struct pool;
  boost::asio::io_context& io_;
  boost::asio::ssl::context tls_;
  std::once_flag trust_loaded_;
  std::unique_ptr<pool> pool_;
};

} // namespace bot
