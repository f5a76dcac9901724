#include "bot/slack/install.hpp"

#include "bot/slack/descriptor.hpp"
#include "bot/slack/platform.hpp"
#include "handlers/catalogue.hpp"
#include "handlers/language.hpp"
#include "store/directory.hpp"
#include "store/installations.hpp"
#include "text/entities.hpp"

#include <array>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <set>
#include <spdlog/spdlog.h>

namespace bot::slack {

namespace json = boost::json;
namespace beast_http = boost::beast::http;
using boost::asio::awaitable;

namespace {

std::string random_state() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("no random bytes for an install state");
  std::string out;
  for (auto b : bytes)
    out += fmt::format("{:02x}", b);
  return out;
}

// The Accept-Language's first choice when it is Danish or English, else the default.
const handlers::catalogue& install_texts(const http::request& req, const bot::config& cfg) {
  const auto accept = std::string_view(req[beast_http::field::accept_language]);
  auto first = accept.substr(0, accept.find_first_of(",;"));
  while (!first.empty() && first.front() == ' ')
    first.remove_prefix(1);
  auto chosen = handlers::language_of_locale(first);
  if (!chosen) chosen = handlers::parse_language(cfg.language);
  return handlers::catalogue_for(chosen.value_or(handlers::language::en));
}

std::string install_page(const handlers::catalogue& t, std::string_view body_html) {
  return fmt::format("<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                     "content=\"width=device-width\"><title>{0}</title><style>body{{font-family:system-ui,"
                     "sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}}a.button{{"
                     "display:inline-block;padding:.6em 1.2em;background:#4a154b;color:#fff;border-radius:"
                     "6px;text-decoration:none}}</style></head><body><h1>{0}</h1>\n{1}\n</body></html>\n",
                     text::escape_html(t.install_title), body_html);
}

std::string paragraph(std::string_view text) {
  return "<p>" + text::escape_html(text) + "</p>\n";
}

// The state cookie: HttpOnly, Secure unless the public address is plain
// http (loopback), sent back only on the top-level redirect from Slack.
std::string state_cookie_header(const bot::config& cfg, std::string_view value, bool clear) {
  const bool secure = !cfg.public_url.starts_with("http://");
  return fmt::format("{}={}; Path=/slack; Max-Age={}; HttpOnly; SameSite=Lax{}", state_cookie, value,
                     clear ? 0 : std::chrono::duration_cast<std::chrono::seconds>(state_lifetime).count(),
                     secure ? "; Secure" : "");
}

http::response html_response(const http::request& req, beast_http::status status, std::string html,
                             const bot::config& cfg, bool clear_cookie) {
  auto res = http::make_response(req, status, std::move(html), "text/html; charset=utf-8");
  res.set(beast_http::field::cache_control, "no-store");
  if (clear_cookie) res.set(beast_http::field::set_cookie, state_cookie_header(cfg, "", true));
  return res;
}

http::response refusal(const http::request& req, const bot::config& cfg, beast_http::status status,
                       std::string_view message) {
  const auto& t = install_texts(req, cfg);
  auto body = paragraph(message) + "<p><a href=\"/slack/install\">" +
              text::escape_html(t.install_start_again) + "</a></p>";
  return html_response(req, status, install_page(t, body), cfg, true);
}

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto part = header.substr(0, header.find(';'));
    header.remove_prefix(std::min(header.size(), part.size() + 1));
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
  }
  return {};
}

std::string iso_now(std::chrono::system_clock::time_point now) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::time_point_cast<std::chrono::seconds>(now));
}

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Where the workspace ended up.
struct binding {
  std::string partner_name; // empty: bound to no firm
};

// The firm of the workspace: the one it already is, else the one firm the
// installer is an admin of (by e-mail). Runs on the store thread.
binding bind_workspace(store::database& db, const std::string& team_id, const std::string& installer_email) {
  store::directory dir(db);
  if (team_id.empty()) return {};
  if (auto firm = dir.partner_by_workspace(platform_name, team_id)) return {firm->name};
  if (installer_email.empty()) return {};
  std::set<std::string> firms;
  for (const auto& m : dir.members_with_email(installer_email))
    if (m.role == store::role::admin) firms.insert(m.partner_id);
  if (firms.size() != 1) return {};
  const auto& partner_id = *firms.begin();
  const auto bound = store::installations(db).bind(platform_name, team_id, partner_id, false);
  if (bound != store::bind_result::bound && bound != store::bind_result::already_bound) {
    spdlog::warn("slack install of {} not bound to {}: {}", team_id, partner_id, store::to_string(bound));
    return {};
  }
  auto firm = dir.partner_by_id(partner_id);
  return {firm ? firm->name : partner_id};
}

