#pragma once
// Where a response_url from an interaction or a command may send us. The
// URL arrives inside a signed request, but it is data: followed blindly it
// would make the bot POST client data to any address it can reach. Allowed:
// https on hooks.slack.com or another *.slack.com host (default port), or
// the same origin (scheme, host, port) as the configured Web API base, which
// is how tests point both at one fake. The parsed host is compared, never a
// prefix of the text, and URLs with user information are refused.

#include <string>
#include <string_view>

namespace bot::slack {

bool response_url_allowed(std::string_view url, std::string_view api_base_url);

// The URL's origin for a log line ("https://hooks.slack.com"): its path
// carries Slack's token, so it is never logged whole. Escaped.
std::string origin_for_log(std::string_view url);

} // namespace bot::slack
