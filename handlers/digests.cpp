#include "handlers/digests.hpp"

#include "handlers/actions.hpp"
#include "handlers/format.hpp"
#include "handlers/view_json.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/subscriptions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

namespace handlers {
namespace {

std::int64_t epoch_ms(instant t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string plural(std::int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", format_count(n), n == 1 ? one : many);
}

bool has_outstanding(const store::client& c) { return c.missing_receipts > 0 || c.ready_for_export > 0; }

std::string work_line(const store::client& c) {
  return plural(c.missing_receipts, "missing receipt", "missing receipts") + " · " +
         format_count(c.ready_for_export) + " ready for export";
}

// "A, B and C" with at most `shown` names, then "and N more".
std::string name_list(const std::vector<const store::client*>& cs, std::size_t shown) {
  std::string out;
  const auto n = std::min(shown, cs.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n && n == cs.size()) ? " and " : ", ";
    out += cs[i]->name;
  }
  if (cs.size() > n) out += fmt::format(" and {} more", cs.size() - n);
  return out;
}

std::string latest_sync(const std::vector<store::client>& cs) {
  std::string latest;
  for (const auto& c : cs) latest = std::max(latest, c.synced_at);
  return latest;
}

std::string slot_day(slot_time slot) {
  // "Monday 30 Nov 2026 at 10:00 (Copenhagen)" -> "Monday 30 Nov 2026"
  auto text = describe_slot(slot);
  if (auto at = text.find(" at "); at != std::string::npos) text.resize(at);
  return text;
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

view member_digest_view(const settings& cfg, slot_time slot, const std::vector<store::client>& due_clients) {
  std::vector<const store::client*> busy, quiet;
  std::int64_t missing = 0, ready = 0;
  for (const auto& c : due_clients) {
    (has_outstanding(c) ? busy : quiet).push_back(&c);
    missing += c.missing_receipts;
    ready += c.ready_for_export;
  }

  view v;
  v.blocks.push_back(header{"Your Pleo digest"});
  std::string small = slot_day(slot);
  if (auto synced = latest_sync(due_clients); !synced.empty())
    small += " · figures as of " + format_local_time(synced);
  v.blocks.push_back(note{small});

  if (busy.empty()) {
    v.summary = "Pleo digest: all clear";
    v.blocks.push_back(section{"", fmt::format("All clear: no missing receipts and nothing ready for export for {}.",
                                               name_list(quiet, 10)),
                               {}});
    return v;
  }

  v.summary = fmt::format("Pleo digest: {} and {} ready for export across {}",
                          plural(missing, "missing receipt", "missing receipts"), format_count(ready),
                          plural(static_cast<std::int64_t>(busy.size()), "client", "clients"));
  const auto shown = std::min<std::size_t>(busy.size(), dm_detail_limit);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& c = *busy[i];
    v.blocks.push_back(section{c.name, "Balance " + format_money(c.wallet_balance) + "\n" + work_line(c),
                               button{"Open", actions::client_open, c.id, "", button_style::plain}});
    v.blocks.push_back(
        action_row{{button{"Go to client", "", "", portal_link(cfg.portal_url_template, c.id), button_style::plain}}});
  }
  if (busy.size() > shown)
    v.blocks.push_back(note{fmt::format("and {} more with outstanding work: run `missing` to see them all",
                                        busy.size() - shown)});
  if (!quiet.empty())
    v.blocks.push_back(section{"", "Nothing outstanding for " + name_list(quiet, 10) + ".", {}});
  return v;
}

view channel_digest_view(const store::partner& firm, slot_time slot, const store::firm_outstanding& work) {
  view v;
  v.blocks.push_back(header{firm.name + ": firm digest"});
  if (work.clients == 0) {
    v.summary = "Firm digest: all clear";
    v.blocks.push_back(note{slot_day(slot)});
    v.blocks.push_back(section{"", "All clear: no client has missing receipts or expenses ready for export.", {}});
    return v;
  }
  v.summary = fmt::format("Firm digest: {} with outstanding work, {}, {} ready for export",
                          plural(work.clients, "client", "clients"),
                          plural(work.missing_receipts, "missing receipt", "missing receipts"),
                          format_count(work.ready_for_export));
  v.blocks.push_back(note{slot_day(slot) + " · most missing receipts first"});
  v.blocks.push_back(fields{{{"Clients with outstanding work", format_count(work.clients)},
                             {"Missing receipts", format_count(work.missing_receipts)},
                             {"Ready for export", format_count(work.ready_for_export)}}});
  // Ten lines a section keeps each well inside the platforms' text limits.
  const auto shown = std::min<std::size_t>(work.top.size(), channel_detail_limit);
  for (std::size_t i = 0; i < shown; i += 10) {
    std::string text;
    for (std::size_t j = i; j < std::min(shown, i + 10); ++j) {
      if (!text.empty()) text += '\n';
      text += work.top[j].name + ": " + work_line(work.top[j]);
    }
    v.blocks.push_back(section{"", text, {}});
  }
  if (static_cast<std::size_t>(work.clients) > shown)
    v.blocks.push_back(note{fmt::format("and {} more", static_cast<std::size_t>(work.clients) - shown)});
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
  const auto claim_and_enqueue = [&](const std::string& subscriber, const auto& make, std::string_view failure) {
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
        m.payload = view_to_json(member_digest_view(ctx.settings, *slot, due));
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
      it = firms.emplace(ch.partner_id, std::pair{*firm, store::digest_feed(ctx.db).outstanding(ch.partner_id,
                                                                                          channel_detail_limit)})
               .first;
    }
    const auto make = [&] {
      store::outbound_message m;
      m.platform = ch.platform;
      m.workspace_id = ch.workspace_id;
      m.recipient_kind = store::recipient_kinds::channel;
      m.recipient = ch.channel_id;
      m.payload = view_to_json(channel_digest_view(it->second.first, *slot, it->second.second));
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
