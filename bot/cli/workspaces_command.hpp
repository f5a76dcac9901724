#pragma once
// `partnerbot workspaces list` and `partnerbot workspaces bind FIRM
// PLATFORM ID`: every chat workspace (Slack team, Teams tenant) with its
// firm and whether the app is installed there, and binding a workspace to
// a firm by hand (an install by someone who is not the firm's admin).
// Output and errors go to the given streams; the return is the exit code.

#include "bot/chat/config.hpp"

#include <ostream>
#include <string>

namespace bot {

int workspaces_list(const bot::config& cfg, std::ostream& out, std::ostream& err);
int workspaces_bind(const bot::config& cfg, const std::string& partner_id, const std::string& platform,
                    const std::string& workspace_id, std::ostream& out, std::ostream& err);

} // namespace bot
