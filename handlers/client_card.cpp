#include "handlers/client_card.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/format.hpp"
#include "handlers/replies.hpp"
#include "handlers/reminders.hpp"
#include "handlers/resolve.hpp"
#include "store/clients.hpp"
#include "store/sync_state.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <optional>
#include <vector>

namespace handlers {
namespace {

constexpr int reminder_lines = 3;

std::string status_label(store::client_status s) {
  switch (s) {
  case store::client_status::invite: return "Invite (not accepted yet)";
  case store::client_status::onboarding: return "Onboarding";
  case store::client_status::active: return "Active";
  }
  return "";
}

// ---- Where the figures come from: one sentence each --------------------------

constexpr auto stale_after = std::chrono::hours(24);

std::string figures_as_of_text(std::string_view when) {
  return fmt::format("Figures as of {} (Copenhagen time)", when);
}
std::string figures_from_text(std::string_view when) {
  return fmt::format("Figures from {} (Copenhagen time)", when);
}
std::string pleo_unreachable_text(std::string_view since) {
  return fmt::format("Pleo not reachable since {}", since);
}
std::string stale_text() {
  return "stale: older than 24 hours";
}
std::string balance_from_snapshot_text(std::string_view when) {
  return fmt::format("wallet balance from the firm's snapshot of {}", when);
}
std::string unpriced_text(int n) {
  return fmt::format("{} without an amount", format_count(n));
}

// "12 (DKK 3.456,50)" once Pleo gave the queue's total.
std::string ready_for_export_text(const store::client& c,
                                  const std::optional<store::figures_origin>& origin) {
  std::string text = format_count(c.ready_for_export);
  if (!origin || !origin->from_pleo) return text;
  std::vector<std::string> parts;
  if (origin->ready_for_export_total) parts.push_back(format_money(*origin->ready_for_export_total));
  if (origin->ready_for_export_unpriced > 0)
    parts.push_back(unpriced_text(origin->ready_for_export_unpriced));
  if (!parts.empty()) text += fmt::format(" ({})", fmt::join(parts, "; "));
  return text;
}

// When the figures are from, whether Pleo answers, stale after 24 hours,
// and the balance's own date when Pleo supplied the rest.
std::string figures_note(const context& ctx, const store::client& c,
                         const std::optional<store::figures_origin>& origin) {
  const std::string synced_at = origin ? origin->synced_at : c.synced_at;
  if (synced_at.empty()) return {};
  const bool failing = origin && origin->sync && origin->sync->failing();
  std::string text = origin && (origin->from_pleo || failing)
                         ? figures_from_text(format_local_time(synced_at))
                         : figures_as_of_text(format_local_time(synced_at));
  if (failing) text += ", " + pleo_unreachable_text(format_local_time(origin->sync->failing_since));
  if (auto at = parse_iso(synced_at); at && ctx.now - *at > stale_after) text += " · " + stale_text();
  if (origin && origin->from_pleo && !origin->balance_at.empty())
    text += " · " + balance_from_snapshot_text(format_local_time(origin->balance_at));
  return text;
}

} // namespace

view client_card_view(context& ctx, const store::member& viewer, const store::client& c) {
  store::clients cl{ctx.db};
  const bool admin = viewer.role == store::role::admin;
  const auto origin = store::sync_states{ctx.db}.origin(c.id);

  view v;
  v.summary = c.name + ": " + format_money(c.wallet_balance) + ", " + format_count(c.missing_receipts) +
              " missing receipts";
  v.blocks.push_back(header{clip(c.name, 150)});
  v.blocks.push_back(fields{{
      {"Status", status_label(c.status)},
      {"Wallet balance", format_money(c.wallet_balance)},
      {"Missing receipts", format_count(c.missing_receipts)},
      {"Ready for export", ready_for_export_text(c, origin)},
  }});

  std::string names;
  for (const auto& m : cl.bookkeepers(viewer, c.id)) {
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  v.blocks.push_back(section{"Bookkeepers", clip(names.empty() ? "No one is assigned yet." : names, 2900), {}});
  if (auto text = figures_note(ctx, c, origin); !text.empty()) v.blocks.push_back(note{std::move(text)});

  action_row controls;
  button go;
  go.label = "Go to client";
  go.action_id = actions::link;
  go.value = c.id.size() <= 1900 ? c.id : std::string{};
  go.url = portal_link(ctx.settings.portal_url_template, c.id);
  go.style = button_style::primary;
  controls.controls.push_back(std::move(go));
  if (admin) {
    button notify;
    notify.label = "Notify the bookkeepers";
    notify.action_id = actions::reminder_open;
    notify.value = c.id;
    controls.controls.push_back(std::move(notify));
  }
  controls.controls.push_back(digest_control(ctx, viewer, c.id));
  v.blocks.push_back(std::move(controls));

  if (admin) {
    const auto lines = recent_reminder_lines(ctx, c.id, reminder_lines);
    if (!lines.empty()) {
      std::string text = "Last reminders:";
      for (const auto& line : lines) text += "\n" + line;
      v.blocks.push_back(note{clip(text, 3000)});
    }
  }
  return v;
}

reply client_command(context& ctx, const caller& who, std::string_view name) {
  auto resolved = resolve_client(ctx, *who.member, name, actions::client_open);
  if (auto* r = std::get_if<reply>(&resolved)) return std::move(*r);
  return message_reply(client_card_view(ctx, *who.member, std::get<store::client>(resolved)));
}

reply open_client(context& ctx, const caller& who, std::string_view client_id, bool replace_original) {
  if (client_id.empty() || client_id.size() > 200) return expired_reply();
  store::clients cl{ctx.db};
  auto c = cl.visible(*who.member, client_id);
  if (!c) return expired_reply();
  return message_reply(client_card_view(ctx, *who.member, *c), replace_original);
}

} // namespace handlers
