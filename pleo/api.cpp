#include "pleo/api.hpp"

#include "pleo/secret_box.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cctype>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace pleo {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace asio::experimental::awaitable_operators;

namespace {

// Renew an access token this long before it expires, so it does not lapse in flight.
constexpr auto expiry_margin = std::chrono::seconds(30);
// When the token endpoint does not say how long a token lives.
constexpr auto default_token_lifetime = std::chrono::hours(1);
// A longer expires_in (ten years) is a fault, not a token to keep.
constexpr std::int64_t longest_token_lifetime = 10LL * 366 * 24 * 3600;

std::string describe_status(int status, std::string_view what, int attempts, const client_auth& auth) {
  switch (status) {
  case 401:
    return auth.kind == store::credential_kind::api_key
               ? fmt::format("Pleo refused the API key (401 on {})", what)
               : fmt::format("Pleo refused the access token (401 on {}) even after a refresh", what);
  case 403:
    return fmt::format("Pleo denied access to {} (403): the credential lacks the permission", what);
  case 404:
    return fmt::format("{} was not found at Pleo (404)", what);
  case 429:
    return fmt::format("Pleo kept answering 429 (rate limited) to {} ({} attempts)", what, attempts);
  default:
    break;
  }
  if (worth_retrying(status))
    return fmt::format("Pleo answered {} to {} ({} attempts)", status, what, attempts);
  return fmt::format("Pleo answered {} to {}", status, what);
}

// The OAuth error code of a refused refresh ("invalid_grant"): not a secret,
// and the one thing that says what to do.
std::string oauth_error(std::string_view body) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const auto* e = v.get_object().if_contains("error");
  if (!e || !e->is_string() || e->get_string().size() > 64) return {};
  std::string code(e->get_string());
  for (char c : code)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return {};
  return code;
}

// expires_in within reason: a huge or negative count would overflow the
// time point it is added to.
std::optional<std::int64_t> token_lifetime(const json::value& e) {
  if (e.is_int64() && e.get_int64() >= 0 && e.get_int64() <= longest_token_lifetime) return e.get_int64();
  if (e.is_uint64() && e.get_uint64() <= static_cast<std::uint64_t>(longest_token_lifetime))
    return static_cast<std::int64_t>(e.get_uint64());
  if (e.is_double() && e.get_double() >= 0 && e.get_double() <= static_cast<double>(longest_token_lifetime))
    return static_cast<std::int64_t>(e.get_double());
  return std::nullopt;
}

// The parsed document holds the token too.
void wipe_access_token(json::value& v) {
  if (auto* a = v.is_object() ? v.get_object().if_contains("access_token") : nullptr; a && a->is_string())
    std::fill(a->get_string().begin(), a->get_string().end(), '\0');
}

} // namespace

std::string token_url_for(std::string_view api_url) {
  auto url = boost::urls::parse_absolute_uri(api_url);
  if (url) {
    const std::string host(url->encoded_host());
    if (host.starts_with("external.") && url->scheme() == "https")
      return "https://auth." + host.substr(std::string_view("external.").size()) + "/oauth/token";
  }
  std::string base(api_url);
  while (base.ends_with('/'))
    base.pop_back();
  return base + "/oauth/token";
}

client_auth::~client_auth() {
  wipe(secret);
  wipe(access_token);
}

api_client::api_client(bot::http_client& http, const api_settings& settings, credential_budgets& budgets)
    : http_(http), settings_(settings),
      token_url_(settings.token_url.empty() ? token_url_for(settings.api_url) : settings.token_url),
      budgets_(budgets) {}

asio::awaitable<result<bot::outbound_response>> api_client::exchange(const client_auth& auth,
                                                                     stop_signal& stop, std::string_view what,
                                                                     const bot::outbound_request& request) {
  const auto& policy = settings_.retries;
  for (int attempt = 1;; ++attempt) {
    if (!co_await budgets_.take(auth.client_id, stop)) co_return failure{"stopped", true};
    ++requests_;
    // A stop cuts a request in flight short (shutdown must not wait out a stalled answer).
    auto sent = co_await (http_.send(request) || stop.wait());
    if (sent.index() == 1) co_return failure{"stopped", true};
    auto res = std::get<0>(std::move(sent));
    std::optional<std::chrono::milliseconds> retry_after;
    if (res.transport_ok) {
      if (!worth_retrying(res.status) || attempt >= policy.max_attempts) co_return res;
      if (auto it = res.headers.find("retry-after"); it != res.headers.end())
        retry_after = parse_retry_after(it->second, std::chrono::system_clock::now());
      if (retry_after && *retry_after > policy.longest_retry_after)
        co_return failure{fmt::format("Pleo asked to wait {} s before asking for {} again (rate limited)",
                                      std::chrono::duration_cast<std::chrono::seconds>(*retry_after).count(),
                                      what)};
    } else if (attempt >= policy.max_attempts) {
      co_return failure{fmt::format("{} ({} attempts at {})", res.error, attempt, what)};
    }
    const auto delay = retry_delay(policy, attempt, retry_after, jitter_);
    spdlog::debug("pleo: {} answered {}; attempt {} of {} in {} ms", what,
                  res.transport_ok ? std::to_string(res.status) : res.error, attempt + 1, policy.max_attempts,
                  delay.count());
    if (!co_await stop.sleep_until(steady::now() + delay)) co_return failure{"stopped", true};
  }
}

