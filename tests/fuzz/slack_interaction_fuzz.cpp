// A verified interaction -> the payload parser: either the whole form body
// as sent, or (first byte odd) the JSON payload alone, form-encoded here so
// the fuzzer can work on the JSON directly. Events envelopes too.

#include "bot/slack/parse.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool json_only = data[0] & 1;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (json_only) {
    const std::string body = "payload=" + boost::urls::encode(rest, boost::urls::unreserved_chars);
    (void)bot::slack::parse_interaction(body);
    (void)bot::slack::parse_event(rest);
  } else {
    (void)bot::slack::parse_interaction(rest);
  }
  return 0;
}
