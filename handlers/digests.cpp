#include "handlers/digests.hpp"

#include "handlers/actions.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "handlers/view_json.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/subscriptions.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace handlers {
namespace {

std::int64_t epoch_ms(instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string ready_text(const catalogue& t, std::int64_t n) {
  return say(t.ready_count, fmt::arg("count", format_count(n)));
}

bool has_outstanding(const store::client& c) {
  return c.missing_receipts > 0 || c.ready_for_export > 0;
}

std::string work_line(const catalogue& t, const store::client& c) {
  return counted(c.missing_receipts, t.missing_one, t.missing_many) + " · " +
         ready_text(t, c.ready_for_export);
}

// "A, B and C" with at most `shown` names, then "and N more".
std::string name_list(const catalogue& t, const std::vector<const store::client*>& cs, std::size_t shown) {
  std::string out;
  const auto n = std::min(shown, cs.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n && n == cs.size()) ? " " + std::string{t.and_word} + " " : ", ";
    out += cs[i]->name;
  }
  if (cs.size() > n)
    out = say(t.names_and_more, fmt::arg("names", out), fmt::arg("count", format_count(cs.size() - n)));
  return out;
}

std::string latest_sync(const std::vector<store::client>& cs) {
  std::string latest;
  for (const auto& c : cs)
    latest = std::max(latest, c.synced_at);
  return latest;
}

} // namespace

std::string member_subscriber_key(std::string_view member_id, std::string_view platform) {
  return fmt::format("member:{}:{}", member_id, platform);
}

std::string channel_subscriber_key(const store::channel_subscription& s) {
  return fmt::format("channel:{}:{}:{}", s.platform, s.workspace_id, s.channel_id);
}

std::string digest_key(std::string_view subscriber_key, std::string_view slot_iso) {
  return fmt::format("digest|{}|{}", subscriber_key, slot_iso);
}

view member_digest_view(const settings& cfg, const catalogue& t, slot_time slot,
                        const std::vector<store::client>& due_clients) {
  std::vector<const store::client*> busy, quiet;
  std::int64_t missing = 0, ready = 0;
  for (const auto& c : due_clients) {
    (has_outstanding(c) ? busy : quiet).push_back(&c);
    missing += c.missing_receipts;
    ready += c.ready_for_export;
  }

  view v;
  v.blocks.push_back(header{std::string{t.dm_title}});
  std::string small = describe_slot_day(slot, t);
  if (auto synced = latest_sync(due_clients); !synced.empty())
    small = say(t.dm_day_as_of, fmt::arg("day", small), fmt::arg("time", format_local_time(synced, t)));
  v.blocks.push_back(note{small});

  if (busy.empty()) {
    v.summary = std::string{t.dm_all_clear_summary};
    v.blocks.push_back(section{"", say(t.dm_all_clear, fmt::arg("clients", name_list(t, quiet, 10))), {}});
    return v;
  }

  v.summary = say(
      t.dm_summary, fmt::arg("missing", counted(missing, t.missing_one, t.missing_many)),
      fmt::arg("ready", format_count(ready)),
      fmt::arg("clients", counted(static_cast<std::int64_t>(busy.size()), t.clients_one, t.clients_many)));
  const auto shown = std::min<std::size_t>(busy.size(), dm_detail_limit);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& c = *busy[i];
    const auto balance = say(t.dm_balance, fmt::arg("balance", format_money(c.wallet_balance)));
    v.blocks.push_back(
        section{c.name, balance + "\n" + work_line(t, c),
                button{std::string{t.dm_open}, actions::client_open, c.id, "", button_style::plain}});
    v.blocks.push_back(action_row{{button{std::string{t.go_to_client}, "", "",
                                          portal_link(cfg.portal_url_template, c.id), button_style::plain}}});
  }
  if (busy.size() > shown)
    v.blocks.push_back(
        note{say(t.dm_more_outstanding, fmt::arg("count", format_count(busy.size() - shown)))});
  if (!quiet.empty())
    v.blocks.push_back(section{"", say(t.dm_nothing_for, fmt::arg("clients", name_list(t, quiet, 10))), {}});
  return v;
}

view channel_digest_view(const store::partner& firm, const catalogue& t, slot_time slot,
                         const store::firm_outstanding& work) {
  view v;
  v.blocks.push_back(header{say(t.firm_title, fmt::arg("firm", firm.name))});
  if (work.clients == 0) {
    v.summary = std::string{t.firm_all_clear_summary};
    v.blocks.push_back(note{describe_slot_day(slot, t)});
    v.blocks.push_back(section{"", std::string{t.firm_all_clear}, {}});
    return v;
  }
  v.summary = say(t.firm_summary, fmt::arg("clients", counted(work.clients, t.clients_one, t.clients_many)),
                  fmt::arg("missing", counted(work.missing_receipts, t.missing_one, t.missing_many)),
                  fmt::arg("ready", format_count(work.ready_for_export)));
  v.blocks.push_back(note{say(t.firm_order, fmt::arg("day", describe_slot_day(slot, t)))});
  v.blocks.push_back(fields{{{std::string{t.field_clients_outstanding}, format_count(work.clients)},
                             {std::string{t.field_missing_receipts}, format_count(work.missing_receipts)},
                             {std::string{t.field_ready_for_export}, format_count(work.ready_for_export)}}});
  // Ten lines a section keeps each well inside the platforms' text limits.
  const auto shown = std::min<std::size_t>(work.top.size(), channel_detail_limit);
  for (std::size_t i = 0; i < shown; i += 10) {
    std::string text;
    for (std::size_t j = i; j < std::min(shown, i + 10); ++j) {
      if (!text.empty()) text += '\n';
      text += work.top[j].name + ": " + work_line(t, work.top[j]);
    }
    v.blocks.push_back(section{"", text, {}});
  }
  if (static_cast<std::size_t>(work.clients) > shown)
    v.blocks.push_back(note{
        say(t.and_more, fmt::arg("count", format_count(work.clients - static_cast<std::int64_t>(shown))))});
  return v;
}

