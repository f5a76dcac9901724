#pragma once
// The Bot Framework's signing keys: the OpenID metadata document
// (BOTFRAMEWORK_OPENID_METADATA) names a JWKS (`jwks_uri`), whose RSA keys
// and endorsements are cached here. Keys are fetched on first use, again
// when older than a day, and on a token with an unknown `kid` — at most once
// per refresh interval, so a stream of forged kids cannot make the bot hammer
// the metadata endpoint. Concurrent callers share one fetch. A failed fetch
// keeps the keys already held.
// Single-threaded: use from the io_context's thread only.

#include "bot/net/http_client.hpp"
#include "bot/teams/jwt.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <string>
#include <string_view>

namespace bot::teams {

struct openid_options {
  std::chrono::seconds max_age{std::chrono::hours(24)};
  std::chrono::milliseconds min_refresh_interval{std::chrono::minutes(1)};
  std::chrono::milliseconds timeout{std::chrono::seconds(10)}; // per HTTP request
};

// The keys of a JWKS document ({"keys":[...]}); keys that are not usable RSA
// signing keys are skipped. nullopt: not a JWKS.
std::optional<key_set> parse_jwks(std::string_view json_text);

class openid_keys {
public:
  openid_keys(boost::asio::io_context& io, http_client& client, std::string metadata_url,
              openid_options options = {});

  // The keys as last fetched (empty before the first successful fetch).
  const key_set& keys() const { return keys_; }

  // Fetches when nothing has been fetched yet or the keys are older than
  // max_age (and the last attempt is at least min_refresh_interval ago).
  boost::asio::awaitable<void> ensure_fresh();
  // A token named a key not held: fetch again unless the last attempt was
  // within min_refresh_interval. True when `kid` is known afterwards.
  boost::asio::awaitable<bool> refresh_for(std::string kid);

  // Fetch attempts so far (each reads the metadata and the JWKS).
  int fetches() const { return fetches_; }

private:
  using steady = std::chrono::steady_clock;
  boost::asio::awaitable<void> fetch();
  boost::asio::awaitable<std::optional<key_set>> download();
  bool interval_passed(const std::optional<steady::time_point>& since) const;

  http_client& client_;
  std::string metadata_url_;
  openid_options options_;
  key_set keys_;
  std::optional<steady::time_point> fetched_at_;   // last success
  std::optional<steady::time_point> attempted_at_; // last attempt, success or not
  std::optional<steady::time_point> forced_at_;    // last fetch an unknown kid caused
  bool fetching_ = false;
  boost::asio::steady_timer fetch_done_; // waiters of a fetch in flight; cancelled when it ends
  int fetches_ = 0;
};

// verify_bearer with the cached keys; a token whose kid is not among them
// refreshes the keys (rate-limited, see above) and is verified once more.
// `required` must stay valid until the returned awaitable completes.
boost::asio::awaitable<token_check> authenticate(openid_keys& keys, std::string authorization,
                                                 token_requirements required,
                                                 std::chrono::system_clock::time_point now);

} // namespace bot::teams
