#include "bot/slack/web_api.hpp"

#include "bot/slack/response_url.hpp"
#include "text/log_escape.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>
#include <spdlog/spdlog.h>

namespace bot::slack {

namespace json = boost::json;

namespace {

// Methods documented as accepting only form-encoded arguments.
bool form_only(std::string_view method) {
  return method.ends_with(".info") || method.ends_with(".list") || method.ends_with(".history") ||
         method == "users.lookupByEmail" || method == "users.profile.get" || method == "oauth.v2.access";
}

std::string form_encode(const json::object& args) {
  boost::urls::encoding_opts opts;
  opts.space_as_plus = false;
  std::string out;
  for (const auto& [key, value] : args) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(key, boost::urls::unreserved_chars, opts);
    out += '=';
    std::string text = value.is_string() ? std::string(value.get_string()) : json::serialize(value);
    out += boost::urls::encode(text, boost::urls::unreserved_chars, opts);
  }
  return out;
}

} // namespace

api_result interpret_response(const outbound_response& res) {
  api_result r;
  if (!res.transport_ok) {
    r.error = "transport: " + text::escape_for_log(res.error, 200);
    r.retryable = true;
    return r;
  }
  r.http_status = res.status;
  if (res.status == 429) {
    r.error = "ratelimited";
    r.retryable = true;
    int seconds = 1;
    if (auto it = res.headers.find("retry-after"); it != res.headers.end()) {
      const auto& v = it->second;
      int parsed = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
      if (ec == std::errc() && parsed >= 0) seconds = parsed;
    }
    r.retry_after_seconds = seconds;
    return r;
  }
  if (res.status >= 500) {
    r.error = "http " + std::to_string(res.status);
    r.retryable = true;
    return r;
  }
  boost::system::error_code ec;
  auto parsed = json::parse(res.body, ec);
  if (!ec && parsed.is_object()) r.body = std::move(parsed.as_object());
  if (res.status < 200 || res.status >= 300) {
    // response_url answers errors as text ("expired_url", "no_text") or JSON.
    if (auto* e = r.body.if_contains("error"); e && e->is_string())
      r.error = text::escape_for_log(e->get_string(), 100);
    else if (!res.body.empty() && res.body.size() < 100 && ec)
      r.error = text::escape_for_log(res.body, 100);
    else
      r.error = "http " + std::to_string(res.status);
    return r;
  }
  if (ec || !parsed.is_object()) {
    // A response_url answers a plain "ok".
    r.ok = true;
    return r;
  }
  auto* ok = r.body.if_contains("ok");
  r.ok = !ok || (ok->is_bool() && ok->get_bool());
  if (!r.ok) {
    auto* e = r.body.if_contains("error");
    r.error = e && e->is_string() ? text::escape_for_log(e->get_string(), 100) : "unknown_error";
  }
  return r;
}

web_api::web_api(http_client& client, std::string base_url, std::string token)
    : client_(client), base_url_(std::move(base_url)), token_(std::move(token)) {
  if (!base_url_.empty() && base_url_.back() != '/') base_url_ += '/';
}

boost::asio::awaitable<api_result> web_api::call(std::string method, json::object args,
                                                 std::chrono::milliseconds timeout) {
  co_return co_await call_with_token(token_, std::move(method), std::move(args), timeout);
}

boost::asio::awaitable<api_result> web_api::call(workspace_ref workspace, std::string method,
                                                 json::object args, std::chrono::milliseconds timeout) {
  if (!tokens_) co_return co_await call_with_token(token_, std::move(method), std::move(args), timeout);
  auto found = co_await tokens_->token_for(workspace);
  api_result refused;
  refused.error = std::string{found.uninstalled ? uninstalled_error : no_token_error};
  refused.retryable = !found.uninstalled; // a token may come (an install, a restart with one)
  if (found.uninstalled || found.token.empty()) co_return refused;
  auto r = co_await call_with_token(found.token, method, args, timeout);
  // A rotated token that expired early, or was refreshed elsewhere: once more with a fresh one.
  if (!r.ok && (r.error == "token_expired" || r.error == "invalid_auth")) {
    auto fresh = co_await tokens_->refresh(workspace, found.token);
    if (!fresh.empty() && fresh != found.token)
      r = co_await call_with_token(std::move(fresh), std::move(method), std::move(args), timeout);
  }
  co_return r;
}

boost::asio::awaitable<api_result> web_api::call_with_token(std::string token, std::string method,
                                                            json::object args,
                                                            std::chrono::milliseconds timeout) {
  outbound_request req;
  req.url = base_url_ + method;
  req.timeout = timeout;
  if (form_only(method)) {
    req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    req.body = form_encode(args);
  } else {
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = json::serialize(args);
  }
  if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
  auto res = co_await client_.send(std::move(req));
  auto r = interpret_response(res);
  if (!r.ok) spdlog::warn("slack {} failed: {}", method, r.error);
  co_return r;
}

boost::asio::awaitable<api_result> web_api::post_to_response_url(std::string url, json::object body) {
  if (!response_url_allowed(url, base_url_)) {
    spdlog::warn("slack response_url to {} ignored: not https on slack.com nor the Slack API's origin",
                 origin_for_log(url));
    api_result refused;
    refused.error = "response_url refused";
    co_return refused;
  }
  outbound_request req;
  req.url = std::move(url);
  req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  req.body = json::serialize(body);
  auto res = co_await client_.send(std::move(req));
  auto r = interpret_response(res);
  // The URL itself is a credential of sorts: log only the outcome.
  if (!r.ok) spdlog::warn("slack response_url post failed: {}", r.error);
  co_return r;
}

} // namespace bot::slack
