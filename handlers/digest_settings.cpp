#include "handlers/digest_settings.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/format.hpp"
#include "handlers/identity.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "handlers/resolve.hpp"
#include "store/clients.hpp"
#include "store/digest_feed.hpp"
#include "store/subscriptions.hpp"

#include <fmt/format.h>
#include <optional>

namespace handlers {
namespace {

using namespace std::chrono_literals;

constexpr int list_limit = 40; // subscriptions shown by `digests` (platform block limits)

// A typed or selected frequency word: daily, weekly, monthly or off.
struct frequency_word {
  bool valid = false;
  std::optional<store::frequency> frequency; // nullopt: off
};

frequency_word parse_word(std::string_view word) {
  if (word == "off") return {true, std::nullopt};
  if (auto f = store::parse_frequency(word)) return {true, *f};
  return {};
}

std::string_view cadence(const catalogue& t, store::frequency f) {
  switch (f) {
  case store::frequency::daily:
    return t.cadence_daily;
  case store::frequency::weekly:
    return t.cadence_weekly;
  case store::frequency::monthly:
    return t.cadence_monthly;
  }
  return {};
}

std::string_view frequency_name(const catalogue& t, store::frequency f) {
  switch (f) {
  case store::frequency::daily:
    return t.freq_daily;
  case store::frequency::weekly:
    return t.freq_weekly;
  case store::frequency::monthly:
    return t.freq_monthly;
  }
  return {};
}

// The frequency words all start with an ASCII letter, in both languages.
std::string capitalised(std::string_view word) {
  std::string out{word};
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

instant created_or(const std::string& iso, instant fallback) {
  return parse_iso(iso).value_or(fallback);
}

// Applies a member's choice for one visible client and says what happens next.
reply apply_client_choice(context& ctx, const catalogue& t, const caller& who, const store::client& c,
                          std::optional<store::frequency> choice) {
  const auto& me = *who.member;
  const auto client = fmt::arg("client", c.name);
  store::subscriptions subs(ctx.db);
  if (!choice) {
    const bool had = subs.get(me.id, c.id).has_value();
    if (had) subs.remove(me.id, c.id);
    view v;
    v.summary = say(had ? t.digest_off : t.digest_had_none, client);
    v.blocks.push_back(section{"", v.summary, digest_control(ctx, t, me, c.id)});
    return message_reply(std::move(v));
  }
  const auto previous = subs.get(me.id, c.id);
  subs.set(store::subscription{me.id, c.id, c.name, *choice, who.chat.platform, to_iso(ctx.now)});
  const auto stored = subs.get(me.id, c.id);
  const auto created = created_or(stored ? stored->created_at : std::string{}, ctx.now);
  const auto next = next_due(*choice, created, ctx.now);
  const bool unchanged = previous && previous->frequency == *choice;

  view v;
  v.summary = unchanged ? say(t.digest_already, fmt::arg("frequency", frequency_name(t, *choice)), client)
                        : say(t.digest_set, fmt::arg("frequency", capitalised(frequency_name(t, *choice))),
                              client, fmt::arg("cadence", cadence(t, *choice)));
  const std::string when =
      say(unchanged ? t.digest_next : t.digest_first, fmt::arg("when", describe_slot(next, t)));
  v.blocks.push_back(section{"", v.summary + "\n" + when, digest_control(ctx, t, me, c.id)});
  v.blocks.push_back(note{std::string{t.digest_arrives}});
  return message_reply(std::move(v));
}

} // namespace

reply set_client_digest(context& ctx, const caller& who, std::string_view name,
                        std::string_view frequency_word) {
  const auto& t = texts_for(ctx, who);
  if (!who.member) return unlinked_reply(who, t);
  const auto choice = parse_word(frequency_word);
  if (!choice.valid || name.empty()) return text_reply(t.digest_usage);
  // Only visible clients resolve: an unassigned client reads as an unknown name.
  auto resolved = resolve_client(ctx, t, *who.member, name, actions::client_open);
  if (auto* r = std::get_if<reply>(&resolved)) return std::move(*r);
  return apply_client_choice(ctx, t, who, std::get<store::client>(resolved), choice.frequency);
}

reply set_channel_digest(context& ctx, const caller& who, std::string_view frequency_word) {
  const auto& t = texts_for(ctx, who);
  if (!who.member) return unlinked_reply(who, t);
  if (who.member->role != store::role::admin) return text_reply(t.channel_admins_only);
  const auto choice = parse_word(frequency_word);
  if (!choice.valid) return text_reply(t.channel_usage);
  if (who.chat.conversation_id.empty()) return text_reply(t.channel_type_in_channel);

  store::subscriptions subs(ctx.db);
  if (!choice.frequency) {
    const bool had = subs.remove_channel(who.chat.platform, who.chat.workspace_id, who.chat.conversation_id);
    return text_reply(had ? t.channel_off : t.channel_had_none);
  }
  store::channel_subscription s;
  s.partner_id = who.partner.id;
  s.platform = who.chat.platform;
  s.workspace_id = who.chat.workspace_id;
  s.channel_id = who.chat.conversation_id;
  s.frequency = *choice.frequency;
  s.created_by = who.member->id;
  s.created_at = to_iso(ctx.now);
  subs.set_channel(s);
  auto created = ctx.now;
  for (const auto& ch : subs.channels_of(who.partner.id))
    if (ch.platform == s.platform && ch.workspace_id == s.workspace_id && ch.channel_id == s.channel_id)
      created = created_or(ch.created_at, ctx.now);

  view v;
  v.summary = say(t.channel_set, fmt::arg("frequency", frequency_name(t, s.frequency)),
                  fmt::arg("cadence", cadence(t, s.frequency)));
  const auto first = describe_slot(next_due(s.frequency, created, ctx.now), t);
  v.blocks.push_back(section{"", v.summary + "\n" + say(t.digest_first, fmt::arg("when", first)), {}});
  v.blocks.push_back(note{std::string{t.channel_note}});
  return message_reply(std::move(v));
}

reply list_digests(context& ctx, const caller& who) {
  const auto& t = texts_for(ctx, who);
  if (!who.member) return unlinked_reply(who, t);
  const auto& me = *who.member;
  store::subscriptions subs(ctx.db);
  store::clients clients(ctx.db);

  view v;
  v.blocks.push_back(header{std::string{t.digests_title}});
  int shown = 0, hidden = 0, total = 0;
  for (const auto& s : subs.of_member(me.id)) {
    if (!clients.visible(me, s.client_id)) continue; // no longer assigned: not shown
    ++total;
    if (shown == list_limit) {
      ++hidden;
      continue;
    }
    ++shown;
    const auto next = next_due(s.frequency, created_or(s.created_at, ctx.now), ctx.now);
    v.blocks.push_back(
        section{s.client_name,
                say(t.digests_line, fmt::arg("frequency", capitalised(frequency_name(t, s.frequency))),
                    fmt::arg("when", describe_slot(next, t))),
                digest_control(ctx, t, me, s.client_id)});
  }
  if (hidden > 0) v.blocks.push_back(note{say(t.and_more, fmt::arg("count", format_count(hidden)))});
  if (total == 0) v.blocks.push_back(section{"", std::string{t.digests_none}, {}});
  v.summary = total == 0   ? std::string{t.digests_summary_none}
              : total == 1 ? std::string{t.digests_summary_one}
                           : say(t.digests_summary_many, fmt::arg("count", format_count(total)));

  if (me.role == store::role::admin) {
    const auto channels = subs.channels_of(who.partner.id);
    v.blocks.push_back(divider{});
    v.blocks.push_back(header{std::string{t.channels_title}});
    if (channels.empty()) {
      v.blocks.push_back(section{"", std::string{t.channels_none}, {}});
    } else {
      std::string text;
      for (const auto& ch : channels) {
        if (!text.empty()) text += '\n';
        const auto next = next_due(ch.frequency, created_or(ch.created_at, ctx.now), ctx.now);
        text +=
            say(t.channels_line, fmt::arg("platform", capitalised(ch.platform)),
                fmt::arg("channel", ch.channel_id), fmt::arg("frequency", frequency_name(t, ch.frequency)),
                fmt::arg("when", describe_slot(next, t)));
      }
      v.blocks.push_back(section{"", text, {}});
      v.blocks.push_back(note{std::string{t.channels_stop}});
    }
    const auto since =
        std::chrono::duration_cast<std::chrono::milliseconds>((ctx.now - 7 * 24h).time_since_epoch());
    const auto failed = store::digest_feed(ctx.db).failed_deliveries(who.partner.id, since.count(), 20);
    if (!failed.empty()) {
      std::string text;
      for (const auto& f : failed) {
        if (!text.empty()) text += '\n';
        text += fmt::format("{}: {}", f.member_name, f.error);
      }
      v.blocks.push_back(section{std::string{t.digests_failed_title}, text, {}});
    }
  }
  return message_reply(std::move(v));
}

reply on_digest_select(context& ctx, const caller& who, const action& act) {
  const auto& t = texts_for(ctx, who);
  if (!who.member) return unlinked_reply(who, t);
  const auto bar = act.value.rfind('|');
  if (bar == std::string::npos || bar == 0) return expired_reply(t);
  const auto choice = parse_word(std::string_view{act.value}.substr(bar + 1));
  if (!choice.valid) return expired_reply(t);
  // Re-checked: the control may be older than the caller's assignments.
  const auto c = store::clients(ctx.db).visible(*who.member, act.value.substr(0, bar));
  if (!c) return expired_reply(t);
  return apply_client_choice(ctx, t, who, *c, choice.frequency);
}

select digest_control(context& ctx, const catalogue& t, const store::member& viewer,
                      std::string_view client_id) {
  const std::string id{client_id};
  std::string initial = id + "|off";
  if (auto s = store::subscriptions(ctx.db).get(viewer.id, client_id))
    initial = id + "|" + std::string{store::to_string(s->frequency)};
  return select{
      .action_id = actions::digest_set,
      .placeholder = std::string{t.digest_select_placeholder},
      .options = {{capitalised(t.freq_daily), id + "|daily"},
                  {capitalised(t.freq_weekly), id + "|weekly"},
                  {capitalised(t.freq_monthly), id + "|monthly"},
                  {capitalised(t.freq_off), id + "|off"}},
      .initial = initial,
      .submit_label = std::string{t.digest_select_save},
  };
}

} // namespace handlers
