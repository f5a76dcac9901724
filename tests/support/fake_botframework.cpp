#include "support/fake_botframework.hpp"

#include "bot/teams/jwt.hpp"
#include "support/loopback_server.hpp"
#include "support/recorded_body.hpp"
#include "support/request_log.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/decode_view.hpp>
#include <boost/url/parse_query.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <set>
#include <stdexcept>

namespace test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

// ---- Keys and tokens --------------------------------------------------------

struct rsa_test_key::impl {
  EVP_PKEY* key = nullptr;
  ~impl() { EVP_PKEY_free(key); }
};

rsa_test_key::rsa_test_key(std::string kid) : kid_(std::move(kid)), impl_(std::make_unique<impl>()) {
  impl_->key = EVP_RSA_gen(2048);
  if (!impl_->key) throw std::runtime_error("RSA key generation failed");
}

rsa_test_key::~rsa_test_key() = default;

namespace {

std::string big_number_bytes(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("cannot read RSA parameter");
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

} // namespace

json::object rsa_test_key::jwk(const std::vector<std::string>& endorsements) const {
  json::object out{{"kty", "RSA"},
                   {"use", "sig"},
                   {"kid", kid_},
                   {"n", bot::teams::base64url_encode(big_number_bytes(impl_->key, OSSL_PKEY_PARAM_RSA_N))},
                   {"e", bot::teams::base64url_encode(big_number_bytes(impl_->key, OSSL_PKEY_PARAM_RSA_E))}};
  if (!endorsements.empty()) {
    json::array list;
    for (const auto& e : endorsements)
      list.emplace_back(e);
    out["endorsements"] = std::move(list);
  }
  return out;
}

std::string rsa_test_key::sign(const json::object& header, const json::object& claims) const {
  const auto signed_part = bot::teams::base64url_encode(json::serialize(header)) + "." +
                           bot::teams::base64url_encode(json::serialize(claims));
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t length = 0;
  std::string signature;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, impl_->key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(signed_part.data()),
                     signed_part.size()) == 1) {
    signature.resize(length);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
    signature.resize(length);
  }
  EVP_MD_CTX_free(ctx);
  if (signature.empty()) throw std::runtime_error("signing failed");
  return signed_part + "." + bot::teams::base64url_encode(signature);
}

std::string rsa_test_key::sign(const json::object& claims) const {
  return sign(json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid_}}, claims);
}

json::object bot_framework_claims(const std::string& app_id, const std::string& service_url,
                                  std::chrono::system_clock::time_point now) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return json::object{{"serviceurl", service_url},
                      {"nbf", seconds - 5},
                      {"exp", seconds + 3600},
                      {"iss", "https://api.botframework.com"},
                      {"aud", app_id}};
}

// ---- The server -------------------------------------------------------------

namespace {

// A path segment (no '+' for space, unlike a form field).
std::string decode_segment(std::string_view s) {
  auto view = boost::urls::decode_view(boost::urls::pct_string_view(s));
  return std::string(view.begin(), view.end());
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

} // namespace

struct fake_botframework::impl {
  mutable std::mutex mutex;
  request_log<botframework_request> requests;
  std::map<std::string, std::deque<botframework_reply>> scripts;
  struct roster_entry {
    std::string user_id, aad, name;
  };
  std::map<std::string, std::vector<roster_entry>> rosters;   // team id -> members
  std::map<std::string, std::pair<int, std::string>> refused; // member id -> status, code
  std::map<std::string, json::object> keys;                   // kid -> JWK
  std::map<std::string, json::object> members;                // user id -> the member endpoint's answer
  std::set<std::string> issued;
  std::chrono::seconds token_lifetime{3600};
  int counter = 0;

  std::string base() const { return server.origin(); }

