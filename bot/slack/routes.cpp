#include "bot/slack/routes.hpp"

#include "bot/answer_cache.hpp"
#include "bot/slack/identity.hpp"
#include "bot/slack/parse.hpp"
#include "bot/slack/render.hpp"
#include "bot/slack/verify.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/language.hpp"
#include "store/database.hpp"
#include "store/read_cache.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>

// GCC 12 reports a false -Wmismatched-new-delete when it inlines Asio's
// awaitable frame allocation (frames use Asio's own operator new/delete).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace bot::slack {

namespace json = boost::json;
namespace beast_http = boost::beast::http;
using boost::asio::awaitable;

namespace {

struct state {
  services svc;
  identity_resolver identity;
  answer_cache answers;

  explicit state(services s) : svc(std::move(s)), identity(svc.db, svc.api, svc.clock) {}

  handlers::context context() {
    return handlers::context{svc.db, svc.settings, svc.clock(), svc.outbox_wakeup};
  }
};
using state_ptr = std::shared_ptr<state>;

std::string request_id(const http::request& req) { return std::string(req["X-Request-Id"]); }

http::response empty_ok(const http::request& req) { return http::make_response(req, beast_http::status::ok, ""); }

http::response json_ok(const http::request& req, const json::object& body) {
  return http::make_json_response(req, beast_http::status::ok, json::serialize(body));
}

handlers::view text_view(std::string text) {
  handlers::view v;
  v.summary = text;
  v.blocks.push_back(handlers::section{{}, std::move(text), {}});
  return v;
}

handlers::view apology(const std::string& id) {
  return text_view("Sorry, something went wrong on my side and nothing was changed. Please try again in a "
                   "moment (reference " +
                   id + ").");
}

json::object ephemeral(const handlers::view& v) {
  auto body = render_message(v);
  body["response_type"] = "ephemeral";
  return body;
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

// Follow-ups: plain coroutines taking everything by value.

awaitable<void> open_modal(state_ptr s, std::string trigger_id, json::object view) {
  // Arguments built before co_await: GCC 12 miscompiles initializer lists
  // inside co_await expressions.
  json::object args;
  args["trigger_id"] = std::move(trigger_id);
  args["view"] = std::move(view);
  auto r = co_await s->svc.api.call("views.open", std::move(args));
  if (!r.ok) spdlog::warn("slack views.open failed: {}", r.error);
}

awaitable<void> post_ephemeral(state_ptr s, std::string channel, std::string user, json::object message) {
  message["channel"] = channel;
  message["user"] = user;
  auto r = co_await s->svc.api.call("chat.postEphemeral", message);
  if (r.ok || r.error == "ratelimited") co_return;
  // Not a member of that channel (or it is gone): the notice goes by DM.
  json::object open_args;
  open_args["users"] = user;
  auto opened = co_await s->svc.api.call("conversations.open", std::move(open_args));
  auto* ch = opened.ok ? opened.body.if_contains("channel") : nullptr;
  if (!ch || !ch->is_object() || !ch->get_object().contains("id")) co_return;
  message.erase("user");
  message["channel"] = ch->get_object().at("id");
  co_await s->svc.api.call("chat.postMessage", std::move(message));
}

struct action_follow_up {
  std::optional<json::object> modal;
  std::optional<json::object> message;
  bool replace_original = false;
  std::string trigger_id;
  std::string response_url;
  std::string channel_id;
  std::string user_id;
};

awaitable<void> deliver_action(state_ptr s, action_follow_up f) {
  // The trigger expires three seconds after the click: the modal goes first.
  if (f.modal) co_await open_modal(s, f.trigger_id, std::move(*f.modal));
  if (!f.message) co_return;
  if (f.response_url.empty()) {
    // Pressed in a modal or on the home tab: nothing to update in place.
    if (!f.channel_id.empty()) co_await post_ephemeral(s, f.channel_id, f.user_id, std::move(*f.message));
    co_return;
  }
  auto body = std::move(*f.message);
  if (f.replace_original) {
    body["replace_original"] = true;
  } else {
    body["response_type"] = "ephemeral";
    body["replace_original"] = false;
  }
  co_await s->svc.api.post_to_response_url(f.response_url, std::move(body));
}

// A list, search or missing command: the rendered answer is reused while
// the client data is unchanged (see answer_cache).
http::response client_list_answer(state& s, const http::request& req, handlers::context& ctx,
                                  const handlers::caller& who, const std::string& text) {
  auto& db = s.svc.db;
  std::optional<std::int64_t> generation;
  std::optional<std::string> cached;
  std::string key;
  {
    store::read_snapshot snapshot(db);
    key = answer_cache::key_of(who.partner.id, who.member->id, store::to_string(who.member->role),
                               handlers::to_string(handlers::reply_language(ctx, who)), text);
    if (db.cache().usable(db)) {
      generation = db.cache().generation();
      if (const auto* body = s.answers.find(key, *generation)) cached = *body;
    }
  }
  if (cached) {
    handlers::note_platform(ctx, who);
    return http::make_json_response(req, beast_http::status::ok, std::move(*cached));
  }
  auto reply = handlers::on_command(ctx, who, text);
  auto body = json::serialize(ephemeral(reply.message ? *reply.message : text_view("Nothing to show.")));
  auto response = http::make_json_response(req, beast_http::status::ok, body);
  if (generation) s.answers.put(key, *generation, std::move(body));
  return response;
}

awaitable<http::response> handle_command(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "commands")) co_return std::move(*refused);
  auto cmd = parse_command(req.body());
  if (!cmd) co_return http::make_response(req, beast_http::status::bad_request, "Malformed slash command: " + cmd.error);
  if (cmd->ssl_check) co_return empty_ok(req);
  try {
    auto who = co_await s->identity.resolve(cmd->team_id, cmd->user_id, cmd->channel_id);
    if (!who) co_return json_ok(req, ephemeral(text_view(not_connected_text)));
    auto ctx = s->context();
    if (who->member && handlers::answer_depends_on_client_data_only(cmd->text))
      co_return client_list_answer(*s, req, ctx, *who, cmd->text);
    auto reply = handlers::on_command(ctx, *who, cmd->text);
    if (reply.open_form) {
      if (cmd->trigger_id.empty()) {
        spdlog::warn("slack command request {} has no trigger_id for a form", request_id(req));
      } else {
        auto modal = render_modal(*reply.open_form);
        s->svc.background.spawn(
            [s, trigger = cmd->trigger_id, modal = std::move(modal)] { return open_modal(s, trigger, modal); });
      }
    }
    if (reply.message) co_return json_ok(req, ephemeral(*reply.message));
    co_return empty_ok(req);
  } catch (const std::exception& e) {
    spdlog::error("slack command request {} failed: {}", request_id(req), e.what());
    co_return json_ok(req, ephemeral(apology(request_id(req))));
  }
}

