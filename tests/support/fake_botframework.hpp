#pragma once
// A fake Bot Framework on 127.0.0.1 (its own thread): the OpenID metadata
// document and JWKS (RSA keys generated in the test), the client-credentials
// token endpoint, and the Bot Connector under service_url(). It records
// every request and answers from scripts or sensible defaults. Connector
// calls without a token it issued get 401, as the real one does.

#include <boost/core/noncopyable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

// An RSA key pair made for one test (2048 bits), able to sign tokens.
class rsa_test_key {
public:
  explicit rsa_test_key(std::string kid);
  ~rsa_test_key();
  rsa_test_key(const rsa_test_key&) = delete;
  rsa_test_key& operator=(const rsa_test_key&) = delete;

  const std::string& kid() const { return kid_; }
  // The public key as a JWK, with these endorsements (none: the member is left out).
  boost::json::object jwk(const std::vector<std::string>& endorsements) const;
  // A compact JWS of `claims` signed RS256, with this header (alg and kid as given).
  std::string sign(const boost::json::object& header, const boost::json::object& claims) const;
  // The usual header: {"alg":"RS256","typ":"JWT","kid":kid}.
  std::string sign(const boost::json::object& claims) const;

private:
  struct impl;
  std::string kid_;
  std::unique_ptr<impl> impl_;
};

// Claims as the Bot Framework sends them, valid for an hour from `now`.
boost::json::object bot_framework_claims(const std::string& app_id, const std::string& service_url,
                                         std::chrono::system_clock::time_point now);

// What the fake answers instead of its default.
struct botframework_reply {
  int status = 200;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct botframework_request {
  // "metadata", "keys", "token", "create", "send", "reply", "update", "member", "roster"
  std::string route;
  std::string method;          // "GET", "POST", "PUT"
  std::string target;          // as received
  std::string tenant;          // token: the tenant segment of the path
  std::string conversation_id; // connector: decoded from the path
  std::string activity_id;     // reply/update: decoded from the path
  std::string query;           // roster: the query string (pageSize, continuationToken)
  std::string authorization;
  boost::json::object body; // JSON body, or a form body's fields as strings
};

class fake_botframework : boost::noncopyable {
public:
  fake_botframework();
  ~fake_botframework();

  std::string metadata_url() const; // http://127.0.0.1:P/v1/.well-known/openidconfiguration
  std::string token_url() const;    // http://127.0.0.1:P/botframework.com/oauth2/v2.0/token
  std::string service_url() const;  // http://127.0.0.1:P/teams/

  // The JWKS lists this key from now on (replacing one with the same kid).
  void publish(const rsa_test_key& key, std::vector<std::string> endorsements = {"msteams"});
  // Tokens issued from now on last this long.
  void set_token_lifetime(std::chrono::seconds lifetime);
  // A member of a team's roster (GET .../{team}/pagedmembers, pages of pageSize).
  void add_roster_member(const std::string& team_id, const std::string& user_id, const std::string& aad,
                         const std::string& name);
  // createConversation for this member id (a Teams id or an aadObjectId)
  // answers `status` with the Connector's error code: 403
  // ForbiddenOperationException is a user who has not got the app.
  void refuse_conversation(const std::string& member_id, int status = 403,
                           const std::string& code = "ForbiddenOperationException");
  // Members named in createConversation calls so far, in order.
  std::vector<std::string> created_for() const;
  // The member endpoint answers with this e-mail for the user, and with
  // their tenant and role ("user", "guest", "anonymous") when given.
  void add_member(const std::string& user_id, const std::string& email, const std::string& tenant_id = "",
                  const std::string& user_role = "");
  // The next requests to `route` get these replies in order, then defaults.
  void script(const std::string& route, botframework_reply reply);

  std::vector<botframework_request> requests() const;
  std::vector<botframework_request> requests_to(const std::string& route) const;
  bool wait_for(const std::string& route, std::size_t n, std::chrono::milliseconds timeout) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace test_support
