#pragma once
// Microsoft Teams as the process registers it (bot/cli/platform_list.cpp):
// its name, its snapshot fields, and the routes, Bot Connector client,
// signing keys and delivery it runs.

#include "bot/chat/platforms.hpp"

#include <string_view>

namespace bot::teams {

inline constexpr std::string_view platform_name = "teams";

const platform_descriptor& descriptor();

} // namespace bot::teams
