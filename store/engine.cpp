#include "store/engine.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace store::engine {

const char* name(kind k) {
  return k == kind::postgres ? "postgresql" : "sqlite";
}

kind kind_of(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://") ? kind::postgres
                                                                                      : kind::sqlite;
}

std::string redacted(std::string_view location) {
  if (kind_of(location) != kind::postgres) return std::string(location);
  auto parsed = boost::urls::parse_uri(location);
  if (!parsed) return "postgresql://(unparsable URI)";
  boost::urls::url u = *parsed;
  if (u.has_password()) u.set_password("***");
  // A password may also come as a query parameter.
  for (auto it = u.params().begin(); it != u.params().end(); ++it)
    if ((*it).key == "password") u.params().replace(it, std::next(it), {{"password", "***"}});
  return std::string(u.buffer());
}

} // namespace store::engine
