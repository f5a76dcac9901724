#pragma once
// The single entry into the handlers: the chat grammar of DESIGN.md,
// control actions and form submissions. Platform adapters call these on
// the request thread; each returns a reply and never throws for bad input
// (store failures do throw; the adapter turns them into an apology).

#include "handlers/context.hpp"
#include "handlers/grammar.hpp"
#include "handlers/request.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace handlers {

// Typed text, parsed once per request.
using command_text = std::variant<parsed_command, parse_error>;

reply on_command(context& ctx, const caller& who, const command_text& cmd);
reply on_command(context& ctx, const caller& who, std::string_view text);
reply on_action(context& ctx, const caller& who, const action& act);
reply on_submission(context& ctx, const caller& who, const submission& sub);

// The members a submission writes to besides the caller (a reminder's
// bookkeepers): their languages are learnt before it is answered.
std::vector<std::string> members_written_to(context& ctx, const caller& who, const submission& sub);

// What answering a command does besides reading.
enum class command_effect {
  // Reads only, and the answer depends only on who asks (member, role) and
  // on the client data the store's read cache tracks (clients, search,
  // missing): a rendering may be reused while that data's generation is
  // unchanged, calling note_platform instead.
  reads_client_data,
  reads,  // reads only (client, help)
  writes, // may write (digest, link, remind, ...)
};
command_effect effect_of(const command_text& cmd);
// `link`: the caller's chat profile is needed (its e-mail is checked).
bool needs_profile(const command_text& cmd);

// Records where the member used the bot (reminders go there) and the chat
// locale last seen (digests and reminders are written in it): reads, and a
// write only when one changed.
void note_platform(context& ctx, const caller& who);

} // namespace handlers
