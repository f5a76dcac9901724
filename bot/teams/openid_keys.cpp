#include "bot/teams/openid_keys.hpp"

#include "bot/teams/trusted_url.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

namespace bot::teams {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// Microsoft publishes a handful of keys; anything beyond this is not a JWKS we trust.
constexpr std::size_t max_keys = 100;

std::optional<json::object> parse_key_document(std::string_view text) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = 16;
  auto value = json::parse(text, ec, {}, options);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

} // namespace

std::optional<key_set> parse_jwks(std::string_view json_text) {
  auto doc = parse_key_document(json_text);
  if (!doc) return std::nullopt;
  const auto* list = doc->if_contains("keys");
  if (!list || !list->is_array() || list->get_array().size() > max_keys) return std::nullopt;
  key_set out;
  for (const auto& entry : list->get_array()) {
    if (!entry.is_object()) continue;
    if (auto key = key_from_jwk(entry.get_object())) {
      auto kid = key->kid;
      out.insert_or_assign(std::move(kid), std::move(*key));
    }
  }
  return out;
}

openid_keys::openid_keys(asio::io_context& io, http_client& client, std::string metadata_url,
                         openid_options options)
    : client_(client), metadata_url_(std::move(metadata_url)), options_(options),
      fetch_done_(io, steady::time_point::max()) {}

bool openid_keys::interval_passed(const std::optional<steady::time_point>& since) const {
  return !since || steady::now() - *since >= options_.min_refresh_interval;
}

asio::awaitable<void> openid_keys::ensure_fresh() {
  const bool stale = !fetched_at_ || steady::now() - *fetched_at_ >= options_.max_age;
  // A failed attempt is not repeated at once: the endpoint may be down.
  if (stale && (fetching_ || interval_passed(attempted_at_))) co_await fetch();
}

asio::awaitable<bool> openid_keys::refresh_for(std::string kid) {
  if (keys_.contains(kid)) co_return true;
  if (fetching_) {
    co_await fetch();
  } else if (interval_passed(forced_at_)) {
    forced_at_ = steady::now();
    co_await fetch();
  }
  co_return keys_.contains(kid);
}

asio::awaitable<void> openid_keys::fetch() {
  if (fetching_) {
    // One fetch at a time: wait for the one in flight (it cancels the timer).
    co_await fetch_done_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return;
  }
  fetching_ = true;
  attempted_at_ = steady::now();
  ++fetches_;
  auto keys = co_await download();
  if (keys) {
    keys_ = std::move(*keys);
    fetched_at_ = steady::now();
    spdlog::info("bot framework signing keys: {} loaded", keys_.size());
  }
  fetching_ = false;
  fetch_done_.cancel();
  fetch_done_.expires_at(steady::time_point::max());
}

asio::awaitable<std::optional<key_set>> openid_keys::download() {
  if (!is_trusted_url(metadata_url_)) {
    spdlog::error("BOTFRAMEWORK_OPENID_METADATA must be https (or http to a loopback address)");
    co_return std::nullopt;
  }
  outbound_request metadata_request;
  metadata_request.method = "GET";
  metadata_request.url = metadata_url_;
  metadata_request.timeout = options_.timeout;
  auto metadata = co_await client_.send(std::move(metadata_request));
  if (!metadata.transport_ok || metadata.status != 200) {
    spdlog::warn("bot framework OpenID metadata: {}",
                 metadata.transport_ok ? "http " + std::to_string(metadata.status) : metadata.error);
    co_return std::nullopt;
  }
  auto doc = parse_key_document(metadata.body);
  const auto* jwks_uri = doc ? doc->if_contains("jwks_uri") : nullptr;
  if (!jwks_uri || !jwks_uri->is_string() || !is_trusted_url(jwks_uri->get_string())) {
    spdlog::warn("bot framework OpenID metadata: no usable jwks_uri");
    co_return std::nullopt;
  }

  outbound_request jwks_request;
  jwks_request.method = "GET";
  jwks_request.url = std::string(jwks_uri->get_string());
  jwks_request.timeout = options_.timeout;
  auto jwks = co_await client_.send(std::move(jwks_request));
  if (!jwks.transport_ok || jwks.status != 200) {
    spdlog::warn("bot framework JWKS: {}",
                 jwks.transport_ok ? "http " + std::to_string(jwks.status) : jwks.error);
    co_return std::nullopt;
  }
  auto keys = parse_jwks(jwks.body);
  if (!keys || keys->empty()) {
    spdlog::warn("bot framework JWKS: no usable RSA signing key");
    co_return std::nullopt;
  }
  co_return keys;
}

asio::awaitable<token_check> authenticate(openid_keys& keys, std::string authorization,
                                          token_requirements required,
                                          std::chrono::system_clock::time_point now) {
  auto check = verify_bearer(authorization, keys.keys(), required, now);
  // What no key can make valid costs no fetch.
  if (check.verdict == token_verdict::missing || check.verdict == token_verdict::malformed ||
      check.verdict == token_verdict::unsupported_algorithm)
    co_return check;
  co_await keys.ensure_fresh();
  check = verify_bearer(authorization, keys.keys(), required, now);
  if (check.verdict != token_verdict::unknown_key) co_return check;
  if (co_await keys.refresh_for(check.kid)) check = verify_bearer(authorization, keys.keys(), required, now);
  co_return check;
}

} // namespace bot::teams
