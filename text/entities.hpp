#pragma once
// Text made safe for a markup that reads entities: HTML pages, and Slack's
// mrkdwn, which reserves &, < and > (and nothing else).

#include <string>
#include <string_view>

namespace text {

// &, < and > as entities.
std::string escape_entities(std::string_view text);
// Also " and ', for HTML attribute values.
std::string escape_html(std::string_view text);

} // namespace text