awaitable<http::response> handle_block_action(state_ptr s, const http::request& req, const interaction& in) {
  if (in.is_link) co_return empty_ok(req);
  action_follow_up f;
  f.trigger_id = in.trigger_id;
  f.response_url = in.response_url;
  f.channel_id = in.channel_id;
  f.user_id = in.user_id;
  try {
    auto who = co_await s->identity.resolve(in.team_id, in.user_id, in.channel_id);
    if (!who) co_return empty_ok(req);
    auto ctx = s->context();
    auto reply = handlers::on_action(ctx, *who, in.action);
    if (reply.open_form) f.modal = render_modal(*reply.open_form);
    if (reply.message) f.message = render_message(*reply.message);
    f.replace_original = reply.replace_original;
  } catch (const std::exception& e) {
    spdlog::error("slack action request {} failed: {}", request_id(req), e.what());
    f.modal.reset();
    f.message = render_message(apology(request_id(req)));
    f.replace_original = false;
  }
  if (f.modal || f.message) s->svc.background.spawn([s, f = std::move(f)] { return deliver_action(s, f); });
  co_return empty_ok(req);
}

awaitable<http::response> handle_submission(state_ptr s, const http::request& req, const interaction& in) {
  try {
    auto who = co_await s->identity.resolve(in.team_id, in.user_id, in.channel_id);
    if (!who) co_return empty_ok(req);
    auto ctx = s->context();
    auto reply = handlers::on_submission(ctx, *who, in.submission);
    if (!reply.form_errors.empty()) {
      json::object errors;
      for (const auto& [input, message] : reply.form_errors) errors[input] = truncate_text(message, 150);
      co_return json_ok(req, {{"response_action", "errors"}, {"errors", std::move(errors)}});
    }
    co_return empty_ok(req); // closes the modal
  } catch (const std::exception& e) {
    spdlog::error("slack submission request {} failed: {}", request_id(req), e.what());
    json::object view{{"type", "modal"},
                      {"title", {{"type", "plain_text"}, {"text", "partnerbot"}}},
                      {"close", {{"type", "plain_text"}, {"text", "Close"}}},
                      {"blocks", render_message(apology(request_id(req))).at("blocks")}};
    co_return json_ok(req, {{"response_action", "update"}, {"view", std::move(view)}});
  }
}

awaitable<http::response> handle_interaction(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "interactions")) co_return std::move(*refused);
  auto in = parse_interaction(req.body());
  if (!in) co_return http::make_response(req, beast_http::status::bad_request, "Malformed interaction: " + in.error);
  switch (in->kind) {
  case interaction_kind::block_actions: co_return co_await handle_block_action(s, req, *in);
  case interaction_kind::view_submission: co_return co_await handle_submission(s, req, *in);
  case interaction_kind::other: break;
  }
  co_return empty_ok(req);
}

awaitable<http::response> handle_event(state_ptr s, const http::request& req) {
  if (auto refused = refuse(*s, req, "events")) co_return std::move(*refused);
  auto ev = parse_event(req.body());
  if (!ev) co_return http::make_response(req, beast_http::status::bad_request, "Malformed event: " + ev.error);
  if (ev->type == "url_verification") co_return json_ok(req, {{"challenge", ev->challenge}});
  // Nothing subscribed needs an answer beyond the acknowledgement.
  co_return empty_ok(req);
}

} // namespace

std::vector<route> make_routes(services svc) {
  auto s = std::make_shared<state>(std::move(svc));
  return {
      {beast_http::verb::post, "/slack/commands", [s](const http::request& req) { return handle_command(s, req); }},
      {beast_http::verb::post, "/slack/interactions",
       [s](const http::request& req) { return handle_interaction(s, req); }},
      {beast_http::verb::post, "/slack/events", [s](const http::request& req) { return handle_event(s, req); }},
  };
}

} // namespace bot::slack