asio::awaitable<result<void>> api_client::refresh(client_auth& auth, stop_signal& stop) {
  bot::outbound_request req;
  req.method = "POST";
  req.url = token_url_;
  req.timeout = settings_.request_timeout;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  if (!settings_.oauth_client_id.empty())
    req.headers.emplace_back("Authorization", "Basic " + base64_encode(settings_.oauth_client_id + ":" +
                                                                       settings_.oauth_client_secret));
  req.body = "grant_type=refresh_token&refresh_token=" +
             boost::urls::encode(auth.secret, boost::urls::unreserved_chars);
  auto res = co_await exchange(auth, stop, "the token endpoint", req);
  wipe(req.body);
  if (!res) co_return res.error();
  if (res->status != 200) {
    const auto code = oauth_error(res->body);
    wipe(res->body);
    co_return failure{fmt::format("Pleo refused the refresh token ({}{}): add a new one with `partnerbot "
                                  "credentials add {} --oauth`",
                                  res->status, code.empty() ? "" : " " + code, auth.client_id)};
  }
  boost::system::error_code ec;
  auto v = json::parse(res->body, ec);
  wipe(res->body);
  const auto* o = !ec && v.is_object() ? &v.get_object() : nullptr;
  const auto* access = o ? o->if_contains("access_token") : nullptr;
  if (!access || !access->is_string() || access->get_string().empty())
    co_return failure{"malformed answer from the token endpoint (no access_token)"};
  // The refresh token first: the old one may be spent, whatever else is wrong here.
  if (const auto* r = o->if_contains("refresh_token");
      r && r->is_string() && !r->get_string().empty() && r->get_string() != auth.secret) {
    wipe(auth.secret);
    auth.secret = std::string(r->get_string());
    auth.secret_rotated = true;
  }
  auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(default_token_lifetime);
  if (const auto* e = o->if_contains("expires_in"); e && e->is_number()) {
    const auto seconds = token_lifetime(*e);
    if (!seconds) {
      wipe_access_token(v);
      co_return failure{fmt::format("the token endpoint gave an access token an expires_in of {}, not a "
                                    "number of seconds from 0 to {}",
                                    json::serialize(*e), longest_token_lifetime)};
    }
    lifetime = std::chrono::seconds(*seconds);
  }
  auth.access_token = std::string(access->get_string());
  auth.access_expires = steady::now() + lifetime;
  wipe_access_token(v);
  co_return result<void>{};
}

asio::awaitable<result<std::string>> api_client::call(client_auth& auth, stop_signal& stop,
                                                      std::string_view what, std::string method,
                                                      std::string target, std::string body) {
  const bool oauth = auth.kind == store::credential_kind::oauth;
  bool refreshed_for_401 = false;
  for (;;) {
    if (oauth && (auth.access_token.empty() || steady::now() + expiry_margin >= auth.access_expires)) {
      auto r = co_await refresh(auth, stop);
      if (!r) co_return r.error();
    }
    bot::outbound_request req;
    req.method = method;
    req.url = settings_.api_url + target;
    req.timeout = settings_.request_timeout;
    req.body = body;
    req.headers = {{"Accept", "application/json"},
                   {"Authorization",
                    oauth ? "Bearer " + auth.access_token : "Basic " + base64_encode(auth.secret + ":")}};
    if (!req.body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    auto res = co_await exchange(auth, stop, what, req);
    wipe(req.headers[1].second);
    if (!res) co_return res.error();
    if (res->status == 200)
      co_return result<std::string>(boost::system::in_place_value, std::move(res->body));
    if (res->status == 401 && oauth && !refreshed_for_401) {
      // Expired or revoked early: one fresh token, then the answer stands.
      refreshed_for_401 = true;
      wipe(auth.access_token);
      continue;
    }
    co_return failure{describe_status(res->status, what, settings_.retries.max_attempts, auth)};
  }
}

} // namespace pleo
