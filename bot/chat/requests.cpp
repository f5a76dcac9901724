#include "bot/chat/requests.hpp"

#include "handlers/dispatch.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "handlers/view_json.hpp"
#include "store/directory.hpp"
#include "store/memo.hpp"
#include "store/outbox.hpp"
#include "store/read_model.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <spdlog/spdlog.h>

namespace bot {

namespace asio = boost::asio;
using asio::awaitable;

namespace {

template <class... F> struct overloaded : F... { using F::operator()...; };
// Clang before 17 deduces no aggregate's arguments without it (the fuzzing build).
template <class... F> overloaded(F...) -> overloaded<F...>;

std::int64_t epoch_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

chat_answer answer_with(chat_answer::status state, handlers::reply reply, handlers::language language) {
  chat_answer a;
  a.state = state;
  a.reply = std::move(reply);
  a.language = language;
  if (a.reply.message) a.reply.message->lang = language;
  return a;
}

// The command line has no platform to read locales from; a generous bound all the same.
constexpr std::chrono::milliseconds answer_now_locale_wait{5000};

// The caller for a request: by workspace and chat user, or (the command
// line, which has the database file and so every right) by e-mail alone.
std::optional<store::directory::caller> find_caller(store::database& db, const handlers::chat_user& from) {
  store::directory dir(db);
  if (!from.platform.empty()) return dir.caller_of(from.platform, from.workspace_id, from.user_id);
  auto members = dir.members_with_email(from.profile_email);
  if (members.size() != 1) return std::nullopt;
  auto firm = dir.partner_by_id(members.front().partner_id);
  if (!firm) return std::nullopt;
  return store::directory::caller{std::move(*firm), std::move(members.front())};
}

// An unlinked chat user whose profile e-mail is a member's is linked to it,
// unless another user of that workspace already holds the member.
void link_by_profile_email(store::database& db, handlers::caller& who) {
  store::directory dir(db);
  // The profile lookup suspended: another request may have linked meanwhile.
  who.member = dir.member_for_identity(who.chat.platform, who.chat.workspace_id, who.chat.user_id);
  if (who.member) return;
  auto candidate = dir.member_by_email(who.partner.id, who.chat.profile_email);
  if (!candidate) return;
  const store::chat_identity identity{who.chat.platform, who.chat.workspace_id, who.chat.user_id,
                                      candidate->id};
  const auto result = dir.link(identity);
  if (result == store::link_result::member_taken) return;
  if (result == store::link_result::linked) dir.record_link(identity, candidate->id);
  who.member = std::move(candidate);
  spdlog::info("{} user {} linked to member {} by profile e-mail", who.chat.platform,
               text::escape_for_log(who.chat.user_id), who.member->id);
}

} // namespace

chat_requests::chat_requests(asio::io_context& io, store_thread& store, background& follow_ups,
                             const handlers::settings& settings, std::function<void()> outbox_wakeup,
                             clock_fn clock, options opts)
    : io_(io), store_(store), follow_ups_(follow_ups), settings_(settings),
      outbox_wakeup_(std::move(outbox_wakeup)), clock_(std::move(clock)), options_(opts),
      answers_(opts.answer_cache_bytes) {}

awaitable<chat_answer> chat_requests::answer(chat_platform& platform, chat_request request,
                                             std::chrono::milliseconds deadline) {
  // The work runs on its own, so that it can finish (and send its answer
  // as a message) after this request has been answered.
  struct pending {
    explicit pending(asio::io_context& io) : wake(io) {}
    asio::steady_timer wake;
    std::optional<chat_answer> result;
    bool waiting = true;
  };
  auto state = std::make_shared<pending>(io_);
  auto req = std::make_shared<const chat_request>(std::move(request));
  state->wake.expires_after(deadline);
  // The caller's unknown locale is waited for within part of the deadline,
  // leaving the rest for the answer itself.
  const auto locale_wait = deadline / 2;
  follow_ups_.spawn([this, &platform, state, req, locale_wait]() -> awaitable<void> {
    auto a = co_await work(platform, *req, locale_wait);
    if (state->waiting) {
      state->result = std::move(a);
      state->wake.cancel();
      co_return;
    }
    if (auto message = a.take_message()) {
      co_await send_later(platform, *req, std::move(*message), false);
    } else if (a.reply.open_form) {
      // The platform's permission to open a form has expired by now.
      co_await send_later(
          platform, *req,
          std::move(*handlers::expired_reply(handlers::texts_for(settings_, req->from)).message), false);
    } else if (!a.reply.form_errors.empty()) {
      spdlog::warn("request {}: form errors came too late to show", req->request_id);
    }
  });
  boost::system::error_code ec;
  co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  state->waiting = false;
  if (state->result) co_return std::move(*state->result);
  spdlog::info("request {}: answer on its way after {} ms", req->request_id, deadline.count());
  co_return answer_with(chat_answer::status::on_its_way,
                        handlers::on_its_way_reply(handlers::texts_for(settings_, req->from)),
                        handlers::request_language(settings_, req->from));
}

awaitable<chat_answer> chat_requests::answer_now(chat_platform& platform, chat_request request) {
  co_return co_await work(platform, request, answer_now_locale_wait);
}

awaitable<chat_answer> chat_requests::work(chat_platform& platform, const chat_request& request,
                                           std::chrono::milliseconds locale_wait) {
  bool failed = false;
  chat_answer a;
  try {
    const auto& from = request.from;
    // Typed text is parsed once, here.
    std::optional<handlers::command_text> command;
    if (const auto* text = std::get_if<std::string>(&request.what)) command = handlers::parse_command(*text);

    // The chat profile is read for an unlinked user (to link them by its
    // e-mail) and for `link` (whose own-e-mail rule checks it).
    const auto wants_profile = [&](const handlers::caller& who) {
      return (!who.member || (command && handlers::needs_profile(*command))) &&
             who.chat.profile_email.empty() && !from.platform.empty();
    };
    const bool asks_for_locales = !from.platform.empty() && platform.asks_for_locales();
    // One trip to the store thread when nothing is to be read from the
    // platform first (nearly every request): the caller is found and
    // answered there at once.
    struct first_trip {
      std::optional<handlers::caller> caller; // found, and waiting for the profile or locales
      std::optional<chat_answer> answer;      // or already answered
      bool profile = false;                   // the caller's profile is to be read first
      std::vector<store::locale_due> locales; // to read before answering
      std::vector<store::locale_due> behind;  // to read behind the answer
    };
    auto trip = co_await store_.run([&](store::database& db) {
      first_trip out;
      auto found = find_caller(db, from);
      if (!found) return out;
      handlers::caller who{from, std::move(found->firm), std::move(found->linked)};
      out.profile = wants_profile(who);
      if (asks_for_locales) {
        handlers::context ctx{db, settings_, clock_()};
        // The caller's own: waited for when unknown (the first answer), else
        // read behind the answer. A profile read anyway brings it along.
        if (const auto need = handlers::caller_locale_need(ctx, who); need.read && !out.profile) {
          store::locale_due self{{from.platform, from.workspace_id, from.user_id, who.member->id}, {}};
          (need.unknown ? out.locales : out.behind).push_back(std::move(self));
        }
        // Those a submission writes to (a reminder's bookkeepers) read theirs in it.
        if (const auto* sub = std::get_if<handlers::submission>(&request.what))
          for (auto& due :
               handlers::locales_due(ctx, from.platform, handlers::members_written_to(ctx, who, *sub)))
            out.locales.push_back(std::move(due));
      }
      if (out.profile || !out.locales.empty()) {
        out.caller = std::move(who);
      } else {
        const bool link_first = !who.member && !who.chat.profile_email.empty() && !from.platform.empty();
        out.answer = answer_on_store(db, platform, request, std::move(who), link_first, command);
      }
      return out;
    });
    if (!trip.behind.empty())
      co_await read_locales(platform, std::move(trip.behind), std::chrono::milliseconds{0});
    if (trip.answer) {
      a = std::move(*trip.answer);
    } else if (!trip.caller) {
      co_return answer_with(chat_answer::status::not_connected,
                            handlers::not_connected_reply(handlers::texts_for(settings_, from)),
                            handlers::request_language(settings_, from));
    } else {
      auto who = std::move(*trip.caller);
      std::optional<std::string> read_locale;
      if (trip.profile) {
        auto profile = co_await profile_of(platform, who.chat);
        who.chat.profile_email = std::move(profile.email);
        if (profile.answered && asks_for_locales) read_locale = profile.locale;
        if (who.chat.locale.empty()) who.chat.locale = std::move(profile.locale);
      }
      if (!trip.locales.empty()) co_await read_locales(platform, std::move(trip.locales), locale_wait);
      const bool link_first = !who.member && !who.chat.profile_email.empty();
      a = co_await store_.run([&](store::database& db) {
        return answer_on_store(db, platform, request, std::move(who), link_first, command, read_locale);
      });
    }
  } catch (const std::exception& e) {
    spdlog::error("request {} failed: {}", request.request_id, text::escape_for_log(e.what()));
    failed = true;
  }
  if (failed)
    a = answer_with(chat_answer::status::answered,
                    handlers::apology_reply(handlers::texts_for(settings_, request.from), request.request_id),
                    handlers::request_language(settings_, request.from));
  if (request.answer_by_message && a.message()) {
    co_await send_later(platform, request, std::move(*a.take_message()), a.reply.replace_original && !failed);
    a.rendered.reset();
    a.reused_message.reset();
  }
  co_return a;
}

chat_answer chat_requests::answer_on_store(store::database& db, chat_platform& platform,
                                           const chat_request& request, handlers::caller who, bool link_first,
                                           const std::optional<handlers::command_text>& command_text,
                                           const std::optional<std::string>& read_locale) {
  if (link_first) link_by_profile_email(db, who);
  handlers::context ctx{db, settings_, clock_(), outbox_wakeup_};
  if (read_locale && who.member) handlers::note_read_locale(ctx, who.member->id, *read_locale);
  chat_answer a;
  std::optional<handlers::language> language;
  std::visit(overloaded{
                 [&](const std::string& text) {
                   const auto& command = *command_text;
                   if (!who.member ||
                       handlers::effect_of(command) != handlers::command_effect::reads_client_data) {
                     a.reply = handlers::on_command(ctx, who, command);
                     return;
                   }
                   std::string key;
                   std::optional<std::int64_t> generation;
                   {
                     // From memory when the connection's memo holds it all: no transaction.
                     store::memo_or_snapshot snapshot(db);
                     language = handlers::reply_language(ctx, who);
                     key = answer_cache::key_of(platform.name(), who.partner.id, who.member->id,
                                                store::to_string(who.member->role),
                                                handlers::to_string(*language), text);
                     if (!db.in_write_transaction()) {
                       generation = store::client_generation(db);
                       if (auto hit = answers_.find(key, *generation)) {
                         a.reused_message = std::shared_ptr<const handlers::view>(hit, &hit->message);
                         a.rendered = std::shared_ptr<const std::string>(hit, &hit->body);
                       }
                     }
                   }
                   if (a.rendered) {
                     handlers::note_platform(ctx, who);
                     return;
                   }
                   a.reply = handlers::on_command(ctx, who, command);
                   if (!a.reply.message) return;
                   a.reply.message->lang = *language;
                   auto made = std::make_shared<reusable_answer>();
                   made->message = std::move(*a.reply.message);
                   a.reply.message.reset();
                   made->body = platform.render_answer(made->message);
                   a.reused_message = std::shared_ptr<const handlers::view>(made, &made->message);
                   a.rendered = std::shared_ptr<const std::string>(made, &made->body);
                   if (generation) answers_.put(key, *generation, std::move(made));
                 },
                 [&](const handlers::action& act) { a.reply = handlers::on_action(ctx, who, act); },
                 [&](const handlers::submission& sub) { a.reply = handlers::on_submission(ctx, who, sub); },
             },
             request.what);
  // A `language` command answers in the language it chose.
  a.language = language ? *language : handlers::reply_language(ctx, who);
  if (a.reply.message) a.reply.message->lang = a.language;
  if (a.reply.open_form) a.reply.open_form->lang = a.language;
  return a;
}

awaitable<chat_profile> chat_requests::profile_of(chat_platform& platform, const handlers::chat_user& user) {
  const auto key = std::string{platform.name()} + "/" + user.workspace_id + "/" + user.user_id;
  const auto now = clock_();
  if (auto it = profiles_.find(key); it != profiles_.end() && now - it->second.fetched < options_.profile_ttl)
    co_return it->second.profile;
  auto profile = co_await platform.profile(user);
  // A failed lookup is not remembered: the next request tries again. An
  // answer without an e-mail is, so an unlinked user costs one lookup.
  if (!profile.answered) co_return profile;
  if (profiles_.size() >= options_.max_profiles) profiles_.clear();
  profiles_[key] = {profile, now};
  co_return profile;
}

awaitable<void> chat_requests::read_locales(chat_platform& platform, std::vector<store::locale_due> due,
                                            std::chrono::milliseconds wait) {
  if (!platform.asks_for_locales()) co_return;
  struct waiting {
    explicit waiting(asio::io_context& io) : done(io) {}
    asio::steady_timer done;
    std::deque<store::locale_due> queue;
    std::size_t left = 0;
  };
  auto state = std::make_shared<waiting>(io_);
  const auto now = clock_();
  const auto asked = due.size();
  for (auto& d : due) {
    const auto& member_id = d.identity.member_id;
    if (locale_lookups_.contains(member_id)) continue;
    if (auto it = failed_locales_.find(member_id); it != failed_locales_.end()) {
      if (now - it->second < options_.failed_locale_retry) continue;
      failed_locales_.erase(it);
    }
    locale_lookups_.insert(member_id);
    state->queue.push_back(std::move(d));
  }
  state->left = state->queue.size();
  // A few lookups at a time, not one per member at once: before a digest
  // slot a hosted instance has tens of thousands to ask about.
  const auto lookers = std::min(state->queue.size(), options_.locale_lookups_at_once);
  for (std::size_t i = 0; i < lookers; ++i)
    follow_ups_.spawn([this, &platform, state]() -> awaitable<void> {
      while (!state->queue.empty()) {
        auto d = std::move(state->queue.front());
        state->queue.pop_front();
        co_await look_up_locale(platform, std::move(d));
        if (--state->left == 0) state->done.cancel();
      }
    });
  if (state->left == 0 || wait <= std::chrono::milliseconds{0}) co_return;
  state->done.expires_after(wait);
  boost::system::error_code ec;
  co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (state->left > 0)
    spdlog::info("{} of {} locale lookups still going on after {} ms", state->left, asked, wait.count());
}

awaitable<void> chat_requests::look_up_locale(chat_platform& platform, store::locale_due d) {
  const auto& member_id = d.identity.member_id;
  try {
    handlers::chat_user user;
    user.platform = d.identity.platform;
    user.workspace_id = d.identity.workspace_id;
    user.user_id = d.identity.user_id;
    // Asked afresh: the locale is due because the one stored is old.
    const auto profile = co_await platform.profile(user);
    if (profile.answered) {
      co_await store_.run([&](store::database& db) {
        handlers::context ctx{db, settings_, clock_()};
        handlers::note_read_locale(ctx, member_id, profile.locale);
        return 0;
      });
    } else {
      failed_locales_[member_id] = clock_();
    }
  } catch (const std::exception& e) {
    failed_locales_[member_id] = clock_();
    spdlog::warn("locale of member {} not stored: {}", member_id, text::escape_for_log(e.what()));
  }
  locale_lookups_.erase(member_id);
}

awaitable<void> chat_requests::read_digest_locales(chat_platform& platform, std::chrono::milliseconds wait) {
  if (!platform.asks_for_locales()) co_return;
  const std::string name{platform.name()};
  auto due = co_await store_.run([&](store::database& db) {
    handlers::context ctx{db, settings_, clock_()};
    return handlers::digest_locales_due(ctx, name);
  });
  co_await read_locales(platform, std::move(due), wait);
}

awaitable<void> chat_requests::send_later(chat_platform& platform, const chat_request& request,
                                          handlers::view message, bool replace) {
  namespace kinds = store::recipient_kinds;
  store::outbound_message m;
  m.platform = std::string{platform.name()};
  m.workspace_id = request.from.workspace_id;
  if (!request.reply_address.empty()) {
    m.recipient_kind = replace ? kinds::replace : kinds::reply;
    m.recipient = request.reply_address;
  } else if (!request.from.conversation_id.empty()) {
    m.recipient_kind = kinds::in_channel_private;
    m.recipient = store::address_pair{request.from.conversation_id, request.from.user_id}.str();
  } else {
    m.recipient_kind = kinds::user;
    m.recipient = request.from.user_id;
  }
  m.payload = handlers::view_to_json(message);
  m.origin = "answer";
  m.idempotency_key = "answer:" + request.request_id;
  const auto now = epoch_ms(clock_());
  co_await store_.run([&m, now](store::database& db) { return store::outbox(db).enqueue(m, now); });
  outbox_wakeup_();
}

} // namespace bot
