#pragma once
// `help`, and the command summary shown under a parse error. Role-aware:
// bookkeepers (and callers not linked yet) do not see admin-only commands.

#include "handlers/catalogue.hpp"
#include "handlers/request.hpp"

#include <string>

namespace handlers {

// The full help, as a reply.
reply help_reply(const caller& who, const catalogue& t);
// A short error (from the grammar) followed by the command summary.
reply grammar_error_reply(const caller& who, const std::string& message, const catalogue& t);
// The command summary: one line per command, "`command` — what it does".
std::string help_summary(const caller& who, const catalogue& t);
// "admin" / "bookkeeper" in the catalogue's language.
std::string_view role_name(const catalogue& t, store::role r);

} // namespace handlers
