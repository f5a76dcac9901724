#pragma once
// The member's home: what `home` (Danish `hjem`) answers, and what a chat
// platform shows on its own home surface (a home tab). The member's
// clients that need attention (most missing receipts first, ten), their
// digest subscriptions with controls, their reply language, and for admins
// the firm's totals with a way to notify the bookkeepers. A caller who is
// not linked yet is told how to link.

#include "handlers/context.hpp"
#include "handlers/request.hpp"

namespace handlers {

inline constexpr int home_clients = 10;

view home_view(context& ctx, const caller& who);
reply home_reply(context& ctx, const caller& who);

} // namespace handlers
