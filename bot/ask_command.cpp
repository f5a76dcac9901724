#include "bot/ask_command.hpp"

#include "bot/background.hpp"
#include "bot/chat_requests.hpp"
#include "bot/slack/render.hpp"
#include "bot/store_thread.hpp"
#include "bot/text/render.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cstdio>

namespace bot {

namespace {

// The command line as a platform: no name (the caller is found by e-mail),
// no profile to look up, terminal text as the rendering.
class command_line final : public chat_platform {
public:
  std::string_view name() const override { return {}; }
  boost::asio::awaitable<chat_profile> profile(const handlers::chat_user&) override { co_return chat_profile{}; }
  std::string render_answer(const handlers::view& message) const override { return text::render_text(message); }
};

void print(const handlers::reply& reply, ask_output output) {
  if (output == ask_output::slack_json) {
    if (reply.message) fmt::print("{}\n", boost::json::serialize(slack::render_message(*reply.message)));
    if (reply.open_form) fmt::print("{}\n", boost::json::serialize(slack::render_modal(*reply.open_form)));
    return;
  }
  if (reply.message) fmt::print("{}\n", text::render_text(*reply.message));
  if (reply.open_form) fmt::print("{}\n", text::render_text(*reply.open_form));
}

} // namespace

int run_ask_command(const config& cfg, const std::string& email, const std::string& text, ask_output output) {
  try {
    store::database db(cfg.db_path);
    const auto members = store::directory(db).members_with_email(email);
    if (members.empty()) {
      fmt::print(stderr, "partnerbot: no member with e-mail {} in {} (import a snapshot or run `partnerbot demo` first)\n",
                 email, cfg.db_path);
      return 1;
    }
    if (members.size() > 1) {
      fmt::print(stderr, "partnerbot: {} is a member of {} partners; ask is for one\n", email, members.size());
      return 1;
    }
    boost::asio::io_context io;
    handlers::settings settings;
    settings.portal_url_template = cfg.portal_url;
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
        io, [&]() -> boost::asio::awaitable<void> { answer = co_await requests.answer_now(platform, request); },
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
    fmt::print(stderr, "partnerbot: {}\n", e.what());
    return 1;
  }
}

} // namespace bot
