#pragma once
// Linking a chat user to a partner member (DESIGN.md "Identity").
// `link EMAIL`: only the chat profile's own e-mail, and only when no other
// chat user holds that member. `link @user EMAIL`: admins link someone else.

#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <string_view>

namespace handlers {

reply link_self(context& ctx, const caller& who, std::string_view email);
reply link_other(context& ctx, const caller& who, std::string_view user_id, std::string_view email);

// What an unlinked caller sees for anything but `link` and `help`.
reply unlinked_reply(const caller& who, const catalogue& t);

} // namespace handlers
