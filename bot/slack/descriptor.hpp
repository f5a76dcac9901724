#pragma once
// Slack as the process registers it (bot/cli/platform_list.cpp): its name,
// its snapshot fields, and the routes, token source, delivery and digest
// step it runs.

#include "bot/chat/platforms.hpp"

#include <string_view>

namespace bot::slack {

inline constexpr std::string_view platform_name = "slack";

const platform_descriptor& descriptor();

} // namespace bot::slack
