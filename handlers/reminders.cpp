#include "handlers/reminders.hpp"

#include "handlers/actions.hpp"
#include "handlers/format.hpp"
#include "handlers/language.hpp"
#include "handlers/reminder_confirmation.hpp"
#include "handlers/replies.hpp"
#include "handlers/resolve.hpp"
#include "handlers/view_json.hpp"
#include "store/clients.hpp"
#include "store/directory.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <map>
#include <optional>

namespace handlers {
namespace {

namespace json = boost::json;

constexpr std::size_t max_comment_chars = 1000;
// Form titles are capped at 24 characters by the strictest platform; longer
// names live in the note.
constexpr std::size_t max_title_chars = 24;

// The tasks an admin can tick, in the order the portal shows them.
struct task_kind {
  const char* value;
  std::string_view catalogue::*label;  // the form's checkbox and the DM's field
  std::string_view catalogue::*phrase; // in audit lines: "missing receipts, wallet balance"
};
constexpr std::array<task_kind, 3> task_kinds{{
    {"missing_receipts", &catalogue::task_missing_receipts, &catalogue::phrase_missing_receipts},
    {"wallet_balance", &catalogue::task_wallet_balance, &catalogue::phrase_wallet_balance},
    {"ready_for_export", &catalogue::task_ready_for_export, &catalogue::phrase_ready_for_export},
}};

const task_kind* find_task(std::string_view value) {
  for (const auto& t : task_kinds)
    if (value == t.value) return &t;
  return nullptr;
}

std::string task_figure(const task_kind& t, const store::client& c) {
  const std::string_view v = t.value;
  if (v == "missing_receipts") return format_count(c.missing_receipts);
  if (v == "wallet_balance") return format_money(c.wallet_balance);
  return format_count(c.ready_for_export);
}

// Characters as a user counts them (UTF-8 code points), not bytes.
std::size_t char_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string trimmed(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return std::string{s.substr(first, s.find_last_not_of(space) - first + 1)};
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
  return date::format("%FT%TZ", date::floor<std::chrono::seconds>(t));
}

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Why the caller may not use reminders, or nullopt when they may.
std::optional<std::string> refusal_for(const catalogue& t, const caller& who) {
  if (!who.member || who.member->partner_id != who.partner.id) return std::string{t.remind_not_linked};
  if (who.member->role != store::role::admin)
    return say(t.remind_admins_only, fmt::arg("firm", who.partner.name));
  return std::nullopt;
}

// The client if it belongs to the caller's firm and the caller may see it.
std::optional<store::client> admin_client(context& ctx, const caller& who, std::string_view client_id) {
  auto c = store::clients{ctx.db}.visible(*who.member, client_id);
  if (!c || c->partner_id != who.partner.id) return std::nullopt;
  return c;
}

std::vector<store::member> bookkeepers_except(context& ctx, std::string_view client_id,
                                              std::string_view sender_id) {
  auto all = store::clients{ctx.db}.bookkeepers(client_id);
  std::erase_if(all, [&](const store::member& m) { return m.id == sender_id; });
  return all;
}

std::string no_bookkeepers_text(const catalogue& t, const store::client& c) {
  return say(t.remind_no_bookkeepers, fmt::arg("client", c.name));
}
reply no_bookkeepers(const catalogue& t, const store::client& c) {
  return text_reply(no_bookkeepers_text(t, c));
}

// private_metadata: the client and the conversation the form was opened in.
struct form_state {
  std::string client_id;
  std::string conversation_id;
};

std::string encode_state(const form_state& s) {
  return json::serialize(json::object{{"client", s.client_id}, {"conversation", s.conversation_id}});
}

std::optional<form_state> decode_state(std::string_view text) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  const auto* client = o.if_contains("client");
  const auto* conversation = o.if_contains("conversation");
  if (!client || !client->is_string() || client->get_string().empty()) return std::nullopt;
  form_state s;
  s.client_id = client->get_string();
  if (conversation && conversation->is_string()) s.conversation_id = conversation->get_string();
  return s;
}

form reminder_form(const catalogue& t, const store::client& c, std::string_view conversation_id) {
  form f;
  f.id = forms::reminder;
  f.title = char_count(c.name) <= max_title_chars ? c.name : std::string{t.remind_form_title};
  f.submit_label = t.remind_send;
  f.close_label = t.form_cancel;
  f.private_metadata = encode_state({c.id, std::string{conversation_id}});
  f.inputs.push_back(note{say(t.remind_intro, fmt::arg("client", c.name))});
  checkbox_group tasks;
  tasks.id = forms::reminder_tasks;
  tasks.label = t.remind_tasks;
  for (const auto& k : task_kinds)
    tasks.options.push_back({fmt::format("{} ({})", t.*(k.label), task_figure(k, c)), k.value});
  f.inputs.push_back(std::move(tasks));
  text_input comment;
  comment.id = forms::reminder_comment;
  comment.label = t.remind_comment;
  comment.placeholder = t.remind_comment_placeholder;
  comment.multiline = true;
  comment.optional = true;
  comment.max_length = static_cast<int>(max_comment_chars);
  f.inputs.push_back(std::move(comment));
  return f;
}

// The DM each bookkeeper gets, in the bookkeeper's language.
view reminder_message(context& ctx, const catalogue& t, const store::member& sender, const store::client& c,
                      const std::vector<const task_kind*>& tasks, const std::string& comment) {
  std::vector<std::string_view> phrases;
  for (const auto* k : tasks)
    phrases.push_back(t.*(k->phrase));
  const auto from = fmt::arg("sender", sender.name);
  const auto client = fmt::arg("client", c.name);
  view v;
  v.summary =
      say(t.reminder_summary, from, client, fmt::arg("tasks", fmt::format("{}", fmt::join(phrases, ", "))));
  v.blocks.push_back(header{say(t.reminder_title, client)});
  v.blocks.push_back(section{"", say(t.reminder_text, from, client), {}});
  fields figures;
  for (const auto* k : tasks)
    figures.items.push_back({std::string{t.*(k->label)}, task_figure(*k, c)});
  v.blocks.push_back(std::move(figures));
  if (!comment.empty()) v.blocks.push_back(section{say(t.reminder_comment_from, from), comment, {}});
  button go;
  go.label = t.go_to_client;
  go.url = portal_link(ctx.settings.portal_url_template, c.id);
  go.style = button_style::primary;
  v.blocks.push_back(action_row{{go}});
  if (!c.synced_at.empty())
    v.blocks.push_back(note{say(t.figures_as_of, fmt::arg("time", format_local_time(c.synced_at, t)))});
  return v;
}

struct delivery {
  store::member member;
  std::optional<store::chat_identity> identity; // nullopt: unreachable
};

// Where a bookkeeper gets the DM: where they last used the bot, else the
// sender's platform, else any platform they are linked on.
std::optional<store::chat_identity> dm_identity(store::directory& dir, const store::member& m,
                                                std::string_view sender_platform) {
  auto identities = dir.identities_of(m.id);
  const auto on = [&](std::string_view platform) -> std::optional<store::chat_identity> {
    for (auto& id : identities)
      if (id.platform == platform) return id;
    return std::nullopt;
  };
  if (auto last = dir.last_platform(m.id))
    if (auto id = on(*last)) return id;
  if (auto id = on(sender_platform)) return id;
  if (!identities.empty()) return identities.front();
  return std::nullopt;
}

// A message for the caller alone where they opened the form (a DM when the
// form came from nowhere the bot can post).
store::outbound_message notice_to(const caller& who, const std::string& conversation_id, const view& message,
                                  std::string idempotency_key) {
  store::outbound_message m;
  m.idempotency_key = std::move(idempotency_key);
  m.platform = who.chat.platform;
  m.workspace_id = who.chat.workspace_id;
  m.recipient_kind =
      conversation_id.empty() ? store::recipient_kinds::user : store::recipient_kinds::in_channel_private;
  m.recipient = conversation_id.empty() ? who.chat.user_id
                                        : store::address_pair{conversation_id, who.chat.user_id}.str();
  m.member_id = who.member->id;
  m.payload = view_to_json(message);
  m.origin = std::string(reminder_confirmation_origin);
  return m;
}

} // namespace