// users.info's e-mail, only when Slack says it is confirmed.
std::string verified_email(const json::object& users_info) {
  const auto* user = users_info.if_contains("user");
  if (!user || !user->is_object()) return {};
  if (const auto* c = user->get_object().if_contains("is_email_confirmed");
      c && c->is_bool() && !c->get_bool())
    return {};
  return profile_of(users_info).email;
}

} // namespace

installer::installer(install_services s) : svc_(std::move(s)) {}

awaitable<http::response> installer::start(const http::request& req) {
  const auto& cfg = svc_.cfg;
  const auto& t = install_texts(req, cfg);
  if (!cfg.slack_install_enabled())
    co_return html_response(req, beast_http::status::not_found,
                            install_page(t, paragraph(t.install_not_enabled)), cfg, false);
  auto state = random_state();
  const auto expires = unix_ms(svc_.clock() + state_lifetime);
  co_await svc_.store.run([&](store::database& db) {
    store::installations(db).add_state(state, expires);
    return true;
  });
  boost::urls::url to(cfg.slack_authorize_url);
  to.params().append({"client_id", cfg.slack_client_id});
  to.params().append({"scope", cfg.slack_scopes});
  to.params().append({"redirect_uri", cfg.public_url + "/slack/oauth_redirect"});
  to.params().append({"state", state});
  const std::string location(to.buffer());
  auto body = "<p><a class=\"button\" href=\"" + text::escape_html(location) + "\">" +
              text::escape_html(t.install_add) + "</a></p>";
  auto res = html_response(req, beast_http::status::found, install_page(t, body), cfg, false);
  res.set(beast_http::field::location, location);
  res.set(beast_http::field::set_cookie, state_cookie_header(cfg, state, false));
  co_return res;
}

