#include "bot/net/session.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

namespace bot::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Half-closes, then reads and discards what the client still sends (for a
// bounded time and amount) so that closing does not reset the connection
// before the client has read our answer.
asio::awaitable<void> lingering_close(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.expires_after(std::chrono::milliseconds(1000));
  std::array<char, 16 * 1024> sink;
  std::size_t discarded = 0;
  while (!ec && discarded < 8 * 1024 * 1024) {
    auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
    ec = read_ec;
    discarded += n;
  }
  stream.close();
}

void close_after_response(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

enum class read_outcome { request, rejected, closed };

// Reads one request into `reader`, keeping at most the buffer's max_size
// (the framing limit) in memory. The caller arms the timeout.
asio::awaitable<read_outcome> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                           request_reader& reader, connection_registry::entry& self) {
  bool told_to_continue = false;
  for (;;) {
    if (buffer.size() > 0) {
      self.idle = false;
      const auto data = buffer.data();
      buffer.consume(reader.feed(std::string_view(static_cast<const char*>(data.data()), data.size())));
    }
    if (reader.done()) co_return read_outcome::request;
    if (reader.rejection()) co_return read_outcome::rejected;
    if (reader.header_done() && reader.expects_continue() && !told_to_continue) {
      told_to_continue = true;
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
      auto [ec, n] = co_await bhttp::async_write(stream, go_on, use_tuple);
      if (ec) co_return read_outcome::closed;
    }
    // The reader refuses before the buffer fills with an unfinished line;
    // a full buffer here would be a bug, never a reason to grow it.
    const auto room = buffer.max_size() - buffer.size();
    if (room == 0) co_return read_outcome::closed;
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(room), use_tuple);
    if (ec) {
      spdlog::debug("connection closed while reading: {}", ec.message());
      co_return read_outcome::closed;
    }
    buffer.commit(n);
  }
}

} // namespace

asio::awaitable<void> run_session(tcp::socket socket, std::shared_ptr<server_context> ctx) {
  beast::tcp_stream stream(std::move(socket));
  auto& registry = ctx->connections;
  auto handle = registry.add([&stream] { stream.close(); });
  struct deregister {
    connection_registry& registry;
    connection_registry::handle handle;
    ~deregister() { registry.remove(handle); }
  } guard{registry, handle};

  beast::flat_buffer buffer(ctx->limits.framing_limit);
  for (;;) {
    if (registry.stopping()) break;
    handle->idle = buffer.size() == 0;
    // One deadline for the whole request, armed anew for each.
    stream.expires_after(ctx->limits.request_timeout);

    request_reader reader(ctx->limits);
    const auto outcome = co_await read_request(stream, buffer, reader, *handle);
    if (outcome == read_outcome::closed) break;
    if (outcome == read_outcome::rejected) {
      const auto status = *reader.rejection();
      bhttp::response<bhttp::string_body> res{status, 11};
      res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
      res.keep_alive(false);
      res.body() = std::string(rejection_text(status));
      res.prepare_payload();
      stream.expires_after(ctx->limits.request_timeout);
      auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
      ctx->rejected(reader.method(), reader.target(), static_cast<unsigned>(status));
      if (!write_ec) co_await lingering_close(stream);
      break;
    }

    request req = reader.release();
    stream.expires_never();
    response res = co_await ctx->dispatch(req);
    const bool keep_alive = req.keep_alive() && res.keep_alive() && !registry.stopping();
    res.keep_alive(keep_alive);
    res.prepare_payload();

    stream.expires_after(ctx->limits.request_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
    if (write_ec) {
      spdlog::debug("connection closed while writing: {}", write_ec.message());
      break;
    }
    if (!keep_alive) {
      close_after_response(stream);
      break;
    }
  }
  stream.close();
}

} // namespace bot::http
