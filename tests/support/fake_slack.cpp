#include "support/fake_slack.hpp"

#include "support/loopback_server.hpp"
#include "support/recorded_body.hpp"
#include "support/request_log.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

namespace test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

namespace {

std::string string_field(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

} // namespace

struct fake_slack::impl {
  mutable std::mutex mutex;
  request_log<recorded_call> calls;
  std::map<std::string, std::deque<scripted_reply>> scripts;
  std::map<std::string, std::string> users;
  std::map<std::string, std::string> locales; // users.info's "locale", asked for with include_locale
  std::map<std::string, std::chrono::milliseconds> delays;
  int counter = 0;
  std::map<std::string, fake_install> install_codes;       // by code, until used
  std::map<std::string, fake_install> installs_by_refresh; // by current refresh token
  std::map<std::string, std::string> refused_tokens;       // token -> error
  std::vector<std::string> rotated;
  std::chrono::milliseconds post_interval{0};                             // 0: no limit
  std::map<std::string, std::chrono::steady_clock::time_point> last_post; // by token and channel
  std::size_t refused_posts = 0;

  // A 429 when a post comes too soon after the channel's last one (caller holds the mutex).
  std::optional<scripted_reply> rate_limited(const recorded_call& call, const std::string& bearer) {
    if (post_interval.count() == 0 || call.method != "chat.postMessage") return std::nullopt;
    auto& last = last_post[bearer + '|' + string_field(call.body, "channel")];
    const auto since = call.at - last;
    if (last != std::chrono::steady_clock::time_point{} && since < post_interval) {
      ++refused_posts;
      const auto wait = std::chrono::ceil<std::chrono::seconds>(post_interval - since);
      scripted_reply reply;
      reply.status = 429;
      reply.body = R"({"ok":false,"error":"ratelimited"})";
      reply.headers = {{"Content-Type", "application/json; charset=utf-8"},
                       {"Retry-After", std::to_string(std::max<long long>(wait.count(), 1))}};
      return reply;
    }
    last = call.at;
    return std::nullopt;
  }

  // oauth.v2.access (caller holds the mutex).
  json::object oauth_access(const recorded_call& call) {
    if (string_field(call.body, "client_id") != fake_client_id ||
        string_field(call.body, "client_secret") != fake_client_secret)
      return {{"ok", false}, {"error", "invalid_client_id"}};
    fake_install install;
    if (string_field(call.body, "grant_type") == "refresh_token") {
      auto it = installs_by_refresh.find(string_field(call.body, "refresh_token"));
      if (it == installs_by_refresh.end()) return {{"ok", false}, {"error", "invalid_refresh_token"}};
      install = it->second;
      installs_by_refresh.erase(it);
      rotated.push_back(install.bot_token + "-r" + std::to_string(rotated.size() + 1));
      install.bot_token = rotated.back();
      install.refresh_token = install.refresh_token + "-r" + std::to_string(rotated.size());
    } else {
      auto it = install_codes.find(string_field(call.body, "code"));
      if (it == install_codes.end()) return {{"ok", false}, {"error", "invalid_code"}};
      install = it->second;
      install_codes.erase(it);
    }
    if (!install.refresh_token.empty()) installs_by_refresh[install.refresh_token] = install;
    json::object body{{"ok", true},
                      {"access_token", install.bot_token},
                      {"token_type", "bot"},
                      {"scope", "commands,chat:write,im:write,users:read,users:read.email"},
                      {"bot_user_id", "UBOT" + install.team_id},
                      {"app_id", install.app_id},
                      {"is_enterprise_install", install.enterprise_install},
                      {"authed_user", {{"id", install.installer}}}};
    body["team"] = install.enterprise_install
                       ? json::value(nullptr)
                       : json::value{{"id", install.team_id}, {"name", install.team_name}};
    body["enterprise"] =
        install.enterprise_id.empty()
            ? json::value(nullptr)
            : json::value{{"id", install.enterprise_id}, {"name", "Org " + install.enterprise_id}};
    if (!install.refresh_token.empty()) {
      body["refresh_token"] = install.refresh_token;
      body["expires_in"] = install.expires_in;
    }
    return body;
  }

