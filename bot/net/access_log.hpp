#pragma once
// The per-request access log: one line per request, like every other log
// line, but gathered in memory and written to stderr in one `write` at most
// once a second (sooner when a warning comes or much is waiting), so that
// a busy I/O thread does not make a system call for each request. What is
// waiting is written when the process ends.

#include <memory>
#include <spdlog/logger.h>

namespace bot {

// The logger the router writes access lines to: the buffered one once
// start_access_log has run, else the default logger (tests, tools).
spdlog::logger& access_log();

// Creates and registers the buffered access logger ("access", so that
// SPDLOG_LEVEL=access=off silences it), with the default logger's pattern,
// and starts the once-a-second flush. Call once, from setup_logging.
void start_access_log(const std::string& pattern);

} // namespace bot
