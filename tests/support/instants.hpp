#pragma once

// An instant written as ISO 8601 in a test ("2026-12-07T09:00:00Z").

#include "handlers/digest_schedule.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>

namespace test_support {

inline handlers::instant at(const char* iso) {
  auto t = handlers::parse_iso(iso);
  REQUIRE(t);
  return *t;
}

// Milliseconds since the epoch, as the outbox stores times.
inline std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The next Monday after today, 13:00 UTC: after 10:00 Copenhagen in both
// winter and summer, and after any subscription made today.
inline std::chrono::system_clock::time_point next_monday_afternoon() {
  using namespace std::chrono;
  const auto today = floor<days>(system_clock::now());
  auto ahead = (Monday - weekday{today}).count();
  if (ahead == 0) ahead = 7;
  return sys_days{today + days{ahead}} + hours{13};
}

} // namespace test_support
