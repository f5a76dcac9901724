#pragma once
// Process-wide logging: one line per event on stderr, level from the
// SPDLOG_LEVEL environment variable (spdlog's convention; default info).
// Call once from main before anything logs.

namespace bot {

void setup_logging();

} // namespace bot
