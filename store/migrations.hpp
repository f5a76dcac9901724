#pragma once
// The numbered schema migrations: migration i (0-based) brings the schema
// from user_version i to i + 1. Append only; never edit a released one.

#include "store/engine.hpp"

#include <span>

namespace store {

std::span<const char* const> migrations(); // SQLite's
// Migration i for one engine (an empty string: nothing to do on it).
std::span<const char* const> migrations(engine::kind k);

} // namespace store
