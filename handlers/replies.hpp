#pragma once
// Small reply builders shared by the features.

#include "handlers/catalogue.hpp"
#include "handlers/request.hpp"

#include <string>

namespace handlers {

reply message_reply(view v, bool replace_original = false);
// One plain paragraph; the summary is the same text.
reply text_reply(std::string_view text);
// A control that is unknown, forged or out of date: "This has expired — run the command again."
reply expired_reply(const catalogue& t);

} // namespace handlers
