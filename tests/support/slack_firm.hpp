#pragma once
// Shared by the Slack end-to-end tests: a firm snapshot builder, a real app
// wired to the fake Slack Web API, and helpers to read Block Kit replies.

#include "support/fake_slack.hpp"
#include "support/running_app.hpp"
#include "support/slack_signing.hpp"

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace bot {
struct config;
}

namespace test_support {

inline constexpr const char* signing_secret = "8f742231b10e8888abcd99yyyzzz85a5-test";
inline constexpr const char* bot_token = "xoxb-test-token";

// A firm on one Slack workspace: an admin and a bookkeeper with Slack links,
// a member without one, and `clients` active clients named
// "<prefix> Client 001"...; the bookkeeper looks after every 7th.
struct slack_firm {
  std::string partner_id;
  std::string team_id;
  std::string prefix;
  int clients = 0;

  std::string admin_user() const { return "UA" + team_id; }
  std::string bookkeeper_user() const { return "UB" + team_id; }
  std::string admin_email() const { return "admin@" + partner_id + ".example"; }
  std::string bookkeeper_email() const { return "bookkeeper@" + partner_id + ".example"; }
  std::string unlinked_email() const { return "carla@" + partner_id + ".example"; }
  std::string client_name(int i) const;
  std::string client_id(int i) const;
  static bool bookkeeper_assigned(int i) { return i % 7 == 0; }
  int bookkeeper_clients() const;
  std::string snapshot() const;
};

// Every "text" string anywhere in a JSON document, one per line.
std::string all_text(const boost::json::value& v);

// The buttons and overflow options anywhere in a message.
struct control {
  std::string action_id; // as rendered
  std::string label;
  std::string value;
  bool overflow = false;
};
std::vector<control> controls_of(const boost::json::value& v);
std::optional<control> find_control(const boost::json::value& v, const std::string& label_part);

std::set<std::string> client_names_in(const std::string& text, const std::string& prefix);

// The reply's body as JSON, or null when it is not JSON.
boost::json::value body_json(const http_reply& r);

// Snapshot JSON documents, imported in order (a type of its own so that a
// braced list of firms is never mistaken for one).
struct raw_snapshots {
  std::vector<std::string> documents;
};

// A running app on a temporary database seeded with snapshots, talking to
// its own fake Slack. Test-thread only.
class slack_app {
public:
  explicit slack_app(std::vector<const slack_firm*> firms, std::string secret = signing_secret);
  explicit slack_app(const raw_snapshots& snapshots, std::string secret = signing_secret);
  // With configuration of its own (e.g. PARTNERBOT_LANGUAGE) on top of the test defaults.
  slack_app(const raw_snapshots& snapshots, const std::function<void(bot::config&)>& adjust);

  http_reply post(const std::string& path, const std::string& body,
                  const std::string& content_type = "application/x-www-form-urlencoded");
  http_reply command(const slack_firm& f, const std::string& user, const std::string& text,
                     const std::string& trigger = "trigger-1");
  http_reply command(const std::string& team_id, const std::string& user, const std::string& text,
                     const std::string& trigger = "trigger-1", const std::string& channel = "C0001");
  http_reply press(const slack_firm& f, const std::string& user, const control& c,
                   const std::string& response_id);
  http_reply press(const std::string& team_id, const std::string& user, const control& c,
                   const std::string& response_id);
  // Presses a control and returns the message posted to its response_url.
  boost::json::object press_and_read(const slack_firm& f, const std::string& user, const control& c);
  boost::json::object press_and_read(const std::string& team_id, const std::string& user, const control& c);

  unsigned short port() const { return app_->port(); }
  const std::string& db_path() const { return db_.str(); }

  fake_slack fake;

private:
  std::string secret_;
  temp_path db_;
  std::optional<running_app> app_;
};

} // namespace test_support
