#include "bot/teams/trusted_url.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

namespace bot::teams {

namespace {

// Teams' Connector in each cloud (the Teams SDK's presets), and the Bot
// Framework's own domains in each.
constexpr std::array<std::string_view, 6> connector_hosts = {
    "smba.trafficmanager.net",
    "smba.onyx.prod.teams.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
    "frontend.botapi.msg.infra.teams.microsoftonline.cn",
};
constexpr std::array<std::string_view, 4> connector_domains = {
    "botframework.com",
    "botframework.us",
    "botframework.azure.us",
    "botframework.azure.cn",
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return out;
}

bool is_loopback_host(std::string_view encoded_host) {
  std::string host(encoded_host);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

// scheme://host[:port], lower-cased; nullopt for anything but http(s) with a host and no user info.
std::optional<std::string> http_origin(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty() || parsed->has_userinfo())
    return std::nullopt;
  const auto scheme = parsed->scheme_id();
  if (scheme != boost::urls::scheme::https && scheme != boost::urls::scheme::http) return std::nullopt;
  auto out = lower(parsed->scheme()) + "://" + lower(parsed->encoded_host());
  if (parsed->has_port()) out += ":" + std::string(std::string_view(parsed->port()));
  return out;
}

} // namespace

bool is_trusted_url(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return false;
  if (parsed->scheme_id() == boost::urls::scheme::https) return true;
  if (parsed->scheme_id() != boost::urls::scheme::http) return false;
  return is_loopback_host(parsed->encoded_host());
}

bool is_bot_connector_host(std::string_view host) {
  const auto h = lower(host);
  if (std::find(connector_hosts.begin(), connector_hosts.end(), h) != connector_hosts.end()) return true;
  return std::any_of(connector_domains.begin(), connector_domains.end(), [&](std::string_view domain) {
    return h.size() > domain.size() + 1 && h.ends_with(domain) && h[h.size() - domain.size() - 1] == '.';
  });
}

bool is_bot_connector_url(std::string_view url, const std::vector<std::string>& local_origins) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->has_userinfo()) return false;
  if (parsed->scheme_id() == boost::urls::scheme::https &&
      parsed->host_type() == boost::urls::host_type::name &&
      (!parsed->has_port() || parsed->port() == "443") && is_bot_connector_host(parsed->encoded_host()))
    return true;
  const auto origin = http_origin(url);
  return origin && std::find(local_origins.begin(), local_origins.end(), *origin) != local_origins.end();
}

std::optional<std::string> loopback_origin(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || !is_loopback_host(parsed->encoded_host())) return std::nullopt;
  return http_origin(url);
}

std::string origin_of(std::string_view url) {
  return http_origin(url).value_or("(unusable URL)");
}

} // namespace bot::teams
