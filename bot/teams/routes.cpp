#include "bot/teams/routes.hpp"

#include "bot/net/metrics.hpp"
#include "bot/teams/activity.hpp"
#include "bot/teams/cards.hpp"
#include "bot/teams/delivery.hpp"
#include "bot/teams/descriptor.hpp"
#include "bot/teams/platform.hpp"
#include "bot/teams/references.hpp"
#include "bot/teams/trusted_url.hpp"
#include "handlers/grammar.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

namespace bot::teams {

namespace json = boost::json;
namespace beast_http = boost::beast::http;
namespace kinds = store::recipient_kinds;
using boost::asio::awaitable;

namespace {

constexpr std::string_view invoke_card_type = "application/vnd.microsoft.card.adaptive";
constexpr std::string_view invoke_message_type = "application/vnd.microsoft.activity.message";

// The one channel that speaks for a Teams user.
constexpr std::string_view teams_channel = "msteams";

// Why an activity was refused, for /metrics.
enum class refusal { token, malformed, service_url, channel, connector_host };
constexpr std::array<std::pair<refusal, std::string_view>, 5> refusal_names = {{
    {refusal::token, "token"},
    {refusal::malformed, "malformed"},
    {refusal::service_url, "service_url"},
    {refusal::channel, "channel"},
    {refusal::connector_host, "connector_host"},
}};

struct state {
  services svc;
  platform chat; // this adapter as the request service sees it
  std::uint64_t bodies_parsed = 0;
  // Users welcomed lately (tenant/user -> when): Teams announces one
  // personal install twice (conversationUpdate and installationUpdate).
  std::map<std::string, std::chrono::steady_clock::time_point> welcomed;
  std::array<std::uint64_t, refusal_names.size()> refused{};

  explicit state(services s) : svc(std::move(s)), chat(svc.api, svc.store) {}

  void count(refusal r) { ++refused[static_cast<std::size_t>(r)]; }
  void collect_metrics(std::string& out) const {
    write_metric(out, "partnerbot_teams_activity_bodies_parsed_total",
                 "Activity bodies parsed (only after their token verified).", "counter", bodies_parsed);
    out +=
        "# HELP partnerbot_teams_activities_refused_total Activities refused on /api/messages, by reason.\n"
        "# TYPE partnerbot_teams_activities_refused_total counter\n";
    for (const auto& [r, name] : refusal_names)
      out += fmt::format("partnerbot_teams_activities_refused_total{{reason=\"{}\"}} {}\n", name,
                         refused[static_cast<std::size_t>(r)]);
  }
};
using state_ptr = std::shared_ptr<state>;

std::string request_id(const http::request& req) {
  return std::string(req["X-Request-Id"]);
}

http::response empty_ok(const http::request& req) {
  return http::make_response(req, beast_http::status::ok, "");
}

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

bool personal(const activity& a) {
  return a.conversation.type == "personal";
}

// A short stable digest: one submitted form state is one submission, however often it arrives.
std::string digest_of(std::string_view text) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), md, &length, EVP_sha256(), nullptr);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < 12 && i < length; ++i) {
    out += digits[md[i] >> 4];
    out += digits[md[i] & 0xF];
  }
  return out;
}

chat_request request_from(const http::request& req, const activity& a) {
  chat_request r;
  r.request_id = request_id(req);
  r.from.platform = std::string{platform_name};
  r.from.workspace_id = a.tenant_id;
  r.from.user_id = a.from.aad_object_id; // identities link members to Entra object ids
  r.from.conversation_id = a.conversation.without_thread();
  r.from.locale = a.locale;
  // Only a personal chat gets its answers in place; elsewhere they go privately (see routes.hpp).
  const auto& answered_activity = a.value.is_object() ? a.reply_to_id : a.id;
  if (personal(a) && !answered_activity.empty())
    r.reply_address = reply_address(a.conversation.id, answered_activity);
  return r;
}

