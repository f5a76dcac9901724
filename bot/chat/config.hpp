#pragma once
// Typed configuration read once from the environment (DESIGN.md names).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

struct config {
  std::string listen_host = "127.0.0.1";
  unsigned short listen_port = 3000;
  std::string db_path = "partnerbot.db";
  std::string portal_url = "https://app.pleo.io/partner/clients/{client_id}";
  std::string slack_signing_secret; // empty: /slack/* answers 503... see README
  std::string slack_bot_token;
  std::string slack_api_url = "https://slack.com/api/";
  // Install from Slack (OAuth v2), Bolt's names. With a client id and
  // secret, workspaces install the app themselves and each gets its own
  // token; slack_bot_token serves a workspace without an installation.
  std::string slack_client_id;
  std::string slack_client_secret;
  std::string slack_scopes = std::string{default_slack_scopes};
  std::string slack_authorize_url = "https://slack.com/oauth/v2/authorize"; // not from the environment
  std::string public_url; // PARTNERBOT_PUBLIC_URL, no trailing slash; redirect_uri and manifests
  std::string microsoft_app_id;
  std::string microsoft_app_password;
  std::string microsoft_app_tenant_id;
  std::string microsoft_app_type;
  std::string botframework_openid_metadata =
      "https://login.botframework.com/v1/.well-known/openidconfiguration";
  std::string botframework_token_url = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token";
  std::size_t max_connections = 1024; // PARTNERBOT_MAX_CONNECTIONS
  std::string language = "en";        // PARTNERBOT_LANGUAGE: "en" or "da"

  // Pleo connector (DESIGN.md "Data in: the Pleo connector").
  std::string secret_key; // base64 of 32 bytes, checked; empty: credentials and sync refuse
  std::string pleo_api_url = "https://external.pleo.io"; // no trailing slash; http only on loopback
  std::chrono::seconds pleo_sync_interval{15 * 60};
  int pleo_requests_per_minute = 300; // per credential
  int pleo_requests_in_flight = 16;   // across all clients
  std::string pleo_oauth_client_id;   // OAuth client authentication when refreshing tokens
  std::string pleo_oauth_client_secret;

  // Not from the environment: tests shorten it. Time a client has to send
  // one whole request (re-armed for each request on a connection).
  std::chrono::milliseconds request_timeout{10000};
  // Not from the environment: tests shorten them. A home (Slack's Home tab)
  // is republished at most this often per user, and looked at for changes
  // this often.
  std::chrono::milliseconds home_republish_interval{60000};
  std::chrono::milliseconds home_check_interval{5000};

  // Without a signing secret no Slack request can be verified.
  bool slack_configured() const { return !slack_signing_secret.empty(); }
  bool slack_install_enabled() const { return !slack_client_id.empty(); }

  // The bot scopes of manifests/slack/manifest.yaml, in Slack's comma form.
  static constexpr std::string_view default_slack_scopes =
      "commands,chat:write,im:write,users:read,users:read.email";
};

// What /slack/* answers (503) when slack_configured() is false.
inline constexpr std::string_view slack_not_configured_message =
    "Slack is not configured: set SLACK_SIGNING_SECRET";

struct config_result {
  std::optional<bot::config> value;
  std::vector<std::string> errors; // one clear line per bad value
};

// Whether a URL may carry a secret (a token, a password, a signed request):
// https, or http to a loopback host (127.0.0.0/8, ::1, localhost), which is
// what tests' fake servers use. Every URL a secret is sent to is checked
// with this once, at start.
bool may_carry_secrets(std::string_view url);

// "30s", "15m", "1h", "1h30m" (at least one second, at most a day).
std::optional<std::chrono::seconds> parse_interval(std::string_view text);

// `getenv` is injectable for tests.
config_result load_config(const char* (*getenv)(const char*));

} // namespace bot
