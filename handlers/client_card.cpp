#include "handlers/client_card.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "handlers/reminders.hpp"
#include "handlers/replies.hpp"
#include "handlers/resolve.hpp"
#include "store/clients.hpp"
#include "store/sync_state.hpp"

#include <chrono>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <optional>
#include <vector>

namespace handlers {
namespace {

constexpr int reminder_lines = 3;

std::string_view card_status_label(const catalogue& t, store::client_status s) {
  switch (s) {
  case store::client_status::invite:
    return t.card_status_invite;
  case store::client_status::onboarding:
    return t.status_onboarding;
  case store::client_status::active:
    return t.status_active;
  }
  return "";
}

// ---- Where the figures come from: one sentence each --------------------------

constexpr auto stale_after = std::chrono::hours(24);

// "12 (DKK 3.456,50)" once Pleo gave the queue's total.
std::string ready_for_export_text(const catalogue& t, const store::client& c,
                                  const std::optional<store::figures_origin>& origin) {
  std::string text = format_count(c.ready_for_export);
  if (!origin || !origin->from_pleo) return text;
  std::vector<std::string> parts;
  if (origin->ready_for_export_total) parts.push_back(format_money(*origin->ready_for_export_total));
  if (origin->ready_for_export_unpriced > 0)
    parts.push_back(
        say(t.export_unpriced, fmt::arg("count", format_count(origin->ready_for_export_unpriced))));
  if (!parts.empty()) text += fmt::format(" ({})", fmt::join(parts, "; "));
  return text;
}

// When the figures are from, whether Pleo answers, stale after 24 hours,
// and the balance's own date when Pleo supplied the rest.
std::string figures_note(const context& ctx, const catalogue& t, const store::client& c,
                         const std::optional<store::figures_origin>& origin) {
  const std::string synced_at = origin ? origin->synced_at : c.synced_at;
  if (synced_at.empty()) return {};
  const bool failing = origin && origin->sync && origin->sync->failing();
  const auto time = format_local_time(synced_at, t);
  std::string text = origin && (origin->from_pleo || failing) ? say(t.figures_from, fmt::arg("time", time))
                                                              : say(t.figures_as_of, fmt::arg("time", time));
  if (failing)
    text += ", " + say(t.pleo_unreachable_since,
                       fmt::arg("time", format_local_time(origin->sync->failing_since, t)));
  if (auto at = parse_iso(synced_at); at && ctx.now - *at > stale_after)
    text += " · " + std::string{t.figures_stale};
  if (origin && origin->from_pleo && !origin->balance_at.empty())
    text += " · " + say(t.balance_from_snapshot, fmt::arg("time", format_local_time(origin->balance_at, t)));
  return text;
}

} // namespace

view client_card_view(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c) {
  store::clients cl{ctx.db};
  const bool admin = viewer.role == store::role::admin;
  const auto origin = store::sync_states{ctx.db}.origin(c.id);

  view v;
  v.summary =
      say(t.card_summary, fmt::arg("client", c.name), fmt::arg("balance", format_money(c.wallet_balance)),
          fmt::arg("missing", format_count(c.missing_receipts)));
  v.blocks.push_back(header{c.name});
  v.blocks.push_back(fields{{
      {std::string{t.field_status}, std::string{card_status_label(t, c.status)}},
      {std::string{t.field_wallet_balance}, format_money(c.wallet_balance)},
      {std::string{t.field_missing_receipts}, format_count(c.missing_receipts)},
      {std::string{t.field_ready_for_export}, ready_for_export_text(t, c, origin)},
  }});

  std::string names;
  for (const auto& m : cl.bookkeepers(viewer, c.id)) {
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  v.blocks.push_back(section{
      std::string{t.card_bookkeepers}, names.empty() ? std::string{t.card_no_bookkeepers} : names, {}});
  if (auto text = figures_note(ctx, t, c, origin); !text.empty()) v.blocks.push_back(note{std::move(text)});

  action_row controls;
  button go;
  go.label = t.go_to_client;
  go.action_id = actions::link;
  go.value = c.id.size() <= 1900 ? c.id : std::string{};
  go.url = portal_link(ctx.settings.portal_url_template, c.id);
  go.style = button_style::primary;
  controls.controls.push_back(std::move(go));
  if (admin) {
    button notify;
    notify.label = t.notify_bookkeepers;
    notify.action_id = actions::reminder_open;
    notify.value = c.id;
    controls.controls.push_back(std::move(notify));
  }
  controls.controls.push_back(digest_control(ctx, t, viewer, c.id));
  v.blocks.push_back(std::move(controls));

  if (admin) {
    const auto lines = recent_reminder_lines(ctx, t, c.id, reminder_lines);
    if (!lines.empty()) {
      std::string text{t.card_last_reminders};
      for (const auto& line : lines)
        text += "\n" + line;
      v.blocks.push_back(note{text});
    }
  }
  return v;
}

reply client_command(context& ctx, const caller& who, std::string_view name) {
  const auto& t = texts_for(ctx, who);
  auto resolved = resolve_client(ctx, t, *who.member, name, actions::client_open);
  if (auto* r = std::get_if<reply>(&resolved)) return std::move(*r);
  return message_reply(client_card_view(ctx, t, *who.member, std::get<store::client>(resolved)));
}

reply open_client(context& ctx, const caller& who, std::string_view client_id, bool replace_original) {
  const auto& t = texts_for(ctx, who);
  if (client_id.empty() || client_id.size() > 200) return expired_reply(t);
  store::clients cl{ctx.db};
  auto c = cl.visible(*who.member, client_id);
  if (!c) return expired_reply(t);
  return message_reply(client_card_view(ctx, t, *who.member, *c), replace_original);
}

} // namespace handlers
