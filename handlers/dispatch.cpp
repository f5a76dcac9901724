#include "handlers/dispatch.hpp"

#include "handlers/actions.hpp"
#include "handlers/client_card.hpp"
#include "handlers/clients_list.hpp"
#include "handlers/digest_settings.hpp"
#include "handlers/grammar.hpp"
#include "handlers/help.hpp"
#include "handlers/home.hpp"
#include "handlers/identity.hpp"
#include "handlers/language.hpp"
#include "handlers/reminders.hpp"
#include "handlers/replies.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/memo.hpp"

#include <optional>

namespace handlers {
namespace {

template <class... F> struct overloaded : F... { using F::operator()...; };
// Clang before 17 deduces no aggregate's arguments without it (the fuzzing build).
template <class... F> overloaded(F...) -> overloaded<F...>;

// Largest client id a control value may carry.
constexpr std::size_t max_id_bytes = 200;

bool plausible_id(std::string_view id) {
  if (id.empty() || id.size() > max_id_bytes) return false;
  for (char c : id)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  return true;
}

// Reminders go where a member last used the bot.
bool platform_moved(context& ctx, const caller& who) {
  // The command line has no platform: nothing to note.
  if (!who.member || who.chat.platform.empty()) return false;
  return store::directory{ctx.db}.last_platform(who.member->id) != who.chat.platform;
}

// Runs `answer` with the platform note: when the answer only reads, the
// note's read shares its snapshot (one set of SQLite locks per request, none
// when the connection's memo answers); the note's rare write comes after.
template <class Answer>
reply noting_platform(context& ctx, const caller& who, bool only_reads, Answer&& answer) {
  bool moved = false;
  bool new_locale = false;
  reply out;
  {
    std::optional<store::memo_or_snapshot> snapshot;
    if (only_reads) snapshot.emplace(ctx.db);
    moved = platform_moved(ctx, who);
    new_locale = locale_changed(ctx, who);
    out = answer();
  }
  if (moved) store::directory{ctx.db}.touch_last_platform(who.member->id, who.chat.platform);
  if (new_locale) note_locale(ctx, who);
  return out;
}

bool only_reads(const parsed_command& cmd) {
  return effect_of(command_text{cmd}) != command_effect::writes;
}

reply route(context& ctx, const caller& who, const parsed_command& cmd) {
  return std::visit(overloaded{
                        [&](const command::clients& c) {
                          return clients_command(ctx, who, c.tab, c.missing, c.descending);
                        },
                        [&](const command::search& c) { return search_command(ctx, who, c.text); },
                        [&](const command::missing&) { return missing_command(ctx, who); },
                        [&](const command::client& c) { return client_command(ctx, who, c.name); },
                        [&](const command::digest& c) {
                          return c.channel ? set_channel_digest(ctx, who, c.frequency)
                                           : set_client_digest(ctx, who, c.name, c.frequency);
                        },
                        [&](const command::digests&) { return list_digests(ctx, who); },
                        [&](const command::remind& c) { return remind_command(ctx, who, c.name); },
                        [&](const command::link& c) {
                          return c.user_id.empty() ? link_self(ctx, who, c.email)
                                                   : link_other(ctx, who, c.user_id, c.email);
                        },
                        [&](const command::help&) { return help_reply(who, texts_for(ctx, who)); },
                        [&](const command::home&) { return home_reply(ctx, who); },
                        [&](const command::language_setting& c) {
                          return language_command(ctx, who, {c.choice.empty(), parse_language(c.choice)});
                        },
                    },
                    cmd);
}

reply on_menu(context& ctx, const caller& who, std::string_view value) {
  const auto bar = value.find('|');
  if (bar == std::string_view::npos) return expired_reply(texts_for(ctx, who));
  const auto verb = value.substr(0, bar);
  const auto id = value.substr(bar + 1);
  if (!plausible_id(id)) return expired_reply(texts_for(ctx, who));
  if (verb == "open") return open_client(ctx, who, id, false);
  if (verb == "remind") return open_reminder_form(ctx, who, id);
  if (verb == "link") return reply{}; // the link opened in the browser
  return expired_reply(texts_for(ctx, who));
}

reply answer_action(context& ctx, const caller& who, const action& act) {
  if (act.action_id == actions::clients_page) {
    auto state = decode_list_state(act.value);
    if (!state) return expired_reply(texts_for(ctx, who));
    return clients_page_action(ctx, who, *state);
  }
  if (act.action_id == actions::client_menu) return on_menu(ctx, who, act.value);
  if (act.action_id == actions::client_open) {
    if (!plausible_id(act.value)) return expired_reply(texts_for(ctx, who));
    return open_client(ctx, who, act.value, true);
  }
  if (act.action_id == actions::digest_set) return on_digest_select(ctx, who, act);
  if (act.action_id == actions::reminder_open) {
    if (!plausible_id(act.value)) return expired_reply(texts_for(ctx, who));
    return open_reminder_form(ctx, who, act.value);
  }
  return expired_reply(texts_for(ctx, who));
}

} // namespace

command_effect effect_of(const command_text& parsed) {
  const auto* cmd = std::get_if<parsed_command>(&parsed);
  if (!cmd) return command_effect::reads;
  if (std::holds_alternative<command::clients>(*cmd) || std::holds_alternative<command::search>(*cmd) ||
      std::holds_alternative<command::missing>(*cmd))
    return command_effect::reads_client_data;
  if (std::holds_alternative<command::client>(*cmd) || std::holds_alternative<command::help>(*cmd) ||
      std::holds_alternative<command::home>(*cmd))
    return command_effect::reads;
  return command_effect::writes;
}

bool needs_profile(const command_text& parsed) {
  const auto* cmd = std::get_if<parsed_command>(&parsed);
  return cmd && std::holds_alternative<command::link>(*cmd);
}

reply on_command(context& ctx, const caller& who, std::string_view text) {
  return on_command(ctx, who, parse_command(text));
}

reply on_command(context& ctx, const caller& who, const command_text& parsed) {
  if (const auto* cmd = std::get_if<parsed_command>(&parsed)) {
    const bool open_to_all = std::holds_alternative<command::link>(*cmd) ||
                             std::holds_alternative<command::help>(*cmd) ||
                             std::holds_alternative<command::home>(*cmd);
    if (!who.member && !open_to_all) return unlinked_reply(who, texts_for(ctx, who));
    return noting_platform(ctx, who, only_reads(*cmd), [&] { return route(ctx, who, *cmd); });
  }
  const auto& t = texts_for(ctx, who);
  if (!who.member) return unlinked_reply(who, t);
  return grammar_error_reply(who, std::get<parse_error>(parsed).message(t), t);
}

void note_platform(context& ctx, const caller& who) {
  if (platform_moved(ctx, who))
    store::directory{ctx.db}.touch_last_platform(who.member->id, who.chat.platform);
  if (locale_changed(ctx, who)) note_locale(ctx, who);
}

reply on_action(context& ctx, const caller& who, const action& act) {
  if (act.action_id == actions::link) return reply{};
  if (!who.member) return unlinked_reply(who, texts_for(ctx, who));
  const bool reads = act.action_id == actions::clients_page || act.action_id == actions::client_open;
  return noting_platform(ctx, who, reads, [&] { return answer_action(ctx, who, act); });
}

reply on_submission(context& ctx, const caller& who, const submission& sub) {
  if (!who.member) return unlinked_reply(who, texts_for(ctx, who));
  return noting_platform(ctx, who, false, [&] {
    return sub.form_id == forms::reminder ? on_reminder_submission(ctx, who, sub)
                                          : expired_reply(texts_for(ctx, who));
  });
}

std::vector<std::string> members_written_to(context& ctx, const caller& who, const submission& sub) {
  if (!who.member || sub.form_id != forms::reminder) return {};
  return reminder_recipients(ctx, who, sub);
}

} // namespace handlers
