#pragma once
// Slack's inbound payloads (already verified) as plain structs: slash
// commands (form body), interactions (form body with a JSON `payload`) and
// Events API envelopes (JSON). Nothing throws: a malformed body gives a
// result without a value and a short reason. Pure; safe from any thread.

#include "handlers/request.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bot::slack {

template <typename T> struct [[nodiscard]] parse_result {
  std::optional<T> value;
  std::string error; // why there is no value

  explicit operator bool() const { return value.has_value(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
};

// application/x-www-form-urlencoded ('+' is a space); repeated keys: last wins.
parse_result<std::map<std::string, std::string>> parse_form(std::string_view body);

// A command's text with Slack's entities (&amp; &lt; &gt;) decoded. Mentions
// and mailto links (<@U1|name>, <mailto:a@b|a@b>) stay: the grammar reads them.
std::string typed_text(std::string_view text);

struct slash_command {
  bool ssl_check = false; // Slack checking the certificate: answer 200, nothing else
  std::string command;    // "/pleo"
  std::string text;
  std::string enterprise_id; // Enterprise Grid only
  std::string team_id;
  std::string user_id;
  std::string channel_id;
  std::string response_url;
  std::string trigger_id;
};

parse_result<slash_command> parse_command(std::string_view body);

enum class interaction_kind { block_actions, view_submission, other };

// Where a control was pressed.
struct container_info {
  std::string type; // "message", "view", ...
  std::string channel_id;
  std::string message_ts;
  bool is_ephemeral = false;
};

struct interaction {
  interaction_kind kind = interaction_kind::other;
  std::string type;          // Slack's payload type as sent
  std::string enterprise_id; // Enterprise Grid only
  std::string team_id;
  std::string user_id;
  std::string channel_id;
  std::string response_url;
  std::string trigger_id;
  container_info container;

  // block_actions: the control (action id without the renderer's suffix;
  // value, or the chosen option's value for overflow and select menus).
  handlers::action action;
  bool is_link = false; // a url button or url overflow item: nothing to do

  // view_submission: input id (block id) -> chosen values / text.
  handlers::submission submission;
};

parse_result<interaction> parse_interaction(std::string_view body);

struct event_envelope {
  std::string type;       // "url_verification", "event_callback", ...
  std::string challenge;  // url_verification
  std::string event_type; // event_callback: "app_home_opened", ...
  std::string enterprise_id;
  std::string team_id;
  bool enterprise_install = false; // the app is installed for the whole organisation
  std::string user_id;             // app_home_opened: who opened the tab
  std::string tab;                 // app_home_opened: "home" or "messages"
  bool bot_tokens_revoked = false; // tokens_revoked naming a bot token
};

parse_result<event_envelope> parse_event(std::string_view body);

} // namespace bot::slack
