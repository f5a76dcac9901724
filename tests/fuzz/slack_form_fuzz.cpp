// A verified slash-command body -> the form parser, the command parser and
// the entity decoding of its text.

#include "bot/slack/parse.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)bot::slack::parse_form(body);
  if (auto cmd = bot::slack::parse_command(body)) (void)bot::slack::typed_text(cmd->text);
  (void)bot::slack::typed_text(body);
  return 0;
}
