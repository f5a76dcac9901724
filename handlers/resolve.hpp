#pragma once
// Turn a NAME typed by a user into one visible client, or into the reply
// that says why not (ambiguous: candidates as buttons; unknown: up to 5
// nearest names). Shared by client, digest and remind.

#include "handlers/context.hpp"
#include "handlers/request.hpp"

#include <string_view>
#include <variant>

namespace handlers {

// `pick_action` is the action id each candidate button carries (value: client id).
// Replies are in the catalogue's language.
std::variant<store::client, reply> resolve_client(context& ctx, const catalogue& t,
                                                  const store::member& viewer, std::string_view name,
                                                  const char* pick_action);

} // namespace handlers
