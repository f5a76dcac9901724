#pragma once
// The HTTP/1.1 half of the fake platform servers: 127.0.0.1 on a port the
// OS picks, keep-alive connections served on the server's own thread until
// the server is destroyed. The fake says what each request gets.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace test_support {

// A fake's answer to one request, and how long to hold it back (a slow API).
struct fake_answer {
  boost::beast::http::response<boost::beast::http::string_body> response;
  std::chrono::milliseconds delay{0};
};

using fake_request = boost::beast::http::request<boost::beast::http::string_body>;
using fake_response = boost::beast::http::response<boost::beast::http::string_body>;

// An HTTP/1.1 answer to `req`, kept alive when the request asks for it.
fake_response response_to(const fake_request& req, unsigned status, std::string body,
                          const std::vector<std::pair<std::string, std::string>>& headers = {});

class loopback_server {
public:
  using request = fake_request;
  // Called on the server's thread, one request at a time per connection.
  using handler = std::function<fake_answer(const request&)>;

  explicit loopback_server(handler answer, std::size_t body_limit = 16 * 1024 * 1024);
  ~loopback_server(); // stops serving and joins the thread
  loopback_server(const loopback_server&) = delete;
  loopback_server& operator=(const loopback_server&) = delete;

  unsigned short port() const { return port_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // TCP connections accepted so far (shows keep-alive reuse).
  std::size_t connections_accepted() const { return accepted_; }

private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);

  handler answer_;
  std::size_t body_limit_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  unsigned short port_ = 0;
  std::atomic<std::size_t> accepted_{0};
  std::thread thread_;
};

} // namespace test_support
