#pragma once
// Neutral views and forms as Slack Block Kit. Pure functions; Slack's size
// limits are enforced here so a handler can never produce a message Slack
// rejects (long texts are cut with "…", extra blocks and options dropped).

#include "handlers/view.hpp"

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace bot::slack {

namespace limits {
inline constexpr std::size_t message_blocks = 50;
inline constexpr std::size_t modal_blocks = 100;
inline constexpr std::size_t section_text = 3000;
inline constexpr std::size_t field_text = 2000;
inline constexpr std::size_t section_fields = 10;
inline constexpr std::size_t header_text = 150;
inline constexpr std::size_t button_text = 75;
inline constexpr std::size_t button_value = 2000;
inline constexpr std::size_t option_text = 75;
inline constexpr std::size_t option_value = 150;
inline constexpr std::size_t overflow_options = 5;
inline constexpr std::size_t select_options = 100;
inline constexpr std::size_t actions_elements = 25;
inline constexpr std::size_t context_text = 3000;
inline constexpr std::size_t placeholder_text = 150;
inline constexpr std::size_t label_text = 150;
inline constexpr std::size_t modal_title = 24;
inline constexpr std::size_t modal_button = 24;
inline constexpr std::size_t checkbox_options = 10;
inline constexpr std::size_t text_input_max = 3000;
inline constexpr std::size_t url_length = 3000;
} // namespace limits

// Link controls (url buttons, url overflow items) still make Slack send a
// block_actions payload; this marker (action id of a url button, value of a
// url overflow item) lets the adapter ignore those.
inline constexpr std::string_view link_marker = "_link";

// {"text": summary, "blocks": [...]}: the body of a message (add channel,
// response_type, replace_original as the call needs), parsed from message_json.
boost::json::object render_message(const handlers::view& v);

// The message written straight to JSON text (no document tree): the one
// message renderer. `response_type`, when not empty, follows the blocks
// ("ephemeral" for command answers).
std::string message_json(const handlers::view& v, std::string_view response_type = {});
// message_json appending to `out`.
void write_message_json(const handlers::view& v, std::string& out, std::string_view response_type = {});

// A modal view object for views.open.
boost::json::object render_modal(const handlers::form& f);

// Slack's mrkdwn escaping (&, <, >).
std::string escape_mrkdwn(std::string_view text);
// The same, at most `limit` characters counted after escaping (an entity is
// never cut in half); a cut text ends with "…".
std::string escape_mrkdwn(std::string_view text, std::size_t limit);
// At most `max_chars` characters (code points); a cut text ends with "…".
std::string truncate_text(std::string_view text, std::size_t max_chars);
// Number of code points in UTF-8 text.
std::size_t text_length(std::string_view text);

// Renderer suffixes repeated action ids (":2", ":3", ...) because Slack
// wants them unique per block; this strips the suffix again.
std::string base_action_id(std::string_view rendered);

} // namespace bot::slack
