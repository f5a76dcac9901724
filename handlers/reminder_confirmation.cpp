#include "handlers/reminder_confirmation.hpp"

#include "handlers/catalogue.hpp"
#include "handlers/reminders.hpp"
#include "handlers/replies.hpp"
#include "handlers/view_json.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <fmt/format.h>
#include <optional>

namespace handlers {
namespace {

namespace json = boost::json;

reach reach_of(std::string_view outcome) {
  if (outcome == "queued") return reach::on_its_way;
  if (outcome == "sent") return reach::sent;
  if (outcome.starts_with("unreachable: no chat identity")) return reach::not_linked;
  if (outcome.starts_with("failed: unreachable")) return reach::no_app;
  return reach::failed;
}

std::string platform_title(std::string_view platform) {
  std::string out{platform};
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::optional<held_confirmation> decode_held(std::string_view text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto* lang = v.get_object().if_contains("language");
  const auto* client = v.get_object().if_contains("client");
  if (!lang || !lang->is_string() || !client || !client->is_string()) return std::nullopt;
  held_confirmation h;
  h.lang = parse_language(lang->get_string()).value_or(language::en);
  h.client = client->get_string();
  return h;
}

} // namespace

view reminder_confirmation_view(const catalogue& t, std::string_view client_name,
                                const std::vector<recipient_outcome>& all) {
  std::size_t reached = 0;
  std::vector<std::string> missed;
  for (const auto& r : all) {
    const auto name = fmt::arg("name", r.name);
    const auto platform = fmt::arg("platform", platform_title(r.platform));
    switch (r.how) {
    case reach::on_its_way:
    case reach::sent:
      ++reached;
      break;
    case reach::not_linked:
      missed.push_back(say(t.confirm_not_linked, name));
      break;
    case reach::no_app:
      missed.push_back(say(t.confirm_no_app, name, platform));
      break;
    case reach::failed:
      missed.push_back(say(t.confirm_not_delivered, name, platform));
      break;
    }
  }
  const auto client = fmt::arg("client", client_name);
  std::string text = reached == 0   ? say(t.confirm_none, client)
                     : reached == 1 ? say(t.confirm_done_one, client)
                                    : say(t.confirm_done_many, fmt::arg("count", reached), client);
  if (!missed.empty())
    text += "\n" + say(t.confirm_unreachable, fmt::arg("names", fmt::format("{}", fmt::join(missed, ", "))));
  reply r = text_reply(text);
  r.message->summary = text.substr(0, text.find('\n'));
  return std::move(*r.message);
}

std::string encode_held(const held_confirmation& h) {
  return json::serialize(json::object{{"language", to_string(h.lang)}, {"client", h.client}});
}

std::string reminder_dm_key(std::int64_t reminder_id, std::string_view member_id) {
  return fmt::format("reminder:{}:{}", reminder_id, member_id);
}
std::string reminder_confirmation_key(std::int64_t reminder_id) {
  return fmt::format("reminder:{}:confirmation", reminder_id);
}

void release_confirmation_when_final(store::database& db, std::int64_t reminder_id, std::int64_t now_ms) {
  store::outbox box{db};
  const auto held = box.by_key(reminder_confirmation_key(reminder_id));
  if (!held || !held->held) return;
  std::vector<recipient_outcome> outcomes;
  for (const auto& r : store::reminders{db}.recipients_of(reminder_id)) {
    recipient_outcome o{r.name, reach_of(r.outcome), {}};
    if (o.how == reach::on_its_way) return;
    if (auto dm = box.by_key(reminder_dm_key(reminder_id, r.member_id))) o.platform = dm->message.platform;
    outcomes.push_back(std::move(o));
  }
  const auto state = decode_held(held->message.payload);
  if (!state) return;
  box.release(held->message.idempotency_key,
              view_to_json(reminder_confirmation_view(catalogue_for(state->lang), state->client, outcomes)),
              now_ms);
}

void record_reminder_outcome(store::database& db, const store::outbound_message& m,
                             std::string_view outcome) {
  const std::string_view origin = m.origin;
  if (!origin.starts_with(reminder_origin_prefix) || m.member_id.empty()) return;
  std::int64_t id = 0;
  const auto digits = origin.substr(reminder_origin_prefix.size());
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc() || end != digits.data() + digits.size()) return;
  store::reminders(db).set_outcome(id, m.member_id, outcome);
  release_confirmation_when_final(db, id,
                                  std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
}

} // namespace handlers