awaitable<http::response> installer::finish(const http::request& req) {
  const auto& cfg = svc_.cfg;
  const auto& t = install_texts(req, cfg);
  if (!cfg.slack_install_enabled())
    co_return html_response(req, beast_http::status::not_found,
                            install_page(t, paragraph(t.install_not_enabled)), cfg, false);
  std::string state, code, error;
  if (auto target = boost::urls::parse_origin_form(req.target())) {
    for (const auto& p : target->params()) {
      if (p.key == "state") state = p.value;
      if (p.key == "code") code = p.value;
      if (p.key == "error") error = p.value;
    }
  }
  if (state.empty()) co_return refusal(req, cfg, beast_http::status::bad_request, t.install_incomplete);
  // The browser that comes back must be the one that started: an attacker's
  // own state in a victim's browser would install into the attacker's Slack.
  const auto cookie = cookie_value(req[beast_http::field::cookie], state_cookie);
  if (cookie != state) {
    spdlog::warn("slack install refused: the state cookie does not match");
    co_return refusal(req, cfg, beast_http::status::bad_request, t.install_other_browser);
  }
  const auto now = unix_ms(svc_.clock());
  const bool fresh = co_await svc_.store.run(
      [&](store::database& db) { return store::installations(db).consume_state(state, now); });
  if (!fresh) co_return refusal(req, cfg, beast_http::status::bad_request, t.install_state_bad);
  if (!error.empty()) {
    spdlog::info("slack install cancelled: {}", error == "access_denied" ? "access_denied" : "another error");
    co_return refusal(req, cfg, beast_http::status::forbidden, t.install_cancelled);
  }
  if (code.empty()) co_return refusal(req, cfg, beast_http::status::bad_request, t.install_incomplete);

  json::object args;
  args["client_id"] = cfg.slack_client_id;
  args["client_secret"] = cfg.slack_client_secret;
  args["code"] = code;
  args["redirect_uri"] = cfg.public_url + "/slack/oauth_redirect";
  auto exchanged = co_await svc_.api.call_with_token(std::string(), "oauth.v2.access", std::move(args));
  auto access = exchanged.ok ? parse_oauth_access(exchanged.body) : std::nullopt;
  if (!access) {
    const auto why = exchanged.ok ? std::string("no bot token") : exchanged.error;
    spdlog::warn("slack install refused: oauth.v2.access: {}", why);
    co_return refusal(req, cfg, beast_http::status::bad_request,
                      handlers::say(t.install_failed, fmt::arg("error", why)));
  }
  auto key = pleo::secret_key::from_base64(cfg.secret_key);
  if (!key) throw std::runtime_error("PARTNERBOT_SECRET_KEY is needed to store installations");

  std::string email;
  if (!access->installer.empty()) {
    json::object who;
    who["user"] = access->installer;
    auto info = co_await svc_.api.call_with_token(access->access_token, "users.info", std::move(who));
    if (info.ok) email = verified_email(info.body);
  }

  store::installation row;
  row.key = installation_key_of(*access);
  row.workspace_name = access->enterprise_install ? access->enterprise_name : access->team_name;
  row.app_id = access->app_id;
  row.bot_user_id = access->bot_user_id;
  row.scopes = access->scope;
  row.installer = access->installer;
  row.token = seal_token(*key, row.key, "bot", access->access_token);
  row.refresh = seal_token(*key, row.key, "refresh", access->refresh_token);
  row.expires_ms = access->expires_in > 0 ? now + access->expires_in * 1000 : 0;
  row.installed_at = iso_now(svc_.clock());
  const auto team_id = access->enterprise_install ? std::string() : access->team_id;
  auto bound = co_await svc_.store.run([&](store::database& db) {
    store::transaction tx(db);
    store::installations(db).save(row);
    auto b = bind_workspace(db, team_id, email);
    tx.commit();
    return b;
  });
  svc_.tokens.forget(access->team_id, access->enterprise_id);
  spdlog::info("slack installed in {} ({}){}", row.key.workspace_id.empty() ? row.key.enterprise_id : team_id,
               access->enterprise_install ? "organisation" : "workspace",
               bound.partner_name.empty() ? ", bound to no firm" : "");

  const auto shown_name = row.workspace_name.empty() ? access->team_id : row.workspace_name;
  std::string body = paragraph(handlers::say(t.install_done, fmt::arg("workspace", shown_name)));
  if (!bound.partner_name.empty())
    body += paragraph(handlers::say(t.install_joined, fmt::arg("firm", bound.partner_name)));
  else
    body += paragraph(handlers::say(t.install_unbound, fmt::arg("workspace_id", access->team_id)));
  boost::urls::url deep("slack://app");
  deep.params().append({"team", access->team_id.empty() ? access->enterprise_id : access->team_id});
  deep.params().append({"id", access->app_id});
  body += "<p><a class=\"button\" href=\"" + text::escape_html(deep.buffer()) + "\">" +
          text::escape_html(t.install_open_app) + "</a></p>";
  co_return html_response(req, beast_http::status::ok, install_page(t, body), cfg, true);
}

awaitable<void> installer::uninstalled(std::string enterprise_id, std::string team_id,
                                       bool whole_organisation) {
  store::installation_key key{std::string{platform_name}, enterprise_id,
                              whole_organisation ? std::string() : team_id};
  const auto now = iso_now(svc_.clock());
  // Forgotten before and after: no call starts with the old token meanwhile.
  svc_.tokens.forget(team_id, enterprise_id);
  auto ended = co_await svc_.store.run([&](store::database& db) {
    auto i = store::installations(db);
    // The workspace's own install (also when the event did not name its
    // organisation), or the organisation's: a workspace's event never ends
    // its organisation's install.
    auto found = i.find(key.platform, key.enterprise_id, key.workspace_id);
    if (!found || found->key.workspace_id != key.workspace_id) return -1;
    return i.uninstall(found->key, now, "uninstalled");
  });
  svc_.tokens.forget(team_id, enterprise_id);
  if (ended < 0)
    spdlog::info("slack app removed from {}, which had no installation", team_id);
  else
    spdlog::info("slack app removed from {}: tokens forgotten, {} pending messages ended", team_id, ended);
}

void installer::learn(const std::string& team_id, const std::string& enterprise_id, bot::background& later) {
  if (!svc_.tokens.learn(team_id, enterprise_id)) return;
  later.spawn([this, team_id, enterprise_id]() -> awaitable<void> {
    co_await svc_.store.run([&](store::database& db) {
      store::installations(db).note_organisation(platform_name, team_id, enterprise_id);
      return true;
    });
  });
}

std::vector<install_route> make_install_routes(std::shared_ptr<installer> i) {
  return {
      {beast_http::verb::get, "/slack/install", [i](const http::request& req) { return i->start(req); }},
      {beast_http::verb::get, "/slack/oauth_redirect",
       [i](const http::request& req) { return i->finish(req); }},
  };
}

} // namespace bot::slack