  // Classifies the request (route and ids); empty route: unknown path.
  void classify(const std::string& method, std::string_view target, botframework_request& r) {
    const auto path = target.substr(0, target.find('?'));
    const auto parts = split_path(path); // parts[0] is "" (leading slash)
    if (path == "/v1/.well-known/openidconfiguration") {
      r.route = "metadata";
    } else if (path == "/v1/.well-known/keys") {
      r.route = "keys";
    } else if (parts.size() == 5 && parts[2] == "oauth2" && parts[3] == "v2.0" && parts[4] == "token") {
      r.route = "token";
      r.tenant = decode_segment(parts[1]);
    } else if (parts.size() >= 4 && parts[1] == "teams" && parts[2] == "v3" && parts[3] == "conversations") {
      if (parts.size() == 4 && method == "POST") r.route = "create";
      if (parts.size() >= 6) r.conversation_id = decode_segment(parts[4]);
      if (parts.size() == 6 && parts[5] == "activities" && method == "POST") r.route = "send";
      if (parts.size() == 7 && parts[5] == "activities") {
        r.activity_id = decode_segment(parts[6]);
        r.route = method == "PUT" ? "update" : method == "POST" ? "reply" : "";
      }
      if (parts.size() == 6 && parts[5] == "pagedmembers" && method == "GET") {
        r.route = "roster";
        if (auto q = target.find('?'); q != std::string_view::npos)
          r.query = std::string(target.substr(q + 1));
      }
      if (parts.size() == 7 && parts[5] == "members" && method == "GET") {
        r.activity_id = decode_segment(parts[6]);
        r.route = "member";
      }
    }
  }

  botframework_reply answer(const botframework_request& r) {
    std::lock_guard lock(mutex);
    if (auto scripted = take_scripted(scripts, r.route)) return std::move(*scripted);
    ++counter;
    botframework_reply reply;
    const bool connector = r.route == "create" || r.route == "send" || r.route == "reply" ||
                           r.route == "update" || r.route == "member" || r.route == "roster";
    if (connector &&
        !(r.authorization.starts_with("Bearer ") && issued.contains(r.authorization.substr(7)))) {
      reply.status = 401;
      reply.body = R"({"message":"Authorization has been denied for this request."})";
      return reply;
    }
    json::object body;
    if (r.route == "metadata") {
      body = {{"issuer", "https://api.botframework.com"},
              {"authorization_endpoint", "https://invalid.botframework.com"},
              {"jwks_uri", base() + "/v1/.well-known/keys"},
              {"id_token_signing_alg_values_supported", json::array{"RS256"}}};
    } else if (r.route == "keys") {
      json::array list;
      for (const auto& [kid, jwk] : keys)
        list.push_back(jwk);
      body["keys"] = std::move(list);
    } else if (r.route == "token") {
      auto token = "token-" + std::to_string(counter);
      issued.insert(token);
      body = {{"token_type", "Bearer"},
              {"expires_in", token_lifetime.count()},
              {"ext_expires_in", token_lifetime.count()},
              {"access_token", token}};
    } else if (r.route == "create") {
      const auto* members = r.body.if_contains("members");
      std::string user;
      if (members && members->is_array() && !members->get_array().empty() &&
          members->get_array()[0].is_object())
        if (const auto* id = members->get_array()[0].get_object().if_contains("id"); id && id->is_string())
          user = std::string(id->get_string());
      if (auto it = refused.find(user); it != refused.end()) {
        reply.status = it->second.first;
        body = {{"error", {{"code", it->second.second}, {"message", "refused by the test"}}}};
      } else {
        body = {{"id", "a:" + user}};
        reply.status = 201;
      }
    } else if (r.route == "send" || r.route == "reply") {
      body = {{"id", "activity-" + std::to_string(counter)}};
      reply.status = 201;
    } else if (r.route == "update") {
      body = {{"id", r.activity_id}};
    } else if (r.route == "roster") {
      std::size_t page_size = 100;
      std::size_t from = 0;
      auto params = boost::urls::parse_query(r.query);
      if (params)
        for (auto p : *params) {
          if (p.key == "pageSize") page_size = std::stoul(std::string(p.value));
          if (p.key == "continuationToken") from = std::stoul(std::string(p.value));
        }
      const auto& all = rosters[r.conversation_id];
      json::array page;
      for (auto i = from; i < all.size() && i < from + page_size; ++i)
        page.push_back(json::object{{"id", all[i].user_id},
                                    {"aadObjectId", all[i].aad},
                                    {"name", all[i].name},
                                    {"tenantId", "tenant-of-the-roster"}});
      body = {{"members", std::move(page)}};
      if (from + page_size < all.size()) body["continuationToken"] = std::to_string(from + page_size);
    } else if (r.route == "member") {
      auto it = members.find(r.activity_id);
      if (it == members.end()) {
        reply.status = 404;
        body = {{"error", {{"code", "MemberNotFoundInConversation"}, {"message", "not found"}}}};
      } else {
        body = it->second;
      }
    }
    reply.body = json::serialize(body);
    reply.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return reply;
  }

