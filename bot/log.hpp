#pragma once
// Process-wide logging: one line per event on stderr, level from the
// SPDLOG_LEVEL environment variable (spdlog's convention; default info).
// Call once from main before anything logs. Text from outside (paths,
// platform error bodies, values) goes into a line only through
// store::escape_for_log (store/log_escape.hpp), so it cannot forge lines.

namespace bot {

void setup_logging();

} // namespace bot
