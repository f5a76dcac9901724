#include "support/loopback_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace test_support {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

fake_response response_to(const fake_request& req, unsigned status, std::string body,
                          const std::vector<std::pair<std::string, std::string>>& headers) {
  fake_response res;
  res.version(11);
  res.keep_alive(req.keep_alive());
  res.result(status);
  for (const auto& [name, value] : headers)
    res.set(name, value);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

loopback_server::loopback_server(handler answer, std::size_t body_limit)
    : answer_(std::move(answer)), body_limit_(body_limit) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

loopback_server::~loopback_server() {
  io_.stop();
  thread_.join();
}

asio::awaitable<void> loopback_server::accept_loop() {
  for (;;) {
    boost::system::error_code ec;
    auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    ++accepted_;
    asio::co_spawn(io_, session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> loopback_server::session(tcp::socket socket) {
  boost::beast::tcp_stream stream(std::move(socket));
  boost::beast::flat_buffer buffer;
  for (;;) {
    boost::system::error_code ec;
    http::request_parser<http::string_body> parser;
    parser.body_limit(body_limit_);
    stream.expires_after(std::chrono::seconds(30));
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    auto answer = answer_(parser.get());
    if (answer.delay.count() > 0) {
      asio::steady_timer timer(stream.get_executor(), answer.delay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    const bool keep = answer.response.keep_alive();
    co_await http::async_write(stream, answer.response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || !keep) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

} // namespace test_support
