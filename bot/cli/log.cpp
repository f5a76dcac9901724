#include "bot/cli/log.hpp"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace bot {

void setup_logging() {
  // Plain (uncoloured) stderr: the output usually goes to a journal or a file.
  auto logger = spdlog::stderr_logger_mt("partnerbot");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::info);
  spdlog::cfg::load_env_levels();
}

} // namespace bot
