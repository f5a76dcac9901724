#include "bot/chat/config.hpp"

#include "pleo/secret_box.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <type_traits>

namespace bot {

namespace {

using getenv_fn = const char* (*)(const char*);

// Unset and empty are the same: the default applies.
std::optional<std::string> read(getenv_fn getenv, const char* name) {
  const char* value = getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

// Values are echoed in errors only when they are not secrets; keep them short.
std::string shown(std::string_view value) {
  return text::escape_for_log(value, 100);
}

struct listen_address {
  std::string host;
  unsigned short port = 0;
};

std::optional<listen_address> parse_listen(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt; // bare IPv6 needs brackets
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  unsigned value = 0;
  std::from_chars(port.data(), port.data() + port.size(), value);
  if (value > 65535) return std::nullopt;

  listen_address out;
  out.port = static_cast<unsigned short>(value);
  if (host == "localhost") {
    out.host = "127.0.0.1";
    return out;
  }
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  if (text.starts_with('[') != address.is_v6()) return std::nullopt;
  out.host = address.to_string();
  return out;
}

bool is_http_url(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return false;
  const auto scheme = url->scheme_id();
  // After an authority the path is empty or starts with '/'. Boost.URL 1.81
  // reads "http://127.0.0.1.example.com/" as host 127.0.0.1 and path
  // ".example.com/": such a URL means different hosts to different parsers.
  const auto path = url->encoded_path();
  return (scheme == boost::urls::scheme::http || scheme == boost::urls::scheme::https) &&
         url->has_authority() && !url->encoded_host().empty() && (path.empty() || path.front() == '/');
}

// The message for a URL that would send a secret in clear.
std::string cleartext_error(const char* name, std::string_view url, std::string_view what) {
  return fmt::format("{}: \"{}\" would send {} unencrypted: use https (http is allowed only to a loopback "
                     "address such as 127.0.0.1)",
                     name, shown(url), what);
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (auto pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

bool valid_scopes(std::string_view scopes) {
  if (scopes.empty() || scopes.front() == ',' || scopes.back() == ',' ||
      scopes.find(",,") != std::string_view::npos)
    return false;
  return std::all_of(scopes.begin(), scopes.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '_' || c == ',';
  });
}

// Install from Slack: the client id and secret come together, and need the
// public address (the redirect URI) and the key the tokens are sealed under.
void check_slack_install(getenv_fn getenv, config& cfg, std::vector<std::string>& errors) {
  if (auto scopes = read(getenv, "SLACK_SCOPES")) {
    std::string compact;
    for (char c : *scopes)
      if (c != ' ') compact += c;
    if (valid_scopes(compact))
      cfg.slack_scopes = compact;
    else
      errors.push_back(fmt::format("SLACK_SCOPES: \"{}\" is not a comma-separated list of Slack scopes (e.g. "
                                   "{})",
                                   shown(*scopes), config::default_slack_scopes));
  }
  if (auto url = read(getenv, "PARTNERBOT_PUBLIC_URL")) {
    std::string text = *url;
    while (text.ends_with('/'))
      text.pop_back();
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!is_http_url(text) ||
        (parsed && (parsed->has_query() || parsed->has_fragment() || !parsed->encoded_userinfo().empty())))
      errors.push_back(fmt::format("PARTNERBOT_PUBLIC_URL: \"{}\" is not an http(s) origin (e.g. "
                                   "https://partnerbot.example.com)",
                                   shown(*url)));
    else if (!may_carry_secrets(text))
      errors.push_back(cleartext_error("PARTNERBOT_PUBLIC_URL", *url, "Slack's install codes"));
    else
      cfg.public_url = text;
  }
  const bool id = !cfg.slack_client_id.empty();
  const bool secret = !cfg.slack_client_secret.empty();
  if (id != secret) {
    errors.push_back(fmt::format(
        "{} is set but {} is not: Install from Slack needs both (from the app's Basic "
        "Information page)",
        id ? "SLACK_CLIENT_ID" : "SLACK_CLIENT_SECRET", id ? "SLACK_CLIENT_SECRET" : "SLACK_CLIENT_ID"));
    return;
  }
  if (!id) return;
  if (cfg.public_url.empty() && !read(getenv, "PARTNERBOT_PUBLIC_URL"))
    errors.push_back("PARTNERBOT_PUBLIC_URL is not set: Install from Slack needs the https address that "
                     "reaches this server (it makes the redirect URL Slack sends installs back to)");
  if (cfg.secret_key.empty() && !read(getenv, "PARTNERBOT_SECRET_KEY"))
    errors.push_back("PARTNERBOT_SECRET_KEY is not set: with SLACK_CLIENT_ID each workspace's Slack token is "
                     "stored encrypted under it (base64 of 32 random bytes, e.g. from `openssl rand -base64 "
                     "32`)");
}

// A whole number from `low` to `high`, when set; else a clear error.
template <class Number>
void read_whole_number(getenv_fn getenv, const char* name, std::type_identity_t<Number> low,
                       std::type_identity_t<Number> high, Number& field, std::vector<std::string>& errors) {
  const auto text = read(getenv, name);
  if (!text) return;
  Number value{};
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec == std::errc() && end == text->data() + text->size() && value >= low && value <= high)
    field = value;
  else
    errors.push_back(
        fmt::format("{}: \"{}\" is not a whole number from {} to {}", name, shown(*text), low, high));
}

} // namespace

bool may_carry_secrets(std::string_view text) {
  if (!is_http_url(text)) return false;
  auto url = boost::urls::parse_absolute_uri(text);
  if (url->scheme_id() == boost::urls::scheme::https) return true;
  if (url->scheme_id() != boost::urls::scheme::http) return false;
  switch (url->host_type()) {
  case boost::urls::host_type::ipv4:
    return url->host_ipv4_address().is_loopback();
  case boost::urls::host_type::ipv6:
    return url->host_ipv6_address().is_loopback();
  case boost::urls::host_type::name: {
    // Only the name itself: "localhost.example.com" is somebody else's.
    const auto host = url->encoded_host();
    return host.size() == 9 && std::equal(host.begin(), host.end(), "localhost", [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == b;
           });
  }
  default:
    return false;
  }
}

std::optional<std::chrono::seconds> parse_interval(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::chrono::seconds total{0};
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
      ++digits;
    if (digits == 0 || digits > 6 || digits == text.size()) return std::nullopt;
    long n = 0;
    std::from_chars(text.data(), text.data() + digits, n);
    switch (text[digits]) {
    case 's':
      total += std::chrono::seconds(n);
      break;
    case 'm':
      total += std::chrono::minutes(n);
      break;
    case 'h':
      total += std::chrono::hours(n);
      break;
    default:
      return std::nullopt;
    }
    text.remove_prefix(digits + 1);
  }
  if (total < std::chrono::seconds(1) || total > std::chrono::hours(24)) return std::nullopt;
  return total;
}

