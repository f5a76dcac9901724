#pragma once
// The numbered schema migrations: migration i (0-based) brings the schema
// from user_version i to i + 1. Append only; never edit a released one.

#include <span>

namespace store {

std::span<const char* const> migrations();

} // namespace store
