#pragma once
// One client's card (`client NAME`, "View details", a picked candidate):
// status, balance, receipts, export, as-of time, bookkeepers, the Go to
// client link, the digest control, and for admins the reminder button and
// the last reminders.

#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <string_view>

namespace handlers {

view client_card_view(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c);

// `client NAME`: resolves NAME among the clients the caller may see.
reply client_command(context& ctx, const caller& who, std::string_view name);
// A control naming a client id; an id the caller may not see is expired.
reply open_client(context& ctx, const caller& who, std::string_view client_id, bool replace_original);

} // namespace handlers
