#pragma once
// How figures read in chat: Danish style everywhere ("DKK 12.345,50").
// Dates and times read in the reply's language, always in Europe/Copenhagen
// wall-clock time.

#include "handlers/catalogue.hpp"
#include "store/types.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace handlers {

std::string format_money(const store::money& m); // "DKK 12.345,50", "EUR -3,00"
std::string format_count(std::int64_t n);        // "1.234"
// A count in words: the `one` pattern for 1, else `many`; {count} is format_count(n).
std::string counted(std::int64_t n, std::string_view one, std::string_view many);
std::string portal_link(std::string_view url_template, std::string_view client_id);
// A moment as Copenhagen wall-clock parts.
struct local_time {
  int year = 0;
  unsigned month = 1;   // 1..12
  unsigned day = 1;     // 1..31
  unsigned weekday = 0; // 0 = Monday .. 6 = Sunday
  unsigned hour = 0;
  unsigned minute = 0;
};
local_time copenhagen_time(std::chrono::sys_seconds t);
// "27 Nov 2026" / "27. november 2026"; without the year: "27 Nov" / "27. november".
std::string format_date(const local_time& lt, const catalogue& t, bool with_year = true);
// "10:00" / "kl. 10.00"
std::string format_clock(const local_time& lt, const catalogue& t);
std::string_view weekday_name(const local_time& lt, const catalogue& t);
// "27 Nov 2026 10:00" / "27. november 2026 kl. 10.00" from an ISO 8601 UTC
// string (returned as it is when it is not one). With `now`, the year is
// left out when it is now's year.
std::string format_local_time(std::string_view iso_utc, const catalogue& t);
std::string format_local_time(std::string_view iso_utc, const catalogue& t,
                              std::chrono::system_clock::time_point now);

// Text limits are in characters (code points), as chat platforms count them.
bool valid_utf8(std::string_view text);
std::size_t utf8_length(std::string_view text); // code points of valid UTF-8
// At most `max_chars` code points; a cut text ends in "…".
std::string clip(std::string_view utf8, std::size_t max_chars);
// The user's own words shown back to them: clipped, in typographic quotes.
std::string quoted(std::string_view utf8, std::size_t max_chars);

} // namespace handlers
