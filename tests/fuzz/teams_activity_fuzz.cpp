// A Bot Framework activity body as posted to /api/messages (after its
// token verified) -> the activity parser.

#include "bot/teams/activity.hpp"

#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto a = bot::teams::parse_activity(body)) (void)a->conversation.without_thread();
  return 0;
}
