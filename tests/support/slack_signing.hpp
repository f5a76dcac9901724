#pragma once
// Builds Slack requests the way Slack does: form bodies, interaction
// payloads and v0 signature headers, for end-to-end tests.

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

using header_list = std::vector<std::pair<std::string, std::string>>;

std::int64_t unix_now();

// X-Slack-Request-Timestamp and X-Slack-Signature (+ the form content type).
header_list slack_headers(const std::string& signing_secret, const std::string& body,
                          std::int64_t timestamp = unix_now(),
                          const std::string& content_type = "application/x-www-form-urlencoded");

// application/x-www-form-urlencoded, percent-encoding every value.
std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields);

struct command_fields {
  std::string text;
  std::string team_id = "T0001";
  std::string user_id = "U0001";
  std::string channel_id = "C0001";
  std::string command = "/pleo";
  std::string response_url;
  std::string trigger_id = "trigger-1";
};
std::string command_body(const command_fields& f);

// "payload=<json>" as Slack posts interactions.
std::string interaction_body(const boost::json::object& payload);

// A block_actions payload for one control.
boost::json::object block_action_payload(const std::string& team_id, const std::string& user_id,
                                         const std::string& action_id, const std::string& value,
                                         const std::string& response_url, bool from_overflow = false);

// A view_submission payload; values: block id -> {element type, values}.
struct submitted_input {
  std::string block_id;
  std::string type; // "checkboxes" or "plain_text_input"
  std::vector<std::string> values;
};
boost::json::object view_submission_payload(const std::string& team_id, const std::string& user_id,
                                            const std::string& callback_id,
                                            const std::string& private_metadata,
                                            const std::vector<submitted_input>& inputs,
                                            const std::string& view_id = "V0001",
                                            const std::string& hash = "h0001");

} // namespace test_support
