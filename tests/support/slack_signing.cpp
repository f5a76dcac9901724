#include "support/slack_signing.hpp"

#include "bot/slack/verify.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

namespace test_support {

namespace json = boost::json;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

header_list slack_headers(const std::string& signing_secret, const std::string& body, std::int64_t timestamp,
                          const std::string& content_type) {
  auto ts = std::to_string(timestamp);
  return {{"Content-Type", content_type},
          {"X-Slack-Request-Timestamp", ts},
          {"X-Slack-Signature", bot::slack::compute_signature(signing_secret, ts, body)}};
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(key, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(value, boost::urls::unreserved_chars);
  }
  return out;
}

std::string command_body(const command_fields& f) {
  return form_body({{"token", "legacy-verification-token"},
                    {"team_id", f.team_id},
                    {"team_domain", "example"},
                    {"channel_id", f.channel_id},
                    {"channel_name", "general"},
                    {"user_id", f.user_id},
                    {"user_name", "someone"},
                    {"command", f.command},
                    {"text", f.text},
                    {"api_app_id", "A0001"},
                    {"response_url", f.response_url},
                    {"trigger_id", f.trigger_id}});
}

std::string interaction_body(const json::object& payload) {
  return form_body({{"payload", json::serialize(payload)}});
}

json::object block_action_payload(const std::string& team_id, const std::string& user_id,
                                  const std::string& action_id, const std::string& value,
                                  const std::string& response_url, bool from_overflow) {
  json::object action{{"action_id", action_id}, {"block_id", "b1"}, {"action_ts", "1700000000.000001"}};
  if (from_overflow) {
    action["type"] = "overflow";
    action["selected_option"] = {{"text", {{"type", "plain_text"}, {"text", "item"}}}, {"value", value}};
  } else {
    action["type"] = "button";
    action["value"] = value;
  }
  return {{"type", "block_actions"},
          {"team", {{"id", team_id}, {"domain", "example"}}},
          {"user", {{"id", user_id}, {"team_id", team_id}}},
          {"api_app_id", "A0001"},
          {"trigger_id", "trigger-2"},
          {"container", {{"type", "message"}, {"channel_id", "C0001"}, {"is_ephemeral", true}}},
          {"channel", {{"id", "C0001"}, {"name", "general"}}},
          {"response_url", response_url},
          {"actions", json::array{action}}};
}

json::object view_submission_payload(const std::string& team_id, const std::string& user_id,
                                     const std::string& callback_id, const std::string& private_metadata,
                                     const std::vector<submitted_input>& inputs, const std::string& view_id,
                                     const std::string& hash) {
  json::object values;
  for (const auto& in : inputs) {
    json::object element{{"type", in.type}};
    if (in.type == "checkboxes") {
      json::array selected;
      for (const auto& v : in.values)
        selected.push_back(json::object{{"value", v}});
      element["selected_options"] = std::move(selected);
    } else if (in.values.empty()) {
      element["value"] = nullptr;
    } else {
      element["value"] = in.values.front();
    }
    values[in.block_id] = json::object{{in.block_id, std::move(element)}};
  }
  return {{"type", "view_submission"},
          {"team", {{"id", team_id}, {"domain", "example"}}},
          {"user", {{"id", user_id}, {"team_id", team_id}}},
          {"api_app_id", "A0001"},
          {"trigger_id", "trigger-3"},
          {"view",
           {{"id", view_id},
            {"hash", hash},
            {"type", "modal"},
            {"callback_id", callback_id},
            {"private_metadata", private_metadata},
            {"state", {{"values", std::move(values)}}}}}};
}

} // namespace test_support
