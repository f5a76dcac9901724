#include "handlers/client_card.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/format.hpp"
#include "handlers/replies.hpp"
#include "handlers/reminders.hpp"
#include "handlers/resolve.hpp"
#include "store/clients.hpp"

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

} // namespace

view client_card_view(context& ctx, const store::member& viewer, const store::client& c) {
  store::clients cl{ctx.db};
  const bool admin = viewer.role == store::role::admin;

  view v;
  v.summary = c.name + ": " + format_money(c.wallet_balance) + ", " + format_count(c.missing_receipts) +
              " missing receipts";
  v.blocks.push_back(header{clip(c.name, 150)});
  v.blocks.push_back(fields{{
      {"Status", status_label(c.status)},
      {"Wallet balance", format_money(c.wallet_balance)},
      {"Missing receipts", format_count(c.missing_receipts)},
      {"Ready for export", format_count(c.ready_for_export)},
  }});

  std::string names;
  for (const auto& m : cl.bookkeepers(viewer, c.id)) {
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  v.blocks.push_back(section{"Bookkeepers", clip(names.empty() ? "No one is assigned yet." : names, 2900), {}});
  if (!c.synced_at.empty())
    v.blocks.push_back(note{"Figures as of " + format_local_time(c.synced_at) + " (Copenhagen time)"});

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
