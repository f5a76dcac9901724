#include "bot/cli/ask_command.hpp"

#include "bot/chat/platforms.hpp"
#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/cli/text_render.hpp"
#include "bot/net/background.hpp"
#include "handlers/digests.hpp"
#include "handlers/language.hpp"
#include "store/database.hpp"
#include "store/digest_feed.hpp"
#include "store/directory.hpp"
#include "text/log_escape.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <limits>
#include <string_view>

namespace bot {

namespace {

// The command line as a platform: no name (the caller is found by e-mail),
// no profile to look up, terminal text as the rendering.
class command_line final : public chat_platform {
public:
  std::string_view name() const override { return {}; }
  boost::asio::awaitable<chat_profile> profile(const handlers::chat_user&) override {
    co_return chat_profile{};
  }
  std::string render_answer(const handlers::view& message) const override {
    return plain::render_text(message);
  }
};

// An answer quotes names from outside (the snapshot, Pleo): each line is
// printed with its control characters escaped, so none can steer the
// terminal. In JSON the escapes (`\u009b`) are JSON escapes too.
std::string terminal_safe(std::string_view text) {
  std::string out;
  for (std::size_t start = 0;;) {
    const auto end = text.find('\n', start);
    out += text::escape_for_log(text.substr(start, end == std::string_view::npos ? end : end - start),
                                std::numeric_limits<std::size_t>::max());
    if (end == std::string_view::npos) return out;
    out += '\n';
    start = end + 1;
  }
}

void print_line(std::string_view text) {
  fmt::print("{}\n", terminal_safe(text));
}

void print(const handlers::reply& reply, ask_output output) {
  if (output != ask_output::text) {
    // --json shows Slack's Block Kit, --card Teams' Adaptive Card, --home-tab Slack's Home tab.
    const std::string_view shown_as = output == ask_output::teams_card ? "teams" : "slack";
    for (const auto* platform : chat_platforms()) {
      if (platform->name != shown_as) continue;
      if (output == ask_output::slack_home_tab) {
        if (reply.message && platform->render_home)
          print_line(boost::json::serialize(platform->render_home(*reply.message)));
        continue;
      }
      if (reply.message) print_line(boost::json::serialize(platform->render_message(*reply.message)));
      if (reply.open_form) print_line(boost::json::serialize(platform->render_form(*reply.open_form)));
    }
    return;
  }
  if (reply.message) print_line(plain::render_text(*reply.message));
  if (reply.open_form) print_line(plain::render_text(*reply.open_form));
}

} // namespace

int run_ask_command(const config& cfg, const std::string& email, const std::string& text, ask_output output,
                    bool firm_digest, const std::string& language) {
  try {
    store::database db(cfg.db_path);
    const auto members = store::directory(db).members_with_email(email);
    if (members.empty()) {
      fmt::print(
          stderr,
          "partnerbot: no member with e-mail {} in {} (import a snapshot or run `partnerbot demo` first)\n",
          email, store::engine::redacted(cfg.db_path));
      return 1;
    }
    if (members.size() > 1) {
      fmt::print(stderr, "partnerbot: {} is a member of {} partners; ask is for one\n", email,
                 members.size());
      return 1;
    }
    handlers::settings settings;
    settings.portal_url_template = cfg.portal_url;
    settings.default_language = handlers::parse_language(cfg.language).value_or(handlers::language::en);
    if (!language.empty()) settings.reply_language = handlers::parse_language(language);
    if (firm_digest) {
      const auto& m = members.front();
      if (m.role != store::role::admin) {
        fmt::print(stderr, "partnerbot: the firm digest is for admins; {} is a bookkeeper\n", email);
        return 1;
      }
      handlers::context ctx{db, settings};
      const auto partner = store::directory(db).partner_by_id(m.partner_id);
      const auto work = store::digest_feed(db).outstanding(m.partner_id, handlers::channel_detail_limit);
      handlers::reply reply;
      // In the language the admin would read it in, as a channel they subscribe does.
      const auto& t =
          handlers::catalogue_for(settings.reply_language.value_or(handlers::recipient_language(ctx, m.id)));
      reply.message = handlers::channel_digest_view(*partner, t, handlers::next_slot_after(ctx.now), work);
      print(reply, output);
      return 0;
    }
    boost::asio::io_context io;
    background follow_ups(io);
    store_thread store_work(cfg.db_path, db);
    chat_requests requests(io, store_work, follow_ups, settings, [] {});
    command_line platform;
    chat_request request;
    request.request_id = "ask";
    request.from.profile_email = members.front().email;
    request.what = text;
    std::optional<chat_answer> answer;
    std::exception_ptr failure;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> { answer = co_await requests.answer_now(platform, request); },
        [&](std::exception_ptr e) { failure = e; });
    io.run();
    if (failure) std::rethrow_exception(failure);
    if (!answer || answer->state != chat_answer::status::answered) {
      fmt::print(stderr, "partnerbot: {} could not be answered\n", email);
      return 1;
    }
    print(answer->reply, output);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "partnerbot: {}\n", text::escape_for_log(e.what()));
    return 1;
  }
}

} // namespace bot