  scripted_reply answer(const recorded_call& call) {
    std::lock_guard lock(mutex);
    if (auto scripted = take_scripted(scripts, call.method)) return std::move(*scripted);
    ++counter;
    scripted_reply reply;
    json::object body{{"ok", true}};
    const auto bearer =
        call.authorization.starts_with("Bearer ") ? call.authorization.substr(7) : std::string();
    if (auto refused = refused_tokens.find(bearer); refused != refused_tokens.end()) {
      reply.body = json::serialize(json::object{{"ok", false}, {"error", refused->second}});
      reply.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
      return reply;
    }
    if (auto limited = rate_limited(call, bearer)) return std::move(*limited);
    if (call.method == "response") {
      reply.body = "ok";
      reply.headers.emplace_back("Content-Type", "text/plain");
      return reply;
    }
    if (call.method == "users.info") {
      auto user = string_field(call.body, "user");
      auto it = users.find(user);
      if (it == users.end()) {
        body = {{"ok", false}, {"error", "user_not_found"}};
      } else {
        body["user"] = {{"id", user},
                        {"name", user},
                        {"deleted", false},
                        {"is_bot", false},
                        {"profile", {{"email", it->second}, {"real_name", user}}}};
        if (auto locale = locales.find(user);
            locale != locales.end() && string_field(call.body, "include_locale") == "true")
          body["user"].as_object()["locale"] = locale->second;
      }
    } else if (call.method == "conversations.open") {
      body["channel"] = {{"id", "D" + string_field(call.body, "users")}};
    } else if (call.method == "chat.postMessage") {
      body["channel"] = string_field(call.body, "channel");
      body["ts"] = "1700000000." + std::to_string(100000 + counter);
    } else if (call.method == "chat.postEphemeral") {
      body["message_ts"] = "1700000000." + std::to_string(100000 + counter);
    } else if (call.method == "oauth.v2.access") {
      body = oauth_access(call);
    } else if (call.method == "auth.test") {
      body["user_id"] = "UBOT";
    } else if (call.method == "views.publish") {
      body["view"] = {{"id", "VH" + std::to_string(counter)}, {"hash", "h" + std::to_string(counter)}};
    } else if (call.method == "views.open") {
      body["view"] = {{"id", "V" + std::to_string(counter)}, {"hash", "h" + std::to_string(counter)}};
    }
    reply.body = json::serialize(body);
    reply.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    return reply;
  }

  std::chrono::milliseconds delay_for(const std::string& path) {
    std::lock_guard lock(mutex);
    const auto method = path.starts_with("/api/") ? path.substr(5) : std::string("response");
    auto it = delays.find(method);
    return it == delays.end() ? std::chrono::milliseconds(0) : it->second;
  }

  // The response, and how long a scripted reply asks to wait before sending it.
  fake_answer handle(const http::request<http::string_body>& req) {
    recorded_call call;
    call.at = std::chrono::steady_clock::now();
    call.path = std::string(req.target());
    if (call.path.starts_with("/api/"))
      call.method = call.path.substr(5);
    else if (call.path.starts_with("/response/"))
      call.method = "response";
    call.authorization = std::string(req[http::field::authorization]);
    call.body = parse_body(std::string(req[http::field::content_type]), req.body());

    if (call.method.empty()) return {response_to(req, 404, "not found"), std::chrono::milliseconds(0)};
    auto reply = answer(call);
    call.status = reply.status;
    calls.add(std::move(call));
    return {response_to(req, static_cast<unsigned>(reply.status), reply.body, reply.headers), reply.delay};
  }

  fake_answer serve(const http::request<http::string_body>& req) {
    auto answered = handle(req);
    answered.delay = std::max(answered.delay, delay_for(std::string(req.target())));
    return answered;
  }

  // Last, so destroyed first: no session outlives the state it reads.
  loopback_server server{[this](const loopback_server::request& req) { return serve(req); }};
};

fake_slack::fake_slack() : impl_(std::make_unique<impl>()) {}

fake_slack::~fake_slack() = default;

std::string fake_slack::base_url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->server.port()) + "/api/";
}

std::string fake_slack::response_url(const std::string& id) const {
  return "http://127.0.0.1:" + std::to_string(impl_->server.port()) + "/response/" + id;
}

void fake_slack::add_user(const std::string& user_id, const std::string& email, const std::string& locale) {
  std::lock_guard lock(impl_->mutex);
  impl_->users[user_id] = email;
  if (!locale.empty()) impl_->locales[user_id] = locale;
}

void fake_slack::script(const std::string& method, scripted_reply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[method].push_back(std::move(reply));
}

void fake_slack::slow_down(const std::string& method, std::chrono::milliseconds delay) {
  std::lock_guard lock(impl_->mutex);
  impl_->delays[method] = delay;
}

void fake_slack::add_install(const fake_install& install) {
  std::lock_guard lock(impl_->mutex);
  impl_->install_codes[install.code] = install;
}

void fake_slack::refuse_token(const std::string& token, const std::string& error) {
  std::lock_guard lock(impl_->mutex);
  impl_->refused_tokens[token] = error;
}

void fake_slack::limit_posts_per_channel(std::chrono::milliseconds interval) {
  std::lock_guard lock(impl_->mutex);
  impl_->post_interval = interval;
}

std::size_t fake_slack::posts_refused() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->refused_posts;
}

std::vector<std::string> fake_slack::rotated_tokens() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->rotated;
}

std::vector<recorded_call> fake_slack::calls() const {
  return impl_->calls.all();
}

std::vector<recorded_call> fake_slack::calls_to(const std::string& method) const {
  return impl_->calls.where([&](const recorded_call& c) { return c.method == method; });
}

bool fake_slack::wait_for(const std::string& method, std::size_t n, std::chrono::milliseconds timeout) const {
  return impl_->calls.wait_for([&](const recorded_call& c) { return c.method == method; }, n, timeout);
}

} // namespace test_support

namespace test_support {

std::size_t fake_slack::connections_accepted() const {
  return impl_->server.connections_accepted();
}

} // namespace test_support
