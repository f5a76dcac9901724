#include "bot/cli/log.hpp"

#include "bot/net/access_log.hpp"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace bot {

void setup_logging() {
  // Plain (uncoloured) stderr: the output usually goes to a journal or a file.
  constexpr const char* pattern = "%Y-%m-%dT%H:%M:%S.%e%z %l %v";
  auto logger = spdlog::stderr_logger_mt("partnerbot");
  logger->set_pattern(pattern);
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  // Access lines are gathered and written at most once a second.
  start_access_log(pattern);
  spdlog::cfg::load_env_levels();
}

} // namespace bot
