#pragma once
// One HTTP/1.1 connection: reads requests one after another (keep-alive),
// hands each to the dispatcher and writes the answer. The coroutine is
// templated on the stream so a TCP socket and Beast's test stream share
// one code path. Runs on the io_context's thread.

#include "bot/http/connections.hpp"
#include "bot/http/message.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

namespace bot::http {

struct limits {
  // Time a client has to send a whole request (re-armed for each one), and
  // to take a response.
  std::chrono::milliseconds request_timeout{10000};
  std::uint32_t header_limit = 16 * 1024;
  std::uint64_t body_limit = 1024 * 1024;
};

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

namespace detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

template <class Stream> void arm_timeout(Stream& stream, std::chrono::milliseconds timeout) {
  if constexpr (requires { beast::get_lowest_layer(stream).expires_after(timeout); })
    beast::get_lowest_layer(stream).expires_after(timeout);
}

template <class Stream> void disarm_timeout(Stream& stream) {
  if constexpr (requires { beast::get_lowest_layer(stream).expires_never(); })
    beast::get_lowest_layer(stream).expires_never();
}

// Read errors the client hears about; the rest close the connection quietly
// (end of stream, timeouts, resets).
inline std::optional<bhttp::status> rejection_for(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return bhttp::status::payload_too_large;
  if (ec == bhttp::error::header_limit) return bhttp::status::request_header_fields_too_large;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == bhttp::error::need_more ||
      ec == bhttp::error::need_buffer)
    return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
    return bhttp::status::bad_request;
  return std::nullopt;
}

inline std::string_view rejection_text(bhttp::status status) {
  switch (status) {
  case bhttp::status::payload_too_large:
    return "Request body too large (limit 1 MiB).\n";
  case bhttp::status::request_header_fields_too_large:
    return "Request headers too large (limit 16 KiB).\n";
  default:
    return "Bad request.\n";
  }
}

// Half-closes, then reads and discards what the client still sends (for a
// bounded time and amount) so that closing does not reset the connection
// before the client has read our answer.
template <class Stream> asio::awaitable<void> lingering_close(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  if constexpr (requires { lowest.socket(); }) {
    beast::error_code ec;
    lowest.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    arm_timeout(stream, std::chrono::milliseconds(1000));
    std::array<char, 16 * 1024> sink;
    std::size_t discarded = 0;
    while (!ec && discarded < 8 * 1024 * 1024) {
      auto [read_ec, n] = co_await lowest.async_read_some(asio::buffer(sink), use_tuple);
      ec = read_ec;
      discarded += n;
    }
  }
  lowest.close();
}

template <class Stream> void close_after_response(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  if constexpr (requires { lowest.socket(); }) {
    beast::error_code ec;
    lowest.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  }
  lowest.close();
}

inline bool expects_continue(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& header = parser.get();
  auto expect = header[bhttp::field::expect];
  return header.version() >= 11 && beast::iequals(expect, "100-continue");
}

} // namespace detail

template <class Stream>
boost::asio::awaitable<void> run_session(Stream stream, std::shared_ptr<server_context> ctx) {
  namespace beast = boost::beast;
  namespace bhttp = boost::beast::http;
  using detail::use_tuple;

  auto& registry = ctx->connections;
  auto handle = registry.add([&stream] { beast::get_lowest_layer(stream).close(); });
  struct deregister {
    connection_registry& registry;
    connection_registry::handle handle;
    ~deregister() { registry.remove(handle); }
  } guard{registry, handle};

  beast::flat_buffer buffer;
  for (;;) {
    if (registry.stopping()) break;
    handle->idle = buffer.size() == 0;
    detail::arm_timeout(stream, ctx->limits.request_timeout);

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(ctx->limits.header_limit);
    parser.body_limit(ctx->limits.body_limit);

    auto [ec, ignored] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
    handle->idle = false;
    if (!ec && detail::expects_continue(parser)) {
      bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
      std::tie(ec, ignored) = co_await bhttp::async_write(stream, go_on, use_tuple);
    }
    if (!ec && !parser.is_done()) std::tie(ec, ignored) = co_await bhttp::async_read(stream, buffer, parser, use_tuple);

    if (ec) {
      if (auto status = detail::rejection_for(ec)) {
        // The start line may have been read even when the header was refused.
        const std::string target(parser.get().target());
        const std::string method = target.empty() ? std::string() : std::string(parser.get().method_string());
        bhttp::response<bhttp::string_body> res{*status, 11};
        res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
        res.keep_alive(false);
        res.body() = std::string(detail::rejection_text(*status));
        res.prepare_payload();
        detail::arm_timeout(stream, ctx->limits.request_timeout);
        auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
        ctx->rejected(method, target, static_cast<unsigned>(*status));
        if (!write_ec) co_await detail::lingering_close(stream);
      } else {
        spdlog::debug("connection closed while reading: {}", ec.message());
      }
      break;
    }

    request req = parser.release();
    detail::disarm_timeout(stream);
    response res = co_await ctx->dispatch(req);
    const bool keep_alive = req.keep_alive() && res.keep_alive() && !registry.stopping();
    res.keep_alive(keep_alive);
    res.prepare_payload();

    detail::arm_timeout(stream, ctx->limits.request_timeout);
    auto [write_ec, written] = co_await bhttp::async_write(stream, res, use_tuple);
    if (write_ec) {
      spdlog::debug("connection closed while writing: {}", write_ec.message());
      break;
    }
    if (!keep_alive) {
      detail::close_after_response(stream);
      break;
    }
  }
  beast::get_lowest_layer(stream).close();
}

} // namespace bot::http
