#include "support/recorded_body.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/params_encoded_view.hpp>
#include <boost/url/parse_query.hpp>

namespace test_support {

namespace json = boost::json;

std::string form_decode(boost::urls::pct_string_view s) {
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  auto view = s.decode(opts);
  return std::string(view.begin(), view.end());
}

json::object parse_body(const std::string& content_type, const std::string& body) {
  json::object out;
  if (body.empty()) return out;
  if (content_type.find("json") != std::string::npos) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (!ec && v.is_object()) return std::move(v.as_object());
    out["_raw"] = body;
    return out;
  }
  auto params = boost::urls::parse_query(body);
  if (!params) {
    out["_raw"] = body;
    return out;
  }
  for (auto p : *params)
    out[form_decode(p.key)] = p.has_value ? form_decode(p.value) : std::string();
  return out;
}

} // namespace test_support
