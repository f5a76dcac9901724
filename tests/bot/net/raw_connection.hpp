#pragma once
// A client connection for transport tests that need control over the bytes
// sent (half requests, oversized headers, several requests on one socket).
// Every operation is bounded in time.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace test_support {

class raw_connection {
public:
  using response = boost::beast::http::response<boost::beast::http::string_body>;

  explicit raw_connection(unsigned short port) : stream_(io_) {
    run([&]() -> boost::asio::awaitable<void> {
      stream_.expires_after(std::chrono::seconds(5));
      co_await stream_.async_connect(
          boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port),
          boost::asio::use_awaitable);
    });
  }

  void send(const std::string& bytes) {
    run([&]() -> boost::asio::awaitable<void> {
      stream_.expires_after(std::chrono::seconds(5));
      co_await boost::asio::async_write(stream_, boost::asio::buffer(bytes), boost::asio::use_awaitable);
    });
  }

  // The next response, or nullopt when the connection closed (or nothing
  // came within `timeout`).
  std::optional<response> read_response(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::optional<response> out;
    run([&]() -> boost::asio::awaitable<void> {
      stream_.expires_after(timeout);
      boost::beast::http::response_parser<boost::beast::http::string_body> parser;
      auto [ec, n] = co_await boost::beast::http::async_read(
          stream_, buffer_, parser, boost::asio::as_tuple(boost::asio::use_awaitable));
      if (!ec) out = parser.release();
    });
    return out;
  }

  // True when the server closes the connection within `timeout` (any bytes
  // it sends first are discarded).
  bool closed_within(std::chrono::milliseconds timeout) {
    bool closed = false;
    run([&]() -> boost::asio::awaitable<void> {
      stream_.expires_after(timeout);
      char sink[4096];
      for (;;) {
        auto [ec, n] = co_await stream_.async_read_some(boost::asio::buffer(sink),
                                                        boost::asio::as_tuple(boost::asio::use_awaitable));
        if (ec == boost::beast::error::timeout) break;
        if (ec) {
          closed = true;
          break;
        }
      }
    });
    return closed;
  }

private:
  template <class F> void run(F make) {
    io_.restart();
    auto done = boost::asio::co_spawn(io_, make(), boost::asio::use_future);
    io_.run();
    done.get();
  }

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

inline std::string get_request(const std::string& target, bool keep_alive = true) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keep_alive ? "" : "Connection: close\r\n") +
         "\r\n";
}

} // namespace test_support