// A pressed control or submitted form as the neutral input; what is not ours
// becomes an action no handler knows, which is answered "expired".
std::variant<std::string, handlers::action, handlers::submission> input_of(const activity& a) {
  auto input = parse_card_value(a.value);
  if (!input) return handlers::action{};
  if (auto* act = std::get_if<handlers::action>(&input->what)) return std::move(*act);
  auto sub = std::get<handlers::submission>(std::move(input->what));
  // Stable across Teams' redeliveries and a double click: the form's message and what was sent.
  const auto& form_message = a.reply_to_id.empty() ? a.id : a.reply_to_id;
  sub.submission_id = "teams:" + form_message + ":" + digest_of(json::serialize(a.value));
  return sub;
}

// Mentions of other users whose Entra id Teams did not send: asked of the Connector.
awaitable<std::string> with_resolved_mentions(state_ptr s, const activity& a) {
  auto text = a.text;
  for (const auto& m : a.mentions) {
    if (!m.aad_object_id.empty()) continue;
    auto found = co_await s->svc.api.member(a.service_url, a.conversation.without_thread(), m.user_id);
    const auto* aad = found.ok ? found.body.if_contains("aadObjectId") : nullptr;
    if (!aad || !aad->is_string()) continue;
    const auto from = handlers::mention_token(m.user_id);
    if (auto at = text.find(from); at != std::string::npos)
      text.replace(at, from.size(), handlers::mention_token(aad->get_string()));
  }
  co_return text;
}

// A message for the requester that the request service did not send itself
// (form errors, an invoke's non-card answer, a form), addressed as it would be.
awaitable<void> enqueue_payload(state_ptr s, const chat_request& r, std::string payload, std::string key,
                                std::string origin) {
  store::outbound_message m;
  m.platform = std::string{platform_name};
  m.workspace_id = r.from.workspace_id;
  if (!r.reply_address.empty()) {
    m.recipient_kind = kinds::reply;
    m.recipient = r.reply_address;
  } else {
    m.recipient_kind = kinds::in_channel_private;
    m.recipient = store::address_pair{r.from.conversation_id, r.from.user_id}.str();
  }
  m.payload = std::move(payload);
  m.origin = std::move(origin);
  m.idempotency_key = "answer:" + r.request_id + ":" + key;
  const auto now = epoch_ms(s->svc.clock());
  co_await s->svc.store.run([&m, now](store::database& db) { return store::outbox(db).enqueue(m, now); });
  s->svc.outbox_wakeup();
}

awaitable<void> enqueue_for(state_ptr s, const chat_request& r, const handlers::view& message,
                            std::string key) {
  co_await enqueue_payload(std::move(s), r, handlers::view_to_json(message), std::move(key), "answer");
}

handlers::view errors_view(const std::map<std::string, std::string>& errors) {
  std::string text;
  for (const auto& [input, message] : errors)
    text += (text.empty() ? "" : "\n") + message;
  return handlers::view{errors.begin()->second, {handlers::section{"", text, {}}}};
}

// A form is a card of its own (Teams has no dialog for a bot message), sent
// through the outbox like any answer: where the answer would go, that is in
// a personal chat, or from a channel in the asker's 1:1 chat.
awaitable<void> enqueue_form(state_ptr s, const chat_request& r, const std::optional<handlers::form>& form) {
  if (!form) co_return;
  co_await enqueue_payload(std::move(s), r, handlers::form_to_json(*form), "form", "form");
}

// The app was added to a team: its members get references at once, so a
// reminder reaches them before they ever write to the bot. Bounded: a
// roster larger than this many pages is read no further.
constexpr int max_roster_pages = 40;

