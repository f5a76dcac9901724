#pragma once

// What the fake servers record of a request: its form or JSON body as one
// object, so tests read fields the same way whatever the encoding.

#include <boost/json/object.hpp>
#include <boost/url/pct_string_view.hpp>
#include <string>

namespace test_support {

// A form field (application/x-www-form-urlencoded: '+' is a space).
std::string form_decode(boost::urls::pct_string_view s);

// A JSON object body as is; a form body as {field: value}; anything that is
// neither as {"_raw": body}. An empty body is an empty object.
boost::json::object parse_body(const std::string& content_type, const std::string& body);

} // namespace test_support
