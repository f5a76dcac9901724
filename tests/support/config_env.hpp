#pragma once
// The bot's configuration read from a made-up environment instead of the
// process's own.

#include "bot/chat/config.hpp"

#include <map>
#include <string>

namespace test_support {

inline std::map<std::string, std::string>& made_up_environment() {
  static std::map<std::string, std::string> env;
  return env;
}

inline const char* made_up_getenv(const char* name) {
  const auto& env = made_up_environment();
  auto it = env.find(name);
  return it == env.end() ? nullptr : it->second.c_str();
}

// Test-thread only: the environment is one for the whole program.
inline bot::config_result config_from(std::map<std::string, std::string> env) {
  made_up_environment() = std::move(env);
  return bot::load_config(&made_up_getenv);
}

} // namespace test_support
