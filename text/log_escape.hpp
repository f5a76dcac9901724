#pragma once
// Text from outside (request paths, platform error bodies, snapshot values)
// made safe for a log line or a stored error: it can neither end the line
// nor steer a terminal. Lives in store, the lowest layer, so that every
// layer escapes the same way.

#include <cstddef>
#include <string>
#include <string_view>

namespace text {

// Control characters become visible escapes (`\n`, `\r`, `\t`, `\x1b`; C1
// controls and U+2028/U+2029 as `\u0085`...), bytes that are not UTF-8 as
// `\xff`; everything else (Danish letters included) is kept. The result is
// at most `max_bytes` long; a longer one is cut between characters and ends
// in "...". Escaping escaped text changes nothing, so layers may each escape
// what they pass on.
std::string escape_for_log(std::string_view text, std::size_t max_bytes = 300);

} // namespace text
