// Command text as typed (after the platform's decoding) -> the chat grammar.

#include "handlers/grammar.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)handlers::parse_command(text);
  (void)handlers::parse_mention(text);
  (void)handlers::parse_email(text);
  return 0;
}