pass_counts digest_pass(context& ctx, instant at, const pass_options& options) {
  pass_counts counts;
  const auto slot = slot_for(at);
  if (!slot) return counts;
  counts.slot = to_iso(*slot);
  const auto now_ms = epoch_ms(ctx.now);

  store::digest_slots slots(ctx.db);
  store::outbox box(ctx.db);

  // A few hundred subscribers a transaction: one fsync each, and a crash
  // loses only uncommitted claims, which the next pass makes again.
  std::optional<store::transaction> tx;
  int in_tx = 0;
  bool enqueued = false;
  const auto flush = [&] {
    if (!tx) return;
    tx->commit();
    tx.reset();
    in_tx = 0;
    if (enqueued) ctx.outbox_wakeup();
    enqueued = false;
  };
  // Claims the subscriber's slot and enqueues the row `make` builds (only
  // once claimed: a repeated pass renders nothing); false when already claimed.
  const auto claim_and_enqueue = [&](const std::string& subscriber, const auto& make,
                                     std::string_view failure) {
    if (!tx) tx.emplace(ctx.db);
    ++in_tx;
    if (!slots.claim(subscriber, counts.slot)) return false;
    store::outbound_message message = make();
    message.idempotency_key = digest_key(subscriber, counts.slot);
    message.origin = digest_origin;
    if (box.enqueue(message, now_ms)) {
      if (failure.empty()) {
        enqueued = true;
      } else if (auto row = box.by_key(message.idempotency_key)) {
        box.mark_failed(row->id, failure);
      }
    }
    if (in_tx >= options.subscribers_per_transaction) flush();
    return true;
  };

  // One member's due rows, as the feed streams them (at most their subscriptions).
  std::vector<store::digest_feed_row> group;
  const auto finish_member = [&] {
    // Usually one platform; a member subscribed from two gets a DM on each.
    while (!group.empty()) {
      const std::string platform = group.front().sub.platform;
      std::vector<store::client> due;
      std::optional<store::chat_identity> identity;
      std::string member_id = group.front().sub.member_id;
      for (auto& r : group)
        if (r.sub.platform == platform) {
          due.push_back(r.details);
          if (r.identity) identity = r.identity;
        }
      std::erase_if(group, [&](const store::digest_feed_row& r) { return r.sub.platform == platform; });

      const auto make = [&] {
        store::outbound_message m;
        m.platform = platform;
        m.recipient_kind = store::recipient_kinds::user;
        m.member_id = member_id;
        const auto l = recipient_language(ctx, member_id);
        auto v = member_digest_view(ctx.settings, catalogue_for(l), *slot, due);
        v.lang = l;
        m.payload = view_to_json(v);
        if (identity) {
          m.workspace_id = identity->workspace_id;
          m.recipient = identity->user_id;
        }
        return m;
      };
      const std::string failure = identity ? "" : fmt::format("unreachable: no {} identity linked", platform);
      if (!claim_and_enqueue(member_subscriber_key(member_id, platform), make, failure))
        ++counts.already_claimed;
      else if (failure.empty())
        ++counts.dms;
      else
        ++counts.unreachable;
    }
  };

  std::string current;
  store::digest_feed(ctx.db).for_each([&](const store::digest_feed_row& r) {
    if (r.sub.member_id != current) {
      finish_member();
      current = r.sub.member_id;
    }
    if (!r.visible) return; // unassigned since subscribing: no figures for them
    const auto created = parse_iso(r.sub.created_at);
    if (!created || !is_due(r.sub.frequency, *created, *slot)) return;
    group.push_back(r);
  });
  finish_member();

  store::directory dir(ctx.db);
  std::map<std::string, std::pair<store::partner, store::firm_outstanding>> firms;
  for (const auto& ch : store::subscriptions(ctx.db).all_channels()) {
    const auto created = parse_iso(ch.created_at);
    if (!created || !is_due(ch.frequency, *created, *slot)) continue;
    auto it = firms.find(ch.partner_id);
    if (it == firms.end()) {
      auto firm = dir.partner_by_id(ch.partner_id);
      if (!firm) continue;
      it = firms
               .emplace(ch.partner_id, std::pair{*firm, store::digest_feed(ctx.db).outstanding(
                                                            ch.partner_id, channel_detail_limit)})
               .first;
    }
    const auto make = [&] {
      store::outbound_message m;
      m.platform = ch.platform;
      m.workspace_id = ch.workspace_id;
      m.recipient_kind = store::recipient_kinds::channel;
      m.recipient = ch.channel_id;
      // A channel reads the firm digest in the language of the admin who subscribed it.
      const auto l = recipient_language(ctx, ch.created_by);
      auto v = channel_digest_view(it->second.first, catalogue_for(l), *slot, it->second.second);
      v.lang = l;
      m.payload = view_to_json(v);
      return m;
    };
    if (claim_and_enqueue(channel_subscriber_key(ch), make, {}))
      ++counts.channels;
    else
      ++counts.already_claimed;
  }
  flush();
  return counts;
}

} // namespace handlers
