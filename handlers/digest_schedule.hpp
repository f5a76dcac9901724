#pragma once
// When digests go out (DESIGN.md "Digests"): a slot is 10:00 Europe/Copenhagen
// wall-clock time on a calendar day, due from 10:00 until local midnight.
// Pure functions over UTC instants; the tz database does the DST arithmetic.
// Safe from any thread.

#include "handlers/catalogue.hpp"
#include "store/types.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace handlers {

using instant = std::chrono::system_clock::time_point;
using slot_time = std::chrono::sys_seconds; // a slot, as the UTC instant of 10:00 local

// 10:00 Copenhagen on the local calendar day containing `t`.
slot_time slot_of_day(instant t);
// The day's slot when `t` is within [10:00, 24:00) local time, else none.
std::optional<slot_time> slot_for(instant t);
// The first slot strictly after `t` (10:00 today if before it, else tomorrow's).
slot_time next_slot_after(instant t);
// The first Monday 10:00 strictly after a subscription was made.
slot_time first_slot(instant created_at);
// Whether a subscription of that frequency made at `created_at` gets `slot`:
// its first slot, then daily Monday-Friday, weekly Mondays, monthly the
// first Monday of the month.
bool is_due(store::frequency f, instant created_at, slot_time slot);
// The first slot strictly after `after` that is due for the subscription.
slot_time next_due(store::frequency f, instant created_at, instant after);

// "2026-11-30T09:00:00Z"
std::string to_iso(instant t);
// "YYYY-MM-DDTHH:MM[:SS]" with "Z" or "+HH:MM" is exact; without a zone it is
// Copenhagen wall-clock time. nullopt: malformed.
std::optional<instant> parse_iso(std::string_view text);
// "Monday 30 Nov 2026 at 10:00 (Copenhagen)" / "mandag 30. november 2026 kl. 10.00 (dansk tid)"
std::string describe_slot(slot_time slot, const catalogue& t);
// "Monday 30 Nov 2026" / "mandag 30. november 2026"
std::string describe_slot_day(slot_time slot, const catalogue& t);

} // namespace handlers
