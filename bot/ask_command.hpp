#pragma once
// `partnerbot ask --as EMAIL TEXT`: TEXT through the same request path a
// chat message takes, as the member with that e-mail; the reply printed as
// terminal text or as a platform's message JSON.

#include "bot/config.hpp"

#include <string>

namespace bot {

enum class ask_output { text, slack_json };

// Returns the process exit code; errors are printed to stderr.
int run_ask_command(const config& cfg, const std::string& email, const std::string& text, ask_output output);

} // namespace bot
