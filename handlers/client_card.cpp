#include "handlers/client_card.hpp"

#include "handlers/actions.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "handlers/reminders.hpp"
#include "handlers/resolve.hpp"
#include "store/clients.hpp"

namespace handlers {
namespace {

constexpr int reminder_lines = 3;

std::string_view status_label(const catalogue& t, store::client_status s) {
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

} // namespace

view client_card_view(context& ctx, const catalogue& t, const store::member& viewer, const store::client& c) {
  store::clients cl{ctx.db};
  const bool admin = viewer.role == store::role::admin;

  view v;
  v.summary =
      say(t.card_summary, fmt::arg("client", c.name), fmt::arg("balance", format_money(c.wallet_balance)),
          fmt::arg("missing", format_count(c.missing_receipts)));
  v.blocks.push_back(header{clip(c.name, 150)});
  v.blocks.push_back(fields{{
      {std::string{t.field_status}, std::string{status_label(t, c.status)}},
      {std::string{t.field_wallet_balance}, format_money(c.wallet_balance)},
      {std::string{t.field_missing_receipts}, format_count(c.missing_receipts)},
      {std::string{t.field_ready_for_export}, format_count(c.ready_for_export)},
  }});

  std::string names;
  for (const auto& m : cl.bookkeepers(viewer, c.id)) {
    if (!names.empty()) names += ", ";
    names += m.name;
  }
  v.blocks.push_back(section{std::string{t.card_bookkeepers},
                             clip(names.empty() ? std::string{t.card_no_bookkeepers} : names, 2900),
                             {}});
  if (!c.synced_at.empty())
    v.blocks.push_back(note{say(t.figures_as_of, fmt::arg("time", format_local_time(c.synced_at, t)))});

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
      for (const auto& line : lines) text += "\n" + line;
      v.blocks.push_back(note{clip(text, 3000)});
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