awaitable<void> read_roster(state_ptr s, activity a) {
  std::string continuation;
  int pages = 0;
  int stored = 0;
  do {
    auto page = co_await s->svc.api.members_page(a.service_url, a.team_id, continuation);
    if (!page.ok) {
      spdlog::warn("teams roster of a team in tenant {} not read: {}", a.tenant_id, page.error);
      co_return;
    }
    std::vector<conversation_reference> refs;
    if (const auto* members = page.body.if_contains("members"); members && members->is_array()) {
      for (const auto& m : members->get_array()) {
        if (!m.is_object()) continue;
        const auto& o = m.get_object();
        const auto* id = o.if_contains("id");
        const auto* aad = o.if_contains("aadObjectId");
        if (!id || !id->is_string() || !aad || !aad->is_string() || aad->get_string().empty()) continue;
        if (id->get_string() == a.recipient.id) continue;
        conversation_reference ref;
        ref.service_url = a.service_url;
        ref.tenant_id = a.tenant_id;
        ref.bot_id = a.recipient.id;
        ref.user_id = id->get_string();
        ref.aad_object_id = aad->get_string();
        refs.push_back(std::move(ref));
      }
    }
    continuation.clear();
    if (const auto* next = page.body.if_contains("continuationToken"); next && next->is_string())
      continuation = next->get_string();
    const auto now = epoch_ms(s->svc.clock());
    stored += co_await s->svc.store.run([&refs, now](store::database& db) {
      int written = 0;
      for (const auto& ref : refs)
        written += remember_user(db, ref, now) ? 1 : 0;
      return written;
    });
  } while (!continuation.empty() && ++pages < max_roster_pages);
  spdlog::info("teams roster read: {} member references stored", stored);
}

// The app installed for a user in their personal scope: the installation
// itself, or the bot added to their personal chat.
bool installed_for_user(const activity& a) {
  if (!personal(a) || a.from.aad_object_id.empty()) return false;
  if (a.kind == activity_kind::installation_update) return a.action == "add";
  if (a.kind != activity_kind::conversation_update) return false;
  return std::any_of(a.members_added.begin(), a.members_added.end(),
                     [&](const account& who) { return who.id == a.recipient.id; });
}

constexpr auto welcome_memory = std::chrono::minutes(10);

// A welcome with the user's home (in their language), through the outbox
// like every answer; once however many activities announce the install.
awaitable<void> welcome(state_ptr s, const http::request& req, const activity& a) {
  const auto now = std::chrono::steady_clock::now();
  const auto who = a.tenant_id + "/" + a.from.aad_object_id;
  if (auto it = s->welcomed.find(who); it != s->welcomed.end() && now - it->second < welcome_memory)
    co_return;
  if (s->welcomed.size() > 10000) s->welcomed.clear(); // bounded; a rare second welcome is harmless
  s->welcomed[who] = now;
  auto r = request_from(req, a);
  r.what = std::string("home");
  r.answer_by_message = true;
  co_await s->svc.requests.answer(s->chat, std::move(r), s->svc.deadline);
}

http::response invoke_response(const http::request& req, std::string_view type, json::value value) {
  json::object body{{"statusCode", 200}, {"type", type}, {"value", std::move(value)}};
  return http::make_json_response(req, beast_http::status::ok, json::serialize(body));
}

awaitable<http::response> handle_message(state_ptr s, const http::request& req, const activity& a) {
  auto r = request_from(req, a);
  r.answer_by_message = true; // Teams takes no message in the HTTP answer
  if (a.value.is_object())
    r.what = input_of(a);
  else
    r.what = co_await with_resolved_mentions(s, a);
  const auto keep = r; // what addressing a form or its errors needs, after `r` is moved
  auto answer = co_await s->svc.requests.answer(s->chat, std::move(r), s->svc.deadline);
  co_await enqueue_form(s, keep, answer.reply.open_form);
  if (!answer.reply.form_errors.empty())
    co_await enqueue_for(s, keep, errors_view(answer.reply.form_errors), "form-errors");
  co_return empty_ok(req);
}

awaitable<http::response> handle_card_action(state_ptr s, const http::request& req, const activity& a) {
  auto r = request_from(req, a);
  r.what = input_of(a);
  const auto keep = r;
  auto answer = co_await s->svc.requests.answer(s->chat, std::move(r), s->svc.invoke_deadline);
  co_await enqueue_form(s, keep, answer.reply.open_form);
  const auto& reply = answer.reply;
  if (!reply.form_errors.empty())
    co_return invoke_response(req, invoke_message_type, json::string(errors_view(reply.form_errors).summary));
  const auto* message = answer.message();
  if (!message) co_return invoke_response(req, invoke_message_type, json::string(""));
  if (answer.state == chat_answer::status::answered && reply.replace_original)
    co_return invoke_response(req, invoke_card_type, render_card(*message));
  // Not an update of this card (a new card, "on its way", not connected):
  // a message of its own, and a line where the card is.
  if (answer.state == chat_answer::status::answered) co_await enqueue_for(s, keep, *message, "invoke");
  co_return invoke_response(req, invoke_message_type, json::string(message->summary));
}

