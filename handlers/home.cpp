#include "handlers/home.hpp"

#include "handlers/actions.hpp"
#include "handlers/clients_list.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/format.hpp"
#include "handlers/identity.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "store/clients.hpp"
#include "store/digest_feed.hpp"

namespace handlers {

namespace {

// The missing-receipts list every Notify-the-bookkeepers entry opens.
list_state home_missing_state() {
  list_state s;
  s.tab = std::nullopt;
  s.missing_only = true;
  s.most_missing_first = true;
  return s;
}

void append_blocks(view& to, const view& from) {
  for (const auto& b : from.blocks)
    to.blocks.push_back(b);
}

} // namespace

view home_view(context& ctx, const caller& who) {
  const auto& t = texts_for(ctx, who);
  if (!who.member) {
    auto v = *unlinked_reply(who, t).message;
    v.blocks.insert(v.blocks.begin(), header{"partnerbot"});
    return v;
  }
  const auto& me = *who.member;
  view v;
  v.summary = std::string{t.home_summary};
  v.blocks.push_back(header{say(t.home_title, fmt::arg("name", me.name))});

  // The clients that need attention.
  store::clients clients(ctx.db);
  store::list_query q;
  q.every_visible = true;
  q.missing_only = true;
  q.most_missing_first = true;
  q.limit = home_clients;
  const auto page = clients.list(me, q);
  v.blocks.push_back(section{std::string{t.home_attention_title}, {}, {}});
  if (page.rows.empty()) v.blocks.push_back(section{"", std::string{t.home_attention_none}, {}});
  for (const auto& c : page.rows)
    v.blocks.push_back(client_row(ctx, t, me, c));
  if (page.total > static_cast<int>(page.rows.size()))
    v.blocks.push_back(
        note{say(t.home_attention_more,
                 fmt::arg("count", format_count(page.total - static_cast<int>(page.rows.size()))))});

  // Digest subscriptions, with their controls.
  v.blocks.push_back(divider{});
  if (auto digests = list_digests(ctx, who).message) append_blocks(v, *digests);

  // The reply language.
  v.blocks.push_back(divider{});
  const auto now = reply_language(ctx, who);
  v.blocks.push_back(
      section{"",
              say(t.home_language,
                  fmt::arg("language", now == language::da ? t.language_name_da : t.language_name_en)),
              {}});

  // The firm as a whole, for admins.
  if (me.role == store::role::admin) {
    store::list_query all_missing = q;
    all_missing.limit = 1;
    const auto missing = clients.list(me, all_missing).total;
    const auto outstanding = store::digest_feed(ctx.db).outstanding(who.partner.id, 0);
    v.blocks.push_back(divider{});
    button notify;
    notify.label = std::string{t.notify_bookkeepers};
    notify.action_id = actions::clients_page;
    notify.value = encode_list_state(home_missing_state());
    v.blocks.push_back(
        section{say(t.home_firm_title, fmt::arg("firm", who.partner.name)),
                say(t.home_firm_missing, fmt::arg("count", format_count(missing))) + "\n" +
                    say(t.home_firm_ready, fmt::arg("count", format_count(outstanding.ready_for_export))),
                notify});
  }
  return v;
}

reply home_reply(context& ctx, const caller& who) {
  return message_reply(home_view(ctx, who));
}

} // namespace handlers
