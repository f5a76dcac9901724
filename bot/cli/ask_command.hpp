#pragma once
// `partnerbot ask --as EMAIL TEXT`: TEXT through the same request path a
// chat message takes, as the member with that e-mail; the reply printed as
// terminal text or as a platform's message JSON.

#include "bot/chat/config.hpp"

#include <string>

namespace bot {

// slack_home_tab: the `view` views.publish would carry for the reply (for `home`).
enum class ask_output { text, slack_json, teams_card, slack_home_tab };

// Returns the process exit code; errors are printed to stderr. With
// `firm_digest`, prints the firm digest a channel would get at the next
// slot instead (admins only, as the subscription is). `language` ("da",
// "en") answers in that language whatever the member chose; empty: theirs.
int run_ask_command(const config& cfg, const std::string& email, const std::string& text, ask_output output,
                    bool firm_digest = false, const std::string& language = {});

} // namespace bot
