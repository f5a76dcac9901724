#pragma once
// The single entry into the handlers: the chat grammar of DESIGN.md,
// control actions and form submissions. Platform adapters call these on
// the request thread; each returns a reply and never throws for bad input
// (store failures do throw; the adapter turns them into an apology).

#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <string_view>

namespace handlers {

reply on_command(context& ctx, const caller& who, std::string_view text);
reply on_action(context& ctx, const caller& who, const action& act);
reply on_submission(context& ctx, const caller& who, const submission& sub);

} // namespace handlers
