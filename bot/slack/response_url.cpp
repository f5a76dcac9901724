#include "bot/slack/response_url.hpp"

#include "text/log_escape.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <string>

namespace bot::slack {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string_view port_for(boost::urls::scheme scheme) {
  return scheme == boost::urls::scheme::https ? "443" : "80";
}

std::string_view effective_port(const boost::urls::url_view& u) {
  return u.has_port() ? std::string_view(u.port()) : port_for(u.scheme_id());
}

bool is_web_url(const boost::urls::url_view& u) {
  const auto scheme = u.scheme_id();
  // After an authority the path is empty or starts with '/'. Boost.URL 1.81
  // reads "http://127.0.0.1.example.com/" as host 127.0.0.1 and path
  // ".example.com/": such a URL means different hosts to different parsers.
  const auto path = u.encoded_path();
  return (scheme == boost::urls::scheme::http || scheme == boost::urls::scheme::https) && u.has_authority() &&
         !u.has_userinfo() && !u.encoded_host().empty() && (path.empty() || path.front() == '/');
}

bool is_slack_host(const boost::urls::url_view& u) {
  // A name only (never an address), and no percent-escapes to compare around.
  if (u.host_type() != boost::urls::host_type::name) return false;
  const auto host = lower(u.encoded_host());
  if (host.find('%') != std::string::npos) return false;
  constexpr std::string_view suffix = ".slack.com";
  return host.size() > suffix.size() && host.ends_with(suffix);
}

} // namespace

bool response_url_allowed(std::string_view url, std::string_view api_base_url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !is_web_url(*parsed)) return false;
  const auto& u = *parsed;
  if (u.scheme_id() == boost::urls::scheme::https && is_slack_host(u) && effective_port(u) == "443")
    return true;

  auto base = boost::urls::parse_absolute_uri(api_base_url);
  if (!base || !is_web_url(*base)) return false;
  return u.scheme_id() == base->scheme_id() && u.host_type() == base->host_type() &&
         lower(u.encoded_host()) == lower(base->encoded_host()) && effective_port(u) == effective_port(*base);
}

std::string origin_for_log(std::string_view url) {
  auto parsed = boost::urls::parse_uri_reference(url);
  if (!parsed || !parsed->has_authority()) return text::escape_for_log(url, 60);
  std::string origin = parsed->has_scheme() ? std::string(parsed->scheme()) + "://" : "//";
  origin += parsed->encoded_host_and_port(); // without user information
  return text::escape_for_log(origin, 120);
}

} // namespace bot::slack
