#pragma once
// Neutral views and forms as Adaptive Cards (schema 1.5, the highest Teams
// renders in bot messages), and the inverse: what a pressed card control
// sends back. Pure functions, callable from any thread.
//
// Teams' limits are enforced here, so a handler can never produce a card
// Teams refuses: long texts are cut with "…", a card that would pass its
// byte budget ends with a note instead of its last blocks, extra buttons go
// into the overflow menu. Rendering never fails.
//
// User text (client and member names, comments) goes into RichTextBlock
// text runs, which Teams shows verbatim: a TextBlock would read it as
// markdown, and markdown escapes render differently on desktop and mobile.

#include "handlers/request.hpp"
#include "handlers/view.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace bot::teams {

namespace limits {
// The card JSON, in bytes (at least its UTF-16 length). Cards posted through
// Workflows stop at 28 KB and a bot message at about 100 KB; the smaller
// budget keeps every card deliverable either way, with room for the envelope.
inline constexpr std::size_t card_bytes = 26'000;
inline constexpr std::size_t text_chars = 3'000; // one text block
inline constexpr std::size_t header_chars = 150;
inline constexpr std::size_t fact_title_chars = 150;
inline constexpr std::size_t fact_value_chars = 1'000;
inline constexpr std::size_t facts = 20;
inline constexpr std::size_t action_title_chars = 60; // longer button titles are cut by Teams anyway
inline constexpr std::size_t primary_actions = 6;     // buttons Teams shows in one row; the rest overflow
inline constexpr std::size_t overflow_actions = 10;   // items of one overflow menu
inline constexpr std::size_t choices = 100;
inline constexpr std::size_t choice_title_chars = 150;
inline constexpr std::size_t value_bytes = 2'000; // a control's state; never cut (that would corrupt it)
inline constexpr std::size_t url_bytes = 2'048;
inline constexpr std::size_t summary_chars = 500;
inline constexpr std::size_t text_input_chars = 3'000;
} // namespace limits

inline constexpr std::string_view card_content_type = "application/vnd.microsoft.card.adaptive";
inline constexpr std::string_view card_version = "1.5";

// The card object (type AdaptiveCard) for a neutral view.
boost::json::object render_card(const handlers::view& v);

// A refused submission shown again: the handler's errors by input id and
// the values that were sent (so nothing typed is lost).
struct form_feedback {
  std::map<std::string, std::string> errors;
  std::map<std::string, std::vector<std::string>> values;
};

// The reminder form as a card: a toggle per checkbox option, text inputs,
// and the submit button. Teams has no modal for a bot message, so the form
// is itself the message.
boost::json::object render_form_card(const handlers::form& f, const form_feedback& feedback = {});

// A message activity carrying one card attachment, with `summary` for
// notifications and the card's fallback text. No `text`: Teams would show it
// as a message of its own above the card.
boost::json::object card_activity(const boost::json::object& card, std::string_view summary);

// What a pressed card control sent back: the `value` of an Action.Submit
// message activity or the `action.data` of an adaptiveCard/action invoke.
//
// Data the controls carry (this file owns the format):
//   button, menu item  {"pb":"a","id":<action_id>,"v":<value>}
//   select             {"pb":"a","id":<action_id>,"in":<input id>} plus the
//                      chosen value under the input id (merged by Teams)
//   form submit        {"pb":"f","form":<form id>,"meta":<private_metadata>}
//                      plus each input's value under its id: text inputs
//                      as typed; checkbox option toggles as "<group id>/<option
//                      value>": "true" or "false"
// The submission's submission_id is left empty: the adapter knows the
// activity it came in.
struct card_input {
  std::variant<handlers::action, handlers::submission> what;
};
// nullopt: not ours or malformed.
std::optional<card_input> parse_card_value(const boost::json::value& data);

} // namespace bot::teams
