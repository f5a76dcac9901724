#include "bot/slack/routes.hpp"

#include "bot/slack/descriptor.hpp"
#include "bot/slack/home_tab.hpp"
#include "bot/slack/parse.hpp"
#include "bot/slack/platform.hpp"
#include "bot/slack/render.hpp"
#include "bot/slack/verify.hpp"

#include <boost/json/serialize.hpp>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>

namespace bot::slack {

namespace json = boost::json;
namespace beast_http = boost::beast::http;
using boost::asio::awaitable;

namespace {

struct state {
  services svc;
  slack::platform slack;

  explicit state(services s) : svc(std::move(s)), slack(svc.api) {}
};
using state_ptr = std::shared_ptr<state>;

std::string request_id(const http::request& req) {
  return std::string(req["X-Request-Id"]);
}

http::response empty_ok(const http::request& req) {
  return http::make_response(req, beast_http::status::ok, "");
}

http::response json_ok(const http::request& req, const json::object& body) {
  return http::make_json_response(req, beast_http::status::ok, json::serialize(body));
}

// Signature first: nothing is parsed before it holds.
std::optional<http::response> refuse(state& s, const http::request& req, std::string_view route) {
  if (s.svc.signing_secret.empty())
    return http::make_response(req, beast_http::status::service_unavailable,
                               "Slack is not configured: set SLACK_SIGNING_SECRET.");
  auto v = verify_request(s.svc.signing_secret, req["X-Slack-Request-Timestamp"], req["X-Slack-Signature"],
                          req.body(), s.svc.clock());
  if (v == verdict::ok) return std::nullopt;
  spdlog::warn("slack {} request {} refused: {}", route, request_id(req), to_string(v));
  return http::make_response(req, beast_http::status::unauthorized, "Unauthorized");
}

chat_request request_from(const http::request& req, std::string team_id, std::string user_id,
                          std::string channel_id) {
  chat_request r;
  r.request_id = request_id(req);
  r.from.platform = std::string{platform_name};
  r.from.workspace_id = std::move(team_id);
  r.from.user_id = std::move(user_id);
  r.from.conversation_id = std::move(channel_id);
  return r;
}

// Calls for a team that belongs to an organisation need its enterprise id
// later too (an outbox row knows only the team).
void learn_workspace(state& s, const std::string& team_id, const std::string& enterprise_id) {
  if (s.svc.install) s.svc.install->learn(team_id, enterprise_id, s.svc.background);
}

awaitable<void> open_modal(state_ptr s, workspace_ref workspace, std::string trigger_id, json::object view) {
  // Arguments built before co_await: GCC 12 miscompiles initializer lists
  // inside co_await expressions.
  json::object args;
  args["trigger_id"] = std::move(trigger_id);
  args["view"] = std::move(view);
  auto r = co_await s->svc.api.call(std::move(workspace), "views.open", std::move(args));
  if (!r.ok) spdlog::warn("slack views.open failed: {}", r.error);
}

// The trigger expires three seconds after the click: the modal opens first thing after the answer.
void open_form_later(const state_ptr& s, const http::request& req, const workspace_ref& workspace,
                     const std::string& trigger_id, const std::optional<handlers::form>& form) {
  if (!form) return;
  if (trigger_id.empty()) {
    spdlog::warn("slack request {} has no trigger_id for a form", request_id(req));
    return;
  }
  s->svc.background.spawn([s, workspace, trigger_id, modal = render_modal(*form)] {
    return open_modal(s, workspace, trigger_id, modal);
  });
}

// The Home tab: the member's home view, published for them alone. Slack
// acknowledges the event first; the view follows. Who was shown it is
// remembered, so that it is republished when what it shows changes.
awaitable<void> publish_home(state_ptr s, workspace_ref workspace, std::string user_id,
                             std::string request_id) {
  chat_request r;
  r.request_id = std::move(request_id);
  r.from.platform = std::string{platform_name};
  r.from.workspace_id = workspace.team_id;
  r.from.user_id = user_id;
  r.what = std::string("home");
  auto a = co_await s->svc.requests.answer_now(s->slack, std::move(r));
  const auto* home = a.message();
  if (!home) co_return;
  json::object args;
  args["user_id"] = user_id;
  args["view"] = home_tab_view(*home);
  auto published = co_await s->svc.api.call(workspace, "views.publish", std::move(args));
  if (!published.ok) {
    spdlog::warn("slack views.publish failed: {}", published.error);
    co_return;
  }
  if (!s->svc.homes || a.state != chat_answer::status::answered) co_return;
  store::home_viewer to;
  to.platform = std::string{platform_name};
  to.workspace_id = workspace.team_id;
  to.enterprise_id = workspace.enterprise_id;
  to.user_id = std::move(user_id);
  co_await s->svc.homes->opened(std::move(to), *home);
}

awaitable<http::response> handle_command(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "commands")) co_return std::move(*refused);
  auto cmd = parse_command(req.body());
  if (!cmd)
    co_return http::make_response(req, beast_http::status::bad_request,
                                  "Malformed slash command: " + cmd.error);
  if (cmd->ssl_check) co_return empty_ok(req);
  learn_workspace(*s, cmd->team_id, cmd->enterprise_id);
  auto r = request_from(req, cmd->team_id, cmd->user_id, cmd->channel_id);
  r.what = cmd->text;
  r.reply_address = cmd->response_url;
  auto a = co_await s->svc.requests.answer(s->slack, std::move(r), s->svc.deadline);
  open_form_later(s, req, {cmd->enterprise_id, cmd->team_id}, cmd->trigger_id, a.reply.open_form);
  if (a.rendered) co_return http::make_json_response(req, beast_http::status::ok, *a.rendered);
  if (const auto* message = a.message())
    co_return http::make_json_response(req, beast_http::status::ok, message_json(*message, "ephemeral"));
  co_return empty_ok(req);
}

