#pragma once
// Exact amounts and timestamps as they arrive in snapshots.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace store {

// "1234.5" -> 123450, "-3.00" -> -300, "0" -> 0. At most two decimals, an
// optional leading '-', digits only; nullopt for anything else ("12,5",
// "1e3", "", ".5", "+1") or for values beyond +/- 10^15.
std::optional<std::int64_t> parse_amount(std::string_view text);

// ISO 8601 date-time with seconds and a zone ("2026-11-27T10:00:00+01:00",
// "2026-11-27T09:00:00.123Z") to UTC "2026-11-27T09:00:00Z"; nullopt if not.
std::optional<std::string> normalize_timestamp(std::string_view text);

} // namespace store
