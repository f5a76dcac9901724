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

// True for commands whose answer depends only on who asks (member, role) and
// on the client data the store's read cache tracks: clients, search,
// missing. An adapter may reuse its rendering of such an answer while that
// data's generation is unchanged, calling note_platform instead.
bool answer_depends_on_client_data_only(std::string_view text);

// Records where the member used the bot (reminders go there) and the chat
// locale last seen (digests and reminders are written in it): reads, and a
// write only when one changed.
void note_platform(context& ctx, const caller& who);

} // namespace handlers
