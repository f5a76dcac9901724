#pragma once

// An instant written as ISO 8601 in a test ("2026-12-07T09:00:00Z").

#include "handlers/digest_schedule.hpp"

#include <catch2/catch.hpp>

namespace test_support {

inline handlers::instant at(const char* iso) {
  auto t = handlers::parse_iso(iso);
  REQUIRE(t);
  return *t;
}

} // namespace test_support