reply remind_command(context& ctx, const caller& who, std::string_view name) {
  const auto& t = texts_for(ctx, who);
  if (auto refusal = refusal_for(t, who)) return text_reply(*refusal);
  auto resolved = resolve_client(ctx, t, *who.member, name, actions::reminder_open);
  if (auto* r = std::get_if<reply>(&resolved)) return std::move(*r);
  return open_reminder_form(ctx, who, std::get<store::client>(resolved).id);
}

reply open_reminder_form(context& ctx, const caller& who, std::string_view client_id) {
  const auto& t = texts_for(ctx, who);
  if (auto refusal = refusal_for(t, who)) return text_reply(*refusal);
  auto c = admin_client(ctx, who, client_id);
  if (!c) return text_reply(t.remind_client_unavailable);
  if (bookkeepers_except(ctx, c->id, who.member->id).empty()) return no_bookkeepers(t, *c);
  reply r;
  r.open_form = reminder_form(t, *c, who.chat.conversation_id);
  return r;
}

reply on_reminder_submission(context& ctx, const caller& who, const submission& sub) {
  // Everything is checked again: the form may be stale or forged.
  const auto& t = texts_for(ctx, who);
  reply refused;
  if (auto refusal = refusal_for(t, who)) {
    refused.form_errors[forms::reminder_tasks] = *refusal;
    return refused;
  }
  const auto state = decode_state(sub.private_metadata);
  const auto c = state ? admin_client(ctx, who, state->client_id) : std::nullopt;
  if (!c) {
    refused.form_errors[forms::reminder_tasks] = t.remind_form_unavailable;
    return refused;
  }

  std::vector<const task_kind*> tasks;
  std::vector<std::string> unknown;
  if (auto it = sub.values.find(forms::reminder_tasks); it != sub.values.end()) {
    for (const auto& value : it->second) {
      const auto* k = find_task(value);
      if (!k)
        unknown.push_back(value);
      else if (std::find(tasks.begin(), tasks.end(), k) == tasks.end())
        tasks.push_back(k);
    }
  }
  // Keep the portal's order whatever order the platform sent them in.
  std::sort(tasks.begin(), tasks.end());
  std::string comment;
  if (auto it = sub.values.find(forms::reminder_comment); it != sub.values.end() && !it->second.empty())
    comment = trimmed(it->second.front());

  reply invalid;
  if (!unknown.empty())
    invalid.form_errors[forms::reminder_tasks] =
        say(t.remind_unknown_task, fmt::arg("tasks", fmt::format("{}", fmt::join(unknown, ", "))));
  else if (tasks.empty())
    invalid.form_errors[forms::reminder_tasks] = t.remind_choose_task;
  if (const auto n = char_count(comment); n > max_comment_chars)
    invalid.form_errors[forms::reminder_comment] =
        say(t.remind_comment_too_long, fmt::arg("max", format_count(static_cast<int>(max_comment_chars))),
            fmt::arg("count", format_count(static_cast<int>(n))));
  if (!invalid.form_errors.empty()) return invalid;

  store::transaction tx{ctx.db};
  store::directory dir{ctx.db};
  std::vector<delivery> deliveries;
  for (auto& m : bookkeepers_except(ctx, c->id, who.member->id)) {
    auto identity = dm_identity(dir, m, who.chat.platform);
    deliveries.push_back({std::move(m), std::move(identity)});
  }
  if (deliveries.empty()) {
    // Unassigned since the form opened: the form says so and stays open.
    reply r;
    r.form_errors[forms::reminder_tasks] = no_bookkeepers_text(t, *c);
    return r;
  }

  store::reminder record;
  record.partner_id = who.partner.id;
  record.client_id = c->id;
  record.sender_member_id = who.member->id;
  record.sender_name = who.member->name;
  record.created_at = iso_utc(ctx.now);
  for (const auto* k : tasks)
    record.tasks.emplace_back(k->value);
  record.comment = comment;
  for (const auto& d : deliveries)
    record.recipients.push_back(
        {d.member.id, d.member.name, d.identity ? "queued" : "unreachable: no chat identity"});

  // A platform that retries a submission reuses its id; without one, nothing to deduplicate on.
  const std::string key = sub.submission_id.empty()
                              ? fmt::format("{}:{}:{}", who.member->id, c->id, epoch_ms(ctx.now))
                              : sub.submission_id;
  const auto id = store::reminders{ctx.db}.record(record, key);
  if (!id) return reply{}; // already sent, confirmation included; the transaction rolls back

  const std::string origin = fmt::format("{}{}", reminder_origin_prefix, *id);
  // Each bookkeeper reads it in their own language, whatever the sender's.
  std::map<language, std::string> payloads;
  const auto payload_for = [&](language l) -> const std::string& {
    auto it = payloads.find(l);
    if (it == payloads.end()) {
      auto v = reminder_message(ctx, catalogue_for(l), *who.member, *c, tasks, comment);
      v.lang = l;
      it = payloads.emplace(l, view_to_json(v)).first;
    }
    return it->second;
  };
  store::outbox box{ctx.db};
  for (const auto& d : deliveries) {
    if (!d.identity) continue;
    store::outbound_message m;
    m.idempotency_key = reminder_dm_key(*id, d.member.id);
    m.platform = d.identity->platform;
    m.workspace_id = d.identity->workspace_id;
    m.recipient_kind = store::recipient_kinds::user;
    m.recipient = d.identity->user_id;
    m.member_id = d.member.id;
    m.payload = payload_for(recipient_language(ctx, d.member.id));
    m.origin = origin;
    box.enqueue(m, epoch_ms(ctx.now));
  }
  // The confirmation is an outbound message like the DMs: in the same
  // transaction, so a retried submission confirms once and a restart loses
  // nothing. It is held until the DMs are delivered (see held_confirmation),
  // unless none was sent.
  std::vector<recipient_outcome> outcomes;
  for (const auto& d : deliveries)
    outcomes.push_back({d.member.name, d.identity ? reach::on_its_way : reach::not_linked,
                        d.identity ? d.identity->platform : std::string{}});
  const bool any_sent =
      std::any_of(deliveries.begin(), deliveries.end(), [](const auto& d) { return d.identity.has_value(); });
  auto notice = notice_to(who, state->conversation_id, reminder_confirmation_view(t, c->name, outcomes),
                          reminder_confirmation_key(*id));
  if (any_sent) {
    notice.payload = encode_held({reply_language(ctx, who), c->name});
    box.enqueue_held(notice, epoch_ms(ctx.now));
  } else {
    box.enqueue(notice, epoch_ms(ctx.now));
  }
  tx.commit();
  ctx.outbox_wakeup();
  return reply{};
}