awaitable<http::response> handle_block_action(state_ptr s, const http::request& req, const interaction& in) {
  if (in.is_link) co_return empty_ok(req);
  auto r = request_from(req, in.team_id, in.user_id, in.channel_id);
  r.what = in.action;
  r.reply_address = in.response_url;
  r.answer_by_message = true;
  auto a = co_await s->svc.requests.answer(s->slack, std::move(r), s->svc.deadline);
  open_form_later(s, req, {in.enterprise_id, in.team_id}, in.trigger_id, a.reply.open_form);
  co_return empty_ok(req);
}

awaitable<http::response> handle_submission(state_ptr s, const http::request& req, const interaction& in) {
  auto r = request_from(req, in.team_id, in.user_id, in.channel_id);
  r.what = in.submission;
  auto a = co_await s->svc.requests.answer(s->slack, std::move(r), s->svc.deadline);
  if (!a.reply.form_errors.empty()) {
    json::object errors;
    for (const auto& [input, message] : a.reply.form_errors)
      errors[input] = truncate_text(message, 150);
    co_return json_ok(req, {{"response_action", "errors"}, {"errors", std::move(errors)}});
  }
  const auto* message = a.message();
  if (a.state == chat_answer::status::not_connected || !message) co_return empty_ok(req); // closes the modal
  // Something to say in the modal itself (an apology, "on its way").
  json::object view{
      {"type", "modal"},
      {"title", {{"type", "plain_text"}, {"text", "partnerbot"}}},
      {"close", {{"type", "plain_text"}, {"text", handlers::catalogue_for(a.language).form_close}}},
      {"blocks", render_message(*message).at("blocks")}};
  co_return json_ok(req, {{"response_action", "update"}, {"view", std::move(view)}});
}

awaitable<http::response> handle_interaction(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "interactions")) co_return std::move(*refused);
  auto in = parse_interaction(req.body());
  if (!in)
    co_return http::make_response(req, beast_http::status::bad_request, "Malformed interaction: " + in.error);
  learn_workspace(*s, in->team_id, in->enterprise_id);
  switch (in->kind) {
  case interaction_kind::block_actions:
    co_return co_await handle_block_action(s, req, *in);
  case interaction_kind::view_submission:
    co_return co_await handle_submission(s, req, *in);
  case interaction_kind::other:
    break;
  }
  co_return empty_ok(req);
}

awaitable<http::response> handle_event(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "events")) co_return std::move(*refused);
  auto ev = parse_event(req.body());
  if (!ev)
    co_return http::make_response(req, beast_http::status::bad_request, "Malformed event: " + ev.error);
  if (ev->type == "url_verification") co_return json_ok(req, {{"challenge", ev->challenge}});
  learn_workspace(*s, ev->team_id, ev->enterprise_id);
  // The app was removed (or its bot token revoked): the workspace's tokens go
  // before the acknowledgement, so no later call uses them.
  const bool removed =
      ev->event_type == "app_uninstalled" || (ev->event_type == "tokens_revoked" && ev->bot_tokens_revoked);
  if (removed && s->svc.install)
    co_await s->svc.install->uninstalled(ev->enterprise_id, ev->team_id, ev->enterprise_install);
  if (ev->event_type == "app_home_opened" && ev->tab == "home" && !ev->user_id.empty() &&
      !ev->team_id.empty())
    s->svc.background.spawn([s, workspace = workspace_ref{ev->enterprise_id, ev->team_id}, user = ev->user_id,
                             id = request_id(req)] { return publish_home(s, workspace, user, id); });
  co_return empty_ok(req);
}

} // namespace

std::vector<route> make_routes(services svc) {
  auto s = std::make_shared<state>(std::move(svc));
  std::vector<route> out;
  if (s->svc.install)
    for (auto& r : make_install_routes(s->svc.install))
      out.push_back({r.method, std::move(r.path), std::move(r.handler)});
  std::vector<route> signed_routes{
      {beast_http::verb::post, "/slack/commands",
       [s](const http::request& req) { return handle_command(s, req); }},
      {beast_http::verb::post, "/slack/interactions",
       [s](const http::request& req) { return handle_interaction(s, req); }},
      {beast_http::verb::post, "/slack/events",
       [s](const http::request& req) { return handle_event(s, req); }},
  };
  for (auto& r : signed_routes)
    out.push_back(std::move(r));
  return out;
}

} // namespace bot::slack
