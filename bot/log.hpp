#pragma once
// Process-wide logging: one line per event on stderr, level from the
// SPDLOG_LEVEL environment variable (spdlog's convention; default info).
// Call once from main before anything logs.

#include <string>
#include <string_view>

namespace bot {

void setup_logging();

// Untrusted text made safe for one log line (or a stored error): control
// characters become \n, \r, \t or \xHH, so nobody can forge a line.
std::string escape_for_log(std::string_view text);

} // namespace bot