awaitable<http::response> handle_activity(state_ptr s, const http::request& req) {
  if (s->svc.app_id.empty())
    co_return http::make_response(req, beast_http::status::service_unavailable,
                                  "Teams is not configured: set MicrosoftAppId and MicrosoftAppPassword.");
  // The token first, from the header alone: the body is not read before it holds.
  // Named first: GCC 12 miscompiles initializer lists inside co_await expressions.
  const token_requirements required{s->svc.app_id, teams_channel};
  const auto check = co_await authenticate(s->svc.keys, std::string(req[beast_http::field::authorization]),
                                           required, s->svc.clock());
  const auto unauthorized = [&](token_verdict why, refusal counted) {
    s->count(counted);
    spdlog::warn("teams request {} refused: {}", request_id(req), to_string(why));
    return http::make_response(req, beast_http::status::unauthorized, "Unauthorized");
  };
  if (!check.ok()) co_return unauthorized(check.verdict, refusal::token);

  ++s->bodies_parsed;
  auto parsed = parse_activity(req.body());
  if (!parsed) {
    s->count(refusal::malformed);
    co_return http::make_response(req, beast_http::status::bad_request,
                                  "Malformed activity: " + parsed.error());
  }
  const auto& a = *parsed;
  // The token holds for the serviceUrl it names, and no other.
  if (const auto bound = check_service_url(check, a.service_url); bound != token_verdict::ok)
    co_return unauthorized(bound, refusal::service_url);
  // The signing keys are endorsed for many channels (webchat, directline,
  // ...), whose bodies say whatever tenant and user their sender likes.
  if (a.channel_id != teams_channel) {
    s->count(refusal::channel);
    spdlog::warn("teams request {} refused: channel is not {}", request_id(req), teams_channel);
    co_return http::make_response(req, beast_http::status::forbidden,
                                  "Forbidden: only Microsoft Teams activities are accepted.");
  }
  // Answers go to the serviceUrl with the bot's token: only to the Connector.
  if (!s->svc.api.may_call(a.service_url)) {
    s->count(refusal::connector_host);
    spdlog::warn("teams request {} refused: serviceUrl {} is not the Bot Connector's", request_id(req),
                 origin_of(a.service_url));
    co_return http::make_response(req, beast_http::status::forbidden,
                                  "Forbidden: serviceUrl is not a Bot Connector.");
  }
  if (a.kind == activity_kind::other) co_return empty_ok(req);

  const auto now = epoch_ms(s->svc.clock());
  co_await s->svc.store.run([&a, now](store::database& db) { return remember_references(db, a, now); });
  if (added_to_team(a)) s->svc.background.spawn([s, a] { return read_roster(s, a); });
  switch (a.kind) {
  case activity_kind::message:
    co_return co_await handle_message(s, req, a);
  case activity_kind::card_action:
    co_return co_await handle_card_action(s, req, a);
  case activity_kind::conversation_update:
  case activity_kind::installation_update:
    if (installed_for_user(a)) co_await welcome(s, req, a);
    break;
  case activity_kind::other:
    break;
  }
  co_return empty_ok(req);
}

} // namespace

std::vector<route> make_routes(services svc) {
  auto s = std::make_shared<state>(std::move(svc));
  if (s->svc.stats) s->svc.stats->add_collector([s](std::string& out) { s->collect_metrics(out); });
  return {
      {beast_http::verb::post, "/api/messages",
       [s](const http::request& req) { return handle_activity(s, req); }},
  };
}

} // namespace bot::teams
