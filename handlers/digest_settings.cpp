#include "handlers/digest_settings.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/format.hpp"
#include "handlers/identity.hpp"
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

std::string cadence(store::frequency f) {
  switch (f) {
  case store::frequency::daily: return "every weekday (Monday to Friday) at 10:00 (Copenhagen)";
  case store::frequency::weekly: return "every Monday at 10:00 (Copenhagen)";
  case store::frequency::monthly: return "on the first Monday of each month at 10:00 (Copenhagen)";
  }
  return {};
}

std::string capitalised(std::string_view word) {
  std::string out{word};
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

instant created_or(const std::string& iso, instant fallback) { return parse_iso(iso).value_or(fallback); }

// Applies a member's choice for one visible client and says what happens next.
reply apply_client_choice(context& ctx, const caller& who, const store::client& c,
                          std::optional<store::frequency> choice) {
  const auto& me = *who.member;
  store::subscriptions subs(ctx.db);
  if (!choice) {
    const bool had = subs.get(me.id, c.id).has_value();
    if (had) subs.remove(me.id, c.id);
    view v;
    v.summary = had ? fmt::format("Digest for {} is off.", c.name) : fmt::format("You had no digest for {}.", c.name);
    v.blocks.push_back(section{"", v.summary, digest_control(ctx, me, c.id)});
    return message_reply(std::move(v));
  }
  const auto previous = subs.get(me.id, c.id);
  subs.set(store::subscription{me.id, c.id, c.name, *choice, who.chat.platform, to_iso(ctx.now)});
  const auto stored = subs.get(me.id, c.id);
  const auto created = created_or(stored ? stored->created_at : std::string{}, ctx.now);
  const auto next = next_due(*choice, created, ctx.now);
  const bool unchanged = previous && previous->frequency == *choice;

  view v;
  v.summary = unchanged ? fmt::format("You already get a {} digest for {}.", store::to_string(*choice), c.name)
                        : fmt::format("{} digest for {}: {}.", capitalised(store::to_string(*choice)), c.name,
                                      cadence(*choice));
  const std::string when = unchanged ? "Next digest: " + describe_slot(next) : "First digest: " + describe_slot(next);
  v.blocks.push_back(section{"", v.summary + "\n" + when, digest_control(ctx, me, c.id)});
  v.blocks.push_back(note{"It arrives as a direct message from the bot. Change or stop it with `digests`."});
  return message_reply(std::move(v));
}

} // namespace

reply set_client_digest(context& ctx, const caller& who, std::string_view name, std::string_view frequency_word) {
  if (!who.member) return unlinked_reply(who);
  const auto choice = parse_word(frequency_word);
  if (!choice.valid || name.empty())
    return text_reply("Usage: `digest NAME daily|weekly|monthly|off`, e.g. `digest Acme weekly`.");
  // Only visible clients resolve: an unassigned client reads as an unknown name.
  auto resolved = resolve_client(ctx, *who.member, name, actions::client_open);
  if (auto* r = std::get_if<reply>(&resolved)) return std::move(*r);
  return apply_client_choice(ctx, who, std::get<store::client>(resolved), choice.frequency);
}

