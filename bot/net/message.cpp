#include "bot/net/message.hpp"

namespace bot::http {

namespace beast_http = boost::beast::http;

response make_response(const request& req, beast_http::status status, std::string body,
                       std::string_view content_type) {
  response res{status, req.version()};
  res.set(beast_http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response make_json_response(const request& req, beast_http::status status, std::string json_body) {
  return make_response(req, status, std::move(json_body), "application/json");
}

} // namespace bot::http
