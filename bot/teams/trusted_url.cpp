#include "bot/teams/trusted_url.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

namespace bot::teams {

bool is_trusted_url(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) return false;
  if (parsed->scheme_id() == boost::urls::scheme::https) return true;
  if (parsed->scheme_id() != boost::urls::scheme::http) return false;
  std::string host(parsed->encoded_host());
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

} // namespace bot::teams
