#pragma once
// Reads one HTTP/1.1 request from bytes as they arrive, within the server's
// limits, whatever the framing: the request line and headers, every
// chunk-size line with its extensions, and the trailer together may take
// `framing_limit` bytes (431), the body `body_limit` (413); anything
// malformed is 400. It does no I/O, so a session and the fuzzing harness
// drive the same code. Not thread-safe; one reader per request.

#include "bot/net/message.hpp"

#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bot::http {

struct limits {
  // Time a client has to send a whole request (armed anew before each
  // request on a connection), and to take a response.
  std::chrono::milliseconds request_timeout{10000};
  // Everything but the body: request line, headers, chunk-size lines and
  // extensions, trailer. It also bounds a session's read buffer.
  std::uint32_t framing_limit = 16 * 1024;
  std::uint64_t body_limit = 1024 * 1024;
  // Connections open at once; more are closed as soon as they are accepted.
  std::size_t max_connections = 1024;
};

class request_reader {
public:
  explicit request_reader(const limits& lim);

  // Parses as much of `bytes` as it can and returns how many it used; the
  // caller drops those and offers the rest again with more. Bytes left over
  // once done() belong to the next request. Call only while wants_more().
  std::size_t feed(std::string_view bytes);

  bool wants_more() const { return !done() && !rejection_; }
  bool done() const { return parser_.is_done(); }
  bool header_done() const { return parser_.is_header_done(); }
  // The status to answer before closing (400, 413, 431), once refused.
  std::optional<boost::beast::http::status> rejection() const { return rejection_; }
  // The client asked to be told to go on before sending its body.
  bool expects_continue() const;
  // Framing bytes parsed so far; past framing_limit the reader refuses.
  std::size_t framing_bytes() const { return framing_; }

  // What was read of the request line (possibly nothing), for the log.
  std::string_view method() const;
  std::string_view target() const;

  // The request, once done().
  request release() { return parser_.release(); }

private:
  void refuse(boost::beast::http::status status) { rejection_ = status; }

  boost::beast::http::request_parser<boost::beast::http::string_body> parser_;
  std::uint32_t framing_limit_;
  std::size_t consumed_ = 0; // bytes the parser took, framing and body
  std::size_t framing_ = 0;
  std::optional<boost::beast::http::status> rejection_;
};

// The short text sent with a transport rejection.
std::string_view rejection_text(boost::beast::http::status status);

} // namespace bot::http
