#pragma once
// Small reply builders shared by the features.

#include "handlers/catalogue.hpp"
#include "handlers/request.hpp"

#include <string>
#include <string_view>

namespace handlers {

reply message_reply(view v, bool replace_original = false);
// One plain paragraph; the summary is the same text.
reply text_reply(std::string_view text);
// A control that is unknown, forged or out of date: "This has expired — run the command again."
reply expired_reply(const catalogue& t);
// The request came from a chat workspace that belongs to no partner.
reply not_connected_reply(const catalogue& t);
// Something failed on our side; `reference` lets an operator find the log line.
reply apology_reply(const catalogue& t, std::string_view reference);
// The answer takes longer than the platform waits; it follows as a message.
reply on_its_way_reply(const catalogue& t);

} // namespace handlers