std::vector<std::string> reminder_recipients(context& ctx, const caller& who, const submission& sub) {
  std::vector<std::string> ids;
  if (!who.member || who.member->partner_id != who.partner.id || who.member->role != store::role::admin)
    return ids;
  const auto state = decode_state(sub.private_metadata);
  const auto c = state ? admin_client(ctx, who, state->client_id) : std::nullopt;
  if (!c) return ids;
  for (const auto& m : bookkeepers_except(ctx, c->id, who.member->id))
    ids.push_back(m.id);
  return ids;
}

std::vector<std::string> recent_reminder_lines(context& ctx, const catalogue& t, std::string_view client_id,
                                               int limit) {
  std::vector<std::string> lines;
  for (const auto& r : store::reminders{ctx.db}.latest_for_client(client_id, limit)) {
    std::vector<std::string_view> phrases;
    for (const auto& value : r.tasks)
      if (const auto* k = find_task(value)) phrases.push_back(t.*(k->phrase));
    const auto notified = std::count_if(r.recipients.begin(), r.recipients.end(), [](const auto& x) {
      return x.outcome == "queued" || x.outcome == "sent";
    });
    const auto missed = static_cast<std::ptrdiff_t>(r.recipients.size()) - notified;
    std::string counts = say(t.reminder_notified, fmt::arg("count", notified));
    if (missed > 0) counts += ", " + say(t.reminder_not_reached, fmt::arg("count", missed));
    lines.push_back(fmt::format("{} \u2014 {}: {} ({})", format_local_time(r.created_at, t, ctx.now),
                                r.sender_name, fmt::join(phrases, ", "), counts));
  }
  return lines;
}

} // namespace handlers
