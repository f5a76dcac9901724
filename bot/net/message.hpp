#pragma once
// The HTTP request and response types every route works with.

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http.hpp>
#include <functional>

namespace bot::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

// A route: gets the whole request (body already read and size-checked).
using route_handler = std::function<boost::asio::awaitable<response>(const request&)>;

// Helpers for building responses.
response make_response(const request& req, boost::beast::http::status status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
response make_json_response(const request& req, boost::beast::http::status status, std::string json_body);

} // namespace bot::http
