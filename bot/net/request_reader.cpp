#include "bot/net/request_reader.hpp"

#include <boost/beast/core/string.hpp>

namespace bot::http {

namespace bhttp = boost::beast::http;

request_reader::request_reader(const limits& lim) : framing_limit_(lim.framing_limit) {
  parser_.header_limit(lim.framing_limit);
  parser_.body_limit(lim.body_limit);
  // Take the body in the same call as the header when it is there already.
  parser_.eager(true);
}

std::size_t request_reader::feed(std::string_view bytes) {
  if (!wants_more()) return 0;
  std::size_t used = 0;
  boost::beast::error_code ec;
  while (used < bytes.size() && !parser_.is_done()) {
    const auto n = parser_.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    used += n;
    if (ec || n == 0) break;
  }
  if (ec && ec != bhttp::error::need_more) {
    if (ec == bhttp::error::body_limit)
      refuse(bhttp::status::payload_too_large);
    else if (ec == bhttp::error::header_limit)
      refuse(bhttp::status::request_header_fields_too_large);
    else
      refuse(bhttp::status::bad_request);
    return used;
  }
  consumed_ += used;
  framing_ = consumed_ - parser_.get().body().size();
  // What is left unparsed before the request is done is part of a line the
  // parser has not seen the end of (a header, a chunk size, the trailer).
  const auto pending = parser_.is_done() ? 0 : bytes.size() - used;
  if (framing_ + pending > framing_limit_) refuse(bhttp::status::request_header_fields_too_large);
  return used;
}

bool request_reader::expects_continue() const {
  if (!parser_.is_header_done()) return false;
  const auto& header = parser_.get();
  return header.version() >= 11 && boost::beast::iequals(header[bhttp::field::expect], "100-continue");
}

std::string_view request_reader::method() const {
  // Beast reports the request line only once it parsed it whole.
  const auto& header = parser_.get();
  return header.target().empty() ? std::string_view() : std::string_view(header.method_string());
}

std::string_view request_reader::target() const {
  return parser_.get().target();
}

std::string_view rejection_text(bhttp::status status) {
  switch (status) {
  case bhttp::status::payload_too_large:
    return "Request body too large (limit 1 MiB).\n";
  case bhttp::status::request_header_fields_too_large:
    return "Request headers too large (limit 16 KiB, chunk framing and trailer included).\n";
  default:
    return "Bad request.\n";
  }
}

} // namespace bot::http