config_result load_config(getenv_fn getenv) {
  config cfg;
  std::vector<std::string> errors;

  if (auto listen = read(getenv, "PARTNERBOT_LISTEN")) {
    if (auto parsed = parse_listen(*listen)) {
      cfg.listen_host = parsed->host;
      cfg.listen_port = parsed->port;
    } else {
      errors.push_back(fmt::format("PARTNERBOT_LISTEN: \"{}\" is not HOST:PORT with an IP address and a port "
                                   "0-65535 (e.g. 127.0.0.1:3000 or [::1]:3000)",
                                   shown(*listen)));
    }
  }

  if (auto db = read(getenv, "PARTNERBOT_DB")) cfg.db_path = *db;

  if (auto portal = read(getenv, "PARTNERBOT_PORTAL_URL")) {
    // "{client_id}" is not valid in a URL until it is replaced.
    if (is_http_url(replace_all(*portal, "{client_id}", "c-1")))
      cfg.portal_url = *portal;
    else
      errors.push_back(fmt::format("PARTNERBOT_PORTAL_URL: \"{}\" is not an http(s) URL (e.g. "
                                   "https://app.pleo.io/partner/clients/{{client_id}})",
                                   shown(*portal)));
  }

  const std::array<std::pair<const char*, std::string*>, 8> secrets = {{
      {"SLACK_SIGNING_SECRET", &cfg.slack_signing_secret},
      {"SLACK_BOT_TOKEN", &cfg.slack_bot_token},
      {"SLACK_CLIENT_ID", &cfg.slack_client_id},
      {"SLACK_CLIENT_SECRET", &cfg.slack_client_secret},
      {"MicrosoftAppPassword", &cfg.microsoft_app_password},
      {"MicrosoftAppId", &cfg.microsoft_app_id},
      {"PLEO_OAUTH_CLIENT_ID", &cfg.pleo_oauth_client_id},
      {"PLEO_OAUTH_CLIENT_SECRET", &cfg.pleo_oauth_client_secret},
  }};
  for (const auto& [name, field] : secrets) {
    if (auto value = read(getenv, name)) {
      if (has_space_or_control(*value))
        errors.push_back(fmt::format("{}: contains spaces or control characters (value not shown)", name));
      else
        *field = *value;
    }
  }

  if (auto api = read(getenv, "SLACK_API_URL")) {
    if (is_http_url(*api) && !may_carry_secrets(*api)) {
      errors.push_back(cleartext_error("SLACK_API_URL", *api, "the bot token"));
    } else if (is_http_url(*api)) {
      cfg.slack_api_url = *api;
      if (!cfg.slack_api_url.ends_with('/')) cfg.slack_api_url += '/';
    } else {
      errors.push_back(fmt::format(
          "SLACK_API_URL: \"{}\" is not an http(s) URL (e.g. https://slack.com/api/)", shown(*api)));
    }
  }

  if (auto tenant = read(getenv, "MicrosoftAppTenantId")) {
    if (has_space_or_control(*tenant))
      errors.push_back(
          fmt::format("MicrosoftAppTenantId: \"{}\" contains spaces or control characters", shown(*tenant)));
    else
      cfg.microsoft_app_tenant_id = *tenant;
  }

  if (auto type = read(getenv, "MicrosoftAppType")) {
    constexpr std::array<std::string_view, 3> known = {"MultiTenant", "SingleTenant", "UserAssignedMSI"};
    const auto match = std::find_if(known.begin(), known.end(), [&](std::string_view k) {
      return k.size() == type->size() && std::equal(k.begin(), k.end(), type->begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) ==
                      std::tolower(static_cast<unsigned char>(b));
             });
    });
    if (match != known.end())
      cfg.microsoft_app_type = std::string(*match);
    else
      errors.push_back(fmt::format(
          "MicrosoftAppType: \"{}\" is not one of MultiTenant, SingleTenant, UserAssignedMSI", shown(*type)));
  }

  const std::array<std::pair<const char*, std::string*>, 2> endpoints = {{
      {"BOTFRAMEWORK_OPENID_METADATA", &cfg.botframework_openid_metadata},
      {"BOTFRAMEWORK_TOKEN_URL", &cfg.botframework_token_url},
  }};
  for (const auto& [name, field] : endpoints) {
    if (auto value = read(getenv, name)) {
      if (!is_http_url(*value))
        errors.push_back(fmt::format("{}: \"{}\" is not an http(s) URL", name, shown(*value)));
      else if (!may_carry_secrets(*value))
        errors.push_back(cleartext_error(name, *value, "the Bot Framework credentials"));
      else
        *field = *value;
    }
  }

  read_whole_number(getenv, "PARTNERBOT_MAX_CONNECTIONS", 1, 1'000'000, cfg.max_connections, errors);

  if (auto key = read(getenv, "PARTNERBOT_SECRET_KEY")) {
    if (pleo::secret_key::from_base64(*key))
      cfg.secret_key = *key;
    else
      errors.push_back("PARTNERBOT_SECRET_KEY: not the base64 of 32 bytes (value not shown; make one with "
                       "`openssl rand -base64 32`)");
  }

  if (auto api = read(getenv, "PLEO_API_URL")) {
    std::string url = *api;
    while (url.ends_with('/'))
      url.pop_back();
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!is_http_url(url) || (parsed && (parsed->has_query() || parsed->has_fragment())))
      errors.push_back(fmt::format(
          "PLEO_API_URL: \"{}\" is not an http(s) base URL (e.g. https://external.pleo.io)", shown(*api)));
    else if (!may_carry_secrets(url))
      errors.push_back(cleartext_error("PLEO_API_URL", *api, "the clients' Pleo credentials"));
    else
      cfg.pleo_api_url = url;
  }

  if (auto interval = read(getenv, "PLEO_SYNC_INTERVAL")) {
    if (auto parsed = parse_interval(*interval))
      cfg.pleo_sync_interval = *parsed;
    else
      errors.push_back(
          fmt::format("PLEO_SYNC_INTERVAL: \"{}\" is not a duration from 1s to 24h (e.g. 30s, 15m, "
                      "1h, 1h30m)",
                      shown(*interval)));
  }

  read_whole_number(getenv, "PLEO_REQUESTS_PER_MINUTE", 1, 1'000'000, cfg.pleo_requests_per_minute, errors);
  read_whole_number(getenv, "PLEO_REQUESTS_IN_FLIGHT", 1, 256, cfg.pleo_requests_in_flight, errors);

  if (auto language = read(getenv, "PARTNERBOT_LANGUAGE")) {
    if (*language == "en" || *language == "da")
      cfg.language = *language;
    else
      errors.push_back(fmt::format("PARTNERBOT_LANGUAGE: \"{}\" is not en or da", shown(*language)));
  }

  check_slack_install(getenv, cfg, errors);

  config_result result;
  if (errors.empty())
    result.value = std::move(cfg);
  else
    result.errors = std::move(errors);
  return result;
}

} // namespace bot
