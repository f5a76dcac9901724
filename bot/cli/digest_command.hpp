#pragma once
// `partnerbot digest run [--at ISO8601]`: one digest pass for that instant
// (default now), then delivery of the outbox for up to 30 seconds; what
// still fails stays in the outbox for the server to retry. Prints one
// summary line; a second run for the same slot enqueues nothing.

#include "bot/chat/config.hpp"

#include <chrono>
#include <optional>

namespace bot {

inline constexpr std::chrono::seconds digest_run_delivery_budget{30};

// Returns the process exit code (0: the pass ran, whatever is left waiting).
int run_digest_command(const bot::config& cfg, std::optional<std::chrono::system_clock::time_point> at);

} // namespace bot