  http::response<http::string_body> handle(const http::request<http::string_body>& req) {
    botframework_request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.authorization = std::string(req[http::field::authorization]);
    r.body = parse_body(std::string(req[http::field::content_type]), req.body());
    classify(r.method, r.target, r);

    if (r.route.empty()) return response_to(req, 404, "not found");
    auto reply = answer(r);
    requests.add(std::move(r));
    return response_to(req, static_cast<unsigned>(reply.status), reply.body, reply.headers);
  }

  // Last, so destroyed first: no session outlives the state it reads.
  loopback_server server{[this](const loopback_server::request& req) { return fake_answer{handle(req)}; }};
};

fake_botframework::fake_botframework() : impl_(std::make_unique<impl>()) {}

fake_botframework::~fake_botframework() = default;

std::string fake_botframework::metadata_url() const {
  return impl_->base() + "/v1/.well-known/openidconfiguration";
}
std::string fake_botframework::token_url() const {
  return impl_->base() + "/botframework.com/oauth2/v2.0/token";
}
std::string fake_botframework::service_url() const {
  return impl_->base() + "/teams/";
}

void fake_botframework::publish(const rsa_test_key& key, std::vector<std::string> endorsements) {
  auto jwk = key.jwk(endorsements);
  std::lock_guard lock(impl_->mutex);
  impl_->keys[key.kid()] = std::move(jwk);
}

void fake_botframework::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(impl_->mutex);
  impl_->token_lifetime = lifetime;
}

void fake_botframework::add_member(const std::string& user_id, const std::string& email,
                                   const std::string& tenant_id, const std::string& user_role) {
  json::object member{{"id", user_id}, {"email", email}, {"userPrincipalName", email}};
  if (!tenant_id.empty()) member["tenantId"] = tenant_id;
  if (!user_role.empty()) member["userRole"] = user_role;
  std::lock_guard lock(impl_->mutex);
  impl_->members[user_id] = std::move(member);
}

void fake_botframework::add_roster_member(const std::string& team_id, const std::string& user_id,
                                          const std::string& aad, const std::string& name) {
  std::lock_guard lock(impl_->mutex);
  impl_->rosters[team_id].push_back({user_id, aad, name});
}

void fake_botframework::refuse_conversation(const std::string& member_id, int status,
                                            const std::string& code) {
  std::lock_guard lock(impl_->mutex);
  impl_->refused[member_id] = {status, code};
}

std::vector<std::string> fake_botframework::created_for() const {
  std::vector<std::string> out;
  for (const auto& r : requests_to("create")) {
    const auto* members = r.body.if_contains("members");
    if (!members || !members->is_array() || members->get_array().empty()) continue;
    const auto& first = members->get_array()[0];
    if (const auto* id = first.is_object() ? first.get_object().if_contains("id") : nullptr;
        id && id->is_string())
      out.emplace_back(id->get_string());
  }
  return out;
}

void fake_botframework::script(const std::string& route, botframework_reply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[route].push_back(std::move(reply));
}

std::vector<botframework_request> fake_botframework::requests() const {
  return impl_->requests.all();
}

std::vector<botframework_request> fake_botframework::requests_to(const std::string& route) const {
  return impl_->requests.where([&](const botframework_request& r) { return r.route == route; });
}

bool fake_botframework::wait_for(const std::string& route, std::size_t n,
                                 std::chrono::milliseconds timeout) const {
  return impl_->requests.wait_for([&](const botframework_request& r) { return r.route == route; }, n,
                                  timeout);
}

} // namespace test_support
