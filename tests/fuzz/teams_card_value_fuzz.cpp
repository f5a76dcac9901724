// What a pressed Teams card control sends back (an Action.Submit `value` or
// an invoke's `action.data`), as JSON text -> the card value parser.

#include "bot/teams/cards.hpp"

#include <boost/json/parse.hpp>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  boost::system::error_code ec;
  const auto value = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (!ec) (void)bot::teams::parse_card_value(value);
  return 0;
}
