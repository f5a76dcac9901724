#include "bot/teams/connector.hpp"

#include "bot/teams/trusted_url.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>
#include <spdlog/spdlog.h>

namespace bot::teams {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::string_view token_scope = "https://api.botframework.com/.default";
constexpr std::string_view multi_tenant_segment = "/botframework.com/";
// Refresh this long before the token expires (the SDKs do the same), so no
// call starts with a token that runs out on the way.
constexpr std::chrono::seconds expiry_margin{300};

std::string encode(std::string_view text) {
  boost::urls::encoding_opts opts;
  opts.space_as_plus = false;
  return boost::urls::encode(text, boost::urls::unreserved_chars, opts);
}

std::string base_of(std::string_view service_url) {
  std::string base(service_url);
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

std::string conversations_url(std::string_view service_url) {
  return base_of(service_url) + "/v3/conversations";
}

std::string activities_url(std::string_view service_url, std::string_view conversation_id,
                           std::string_view activity_id = {}) {
  auto url = conversations_url(service_url) + "/" + encode(conversation_id) + "/activities";
  if (!activity_id.empty()) url += "/" + encode(activity_id);
  return url;
}

std::optional<std::chrono::seconds> parse_seconds(std::string_view text) {
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return std::chrono::seconds(value);
}

std::optional<json::object> parse_answer_object(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// An HTTP answer as a result: the Connector's ErrorResponse is
// {"error":{"code":"...","message":"..."}}; only the code is kept.
connector_result interpret(const outbound_response& res) {
  connector_result r;
  if (!res.transport_ok) {
    r.error = "transport: " + res.error;
    return r;
  }
  r.transport_ok = true;
  r.http_status = res.status;
  if (auto parsed = parse_answer_object(res.body)) r.body = std::move(*parsed);
  if (res.status >= 200 && res.status < 300) {
    r.ok = true;
    return r;
  }
  if (const auto* error = r.body.if_contains("error"); error && error->is_object())
    r.code = string_at(error->get_object(), "code");
  if (auto it = res.headers.find("retry-after"); it != res.headers.end())
    r.retry_after = parse_seconds(it->second);
  r.error = "http " + std::to_string(res.status);
  if (!r.code.empty()) r.error += " " + r.code.substr(0, 100);
  return r;
}

} // namespace

connector_settings connector_settings_of(const bot::config& cfg) {
  connector_settings s;
  s.app_id = cfg.microsoft_app_id;
  s.app_password = cfg.microsoft_app_password;
  s.tenant_id = cfg.microsoft_app_tenant_id;
  s.app_type = cfg.microsoft_app_type;
  s.token_url = cfg.botframework_token_url;
  s.openid_metadata_url = cfg.botframework_openid_metadata;
  return s;
}

std::string effective_token_url(const connector_settings& s) {
  if (s.app_type != "SingleTenant") return s.token_url;
  auto url = s.token_url;
  if (auto at = url.find(multi_tenant_segment); at != std::string::npos)
    url.replace(at, multi_tenant_segment.size(), "/" + encode(s.tenant_id) + "/");
  return url;
}

connector::connector(asio::io_context& io, http_client& client, connector_settings settings)
    : client_(client), settings_(std::move(settings)), token_url_(effective_token_url(settings_)),
      fetch_done_(io, steady::time_point::max()) {
  for (const auto& url : {token_url_, settings_.openid_metadata_url})
    if (auto origin = loopback_origin(url)) local_origins_.push_back(std::move(*origin));
  if (settings_.app_id.empty() || settings_.app_password.empty())
    configuration_error_ = "MicrosoftAppId and MicrosoftAppPassword are not set";
  else if (settings_.app_type == "UserAssignedMSI")
    configuration_error_ = "MicrosoftAppType UserAssignedMSI is not supported: use an app password";
  else if (settings_.app_type == "SingleTenant" && settings_.tenant_id.empty())
    configuration_error_ = "MicrosoftAppTenantId is required for a SingleTenant app";
  else if (!is_trusted_url(token_url_))
    configuration_error_ = "BOTFRAMEWORK_TOKEN_URL must be https (or http to a loopback address)";
}

bool connector::may_call(std::string_view service_url) const {
  return is_trusted_url(service_url) && is_bot_connector_url(service_url, local_origins_);
}

asio::awaitable<std::optional<std::string>> connector::token(connector_result& failure) {
  if (!configuration_error_.empty()) {
    failure.token_failed = true;
    failure.error = configuration_error_;
    co_return std::nullopt;
  }
  if (!token_.empty() && steady::now() < token_refresh_at_) co_return token_;
  if (fetching_) {
    // One token request at a time: the others wait for it and share its outcome.
    co_await fetch_done_.async_wait(asio::as_tuple(asio::use_awaitable));
  } else {
    co_await fetch_token(failure);
  }
  if (token_.empty()) {
    failure = last_token_failure_;
    co_return std::nullopt;
  }
  co_return token_;
}

asio::awaitable<void> connector::fetch_token(connector_result& failure) {
  fetching_ = true;
  ++token_requests_;
  outbound_request req;
  req.url = token_url_;
  req.timeout = settings_.timeout;
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = "grant_type=client_credentials&client_id=" + encode(settings_.app_id) +
             "&client_secret=" + encode(settings_.app_password) + "&scope=" + encode(token_scope);
  auto res = co_await client_.send(std::move(req));

  auto r = interpret(res);
  r.token_failed = true;
  token_.clear();
  if (r.ok) {
    const auto access = string_at(r.body, "access_token");
    std::optional<std::chrono::seconds> lifetime;
    if (const auto* expires = r.body.if_contains("expires_in")) {
      if (expires->is_int64() && expires->get_int64() > 0)
        lifetime = std::chrono::seconds(expires->get_int64());
      if (expires->is_string()) lifetime = parse_seconds(expires->get_string());
    }
    if (!access.empty() && lifetime && lifetime->count() > 0) {
      token_ = access;
      // A short-lived token is reused for half its life instead.
      const auto margin = *lifetime > 2 * expiry_margin ? expiry_margin : *lifetime / 2;
      token_refresh_at_ = steady::now() + (*lifetime - margin);
    } else {
      r.ok = false;
      r.error = "token endpoint answered without access_token/expires_in";
    }
  } else {
    // The identity platform's {"error":"invalid_client",...}: the code only, never the description's echo.
    const auto code = string_at(r.body, "error");
    if (!code.empty()) r.error = "http " + std::to_string(r.http_status) + " " + code.substr(0, 100);
  }
  r.body = {};
  if (token_.empty()) {
    r.error = "token: " + r.error;
    spdlog::warn("bot framework token request failed: {}", r.error);
    failure = r;
  }
  last_token_failure_ = std::move(r);
  fetching_ = false;
  fetch_done_.expires_at(steady::time_point::max()); // wakes the waiters
}

asio::awaitable<connector_result> connector::call(std::string method, std::string url,
                                                  std::optional<json::object> body) {
  connector_result failure;
  if (!may_call(url)) {
    failure.not_allowed = true;
    failure.error = is_trusted_url(url) ? "serviceUrl is not the Bot Connector's" : "serviceUrl is not https";
    spdlog::warn("bot connector call to {} not made: {}", origin_of(url), failure.error);
    co_return failure;
  }
  auto bearer = co_await token(failure);
  if (!bearer) co_return failure;

  outbound_request req;
  req.method = std::move(method);
  req.url = std::move(url);
  req.timeout = settings_.timeout;
  req.headers.emplace_back("Authorization", "Bearer " + *bearer);
  if (body) {
    req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    req.body = json::serialize(*body);
  }
  auto r = interpret(co_await client_.send(std::move(req)));
  // The Connector refused the token (revoked, or the app's secret rotated): ask for a new one next time.
  if (r.http_status == 401 && token_ == *bearer) token_.clear();
  co_return r;
}

asio::awaitable<connector_result> connector::send(std::string service_url, std::string conversation_id,
                                                  json::object activity) {
  co_return co_await call("POST", activities_url(service_url, conversation_id), std::move(activity));
}

asio::awaitable<connector_result> connector::reply(std::string service_url, std::string conversation_id,
                                                   std::string reply_to_id, json::object activity) {
  co_return co_await call("POST", activities_url(service_url, conversation_id, reply_to_id),
                          std::move(activity));
}

asio::awaitable<connector_result> connector::update(std::string service_url, std::string conversation_id,
                                                    std::string activity_id, json::object activity) {
  if (!activity.contains("id")) activity["id"] = activity_id;
  co_return co_await call("PUT", activities_url(service_url, conversation_id, activity_id),
                          std::move(activity));
}

asio::awaitable<connector_result> connector::create_conversation(std::string service_url,
                                                                 std::string tenant_id, std::string bot_id,
                                                                 std::string user_id) {
  json::object parameters;
  parameters["isGroup"] = false;
  if (!bot_id.empty()) parameters["bot"] = json::object{{"id", bot_id}};
  parameters["members"] = json::array{json::object{{"id", user_id}}};
  parameters["tenantId"] = tenant_id;
  parameters["channelData"] = json::object{{"tenant", json::object{{"id", tenant_id}}}};
  co_return co_await call("POST", conversations_url(service_url), std::move(parameters));
}

asio::awaitable<connector_result> connector::member(std::string service_url, std::string conversation_id,
                                                    std::string user_id) {
  auto url = conversations_url(service_url) + "/" + encode(conversation_id) + "/members/" + encode(user_id);
  co_return co_await call("GET", std::move(url), std::nullopt);
}

asio::awaitable<connector_result> connector::members_page(std::string service_url,
                                                          std::string conversation_id,
                                                          std::string continuation_token) {
  // 500 is the largest page the Connector serves.
  auto url = conversations_url(service_url) + "/" + encode(conversation_id) + "/pagedmembers?pageSize=500";
  if (!continuation_token.empty()) url += "&continuationToken=" + encode(continuation_token);
  co_return co_await call("GET", std::move(url), std::nullopt);
}

} // namespace bot::teams
