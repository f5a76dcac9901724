#pragma once
// How figures read in chat: Danish style everywhere ("DKK 12.345,50").

#include "store/types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace handlers {

std::string format_money(const store::money& m); // "DKK 12.345,50", "EUR -3,00"
std::string format_count(std::int64_t n);        // "1.234"
std::string portal_link(std::string_view url_template, std::string_view client_id);
// "27 Nov 2026 10:00" in Europe/Copenhagen from an ISO 8601 UTC string.
std::string format_local_time(std::string_view iso_utc);

// Text limits are in characters (code points), as chat platforms count them.
bool valid_utf8(std::string_view text);
std::size_t utf8_length(std::string_view text); // code points of valid UTF-8
// At most `max_chars` code points; a cut text ends in "…".
std::string clip(std::string_view utf8, std::size_t max_chars);

} // namespace handlers