reply set_channel_digest(context& ctx, const caller& who, std::string_view frequency_word) {
  if (!who.member) return unlinked_reply(who);
  if (who.member->role != store::role::admin)
    return text_reply("Only partner admins can set a channel digest. You can get your own with "
                      "`digest NAME daily|weekly|monthly`.");
  const auto choice = parse_word(frequency_word);
  if (!choice.valid) return text_reply("Usage: `digest channel daily|weekly|monthly|off`, typed in the channel.");
  if (who.chat.conversation_id.empty())
    return text_reply("Type `digest channel ...` in the channel that should get the firm digest.");

  store::subscriptions subs(ctx.db);
  if (!choice.frequency) {
    const bool had = subs.remove_channel(who.chat.platform, who.chat.workspace_id, who.chat.conversation_id);
    return text_reply(had ? "The firm digest is off for this channel." : "This channel had no firm digest.");
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
  v.summary = fmt::format("This channel gets the {} firm digest {}.", store::to_string(s.frequency),
                          cadence(s.frequency));
  v.blocks.push_back(section{"", v.summary + "\nFirst digest: " + describe_slot(next_due(s.frequency, created, ctx.now)),
                             {}});
  v.blocks.push_back(note{"It lists the firm's clients with missing receipts or expenses ready for export. "
                          "The bot must be a member of this channel to post."});
  return message_reply(std::move(v));
}

reply list_digests(context& ctx, const caller& who) {
  if (!who.member) return unlinked_reply(who);
  const auto& me = *who.member;
  store::subscriptions subs(ctx.db);
  store::clients clients(ctx.db);

  view v;
  v.blocks.push_back(header{"Your digests"});
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
    v.blocks.push_back(section{s.client_name,
                               fmt::format("{} · next: {}", capitalised(store::to_string(s.frequency)),
                                           describe_slot(next)),
                               digest_control(ctx, me, s.client_id)});
  }
  if (hidden > 0) v.blocks.push_back(note{fmt::format("and {} more", hidden)});
  if (total == 0)
    v.blocks.push_back(section{"", "You have no digests. Subscribe with `digest NAME weekly`, or with the "
                                   "digest control on a client's card.",
                               {}});
  v.summary = total == 0 ? "You have no digests." : fmt::format("You have {} digest{}.", total, total == 1 ? "" : "s");

  if (me.role == store::role::admin) {
    const auto channels = subs.channels_of(who.partner.id);
    v.blocks.push_back(divider{});
    v.blocks.push_back(header{"Channel digests of the firm"});
    if (channels.empty()) {
      v.blocks.push_back(section{"", "No channel gets the firm digest. Type `digest channel weekly` in one.", {}});
    } else {
      std::string text;
      for (const auto& ch : channels) {
        if (!text.empty()) text += '\n';
        const auto next = next_due(ch.frequency, created_or(ch.created_at, ctx.now), ctx.now);
        text += fmt::format("{} channel {}: {}, next {}", capitalised(ch.platform), ch.channel_id,
                            store::to_string(ch.frequency), describe_slot(next));
      }
      v.blocks.push_back(section{"", text, {}});
      v.blocks.push_back(note{"To stop one, type `digest channel off` in that channel."});
    }
    const auto since = std::chrono::duration_cast<std::chrono::milliseconds>((ctx.now - 7 * 24h).time_since_epoch());
    const auto failed = store::digest_feed(ctx.db).failed_deliveries(who.partner.id, since.count(), 20);
    if (!failed.empty()) {
      std::string text;
      for (const auto& f : failed) {
        if (!text.empty()) text += '\n';
        text += fmt::format("{}: {}", f.member_name, f.error);
      }
      v.blocks.push_back(section{"Digests not delivered in the last 7 days", text, {}});
    }
  }
  return message_reply(std::move(v));
}

reply on_digest_select(context& ctx, const caller& who, const action& act) {
  if (!who.member) return unlinked_reply(who);
  const auto bar = act.value.rfind('|');
  if (bar == std::string::npos || bar == 0) return expired_reply();
  const auto choice = parse_word(std::string_view{act.value}.substr(bar + 1));
  if (!choice.valid) return expired_reply();
  // Re-checked: the control may be older than the caller's assignments.
  const auto c = store::clients(ctx.db).visible(*who.member, act.value.substr(0, bar));
  if (!c) return expired_reply();
  return apply_client_choice(ctx, who, *c, choice.frequency);
}

select digest_control(context& ctx, const store::member& viewer, std::string_view client_id) {
  const std::string id{client_id};
  std::string initial = id + "|off";
  if (auto s = store::subscriptions(ctx.db).get(viewer.id, client_id))
    initial = id + "|" + std::string{store::to_string(s->frequency)};
  return select{
      .action_id = actions::digest_set,
      .placeholder = "Digest",
      .options = {{"Daily", id + "|daily"},
                  {"Weekly", id + "|weekly"},
                  {"Monthly", id + "|monthly"},
                  {"Off", id + "|off"}},
      .initial = initial,
  };
}

} // namespace handlers
