#include "bot/cli/digest_command.hpp"

#include "bot/chat/platforms.hpp"
#include "bot/chat/requests.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "bot/jobs/scheduler.hpp"
#include "bot/net/background.hpp"
#include "bot/net/http_client.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/digests.hpp"
#include "handlers/language.hpp"
#include "handlers/reminders.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <cstdio>
#include <fmt/format.h>

namespace bot {

namespace asio = boost::asio;

namespace {

std::string count_of(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

} // namespace

int run_digest_command(const bot::config& cfg, std::optional<std::chrono::system_clock::time_point> at) {
  const auto when = at.value_or(std::chrono::system_clock::now());
  try {
    store::database db(cfg.db_path);
    handlers::settings settings;
    settings.portal_url_template = cfg.portal_url;
    settings.default_language = handlers::parse_language(cfg.language).value_or(handlers::language::en);
    handlers::context ctx{db, settings};

    asio::io_context io{1};
    http_client http(io);
    store_thread store_work(cfg.db_path, db);
    background behind(io);
    chat_requests requests(io, store_work, behind, settings, [] {});
    platform_host host{io, cfg, http, store_work, requests, behind, [] {}};
    std::vector<std::unique_ptr<platform_runtime>> running;
    for (const auto* platform : chat_platforms())
      running.push_back(platform->start(host));
    outbox_worker worker(io, store_work);
    worker.on_outcome(handlers::record_reminder_outcome);
    // A platform this configuration cannot send to keeps its rows for a server that can.
    for (std::size_t i = 0; i < running.size(); ++i)
      if (running[i]->cannot_send().empty())
        worker.add_delivery(std::string{chat_platforms()[i]->name}, running[i]->make_delivery());
    handlers::pass_counts counts;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          // The recipients' locales first, so that the pass writes in them
          // (a lookup still going on then is stored when it comes).
          if (handlers::slot_for(when))
            for (auto& platform : running)
              co_await platform->before_digest_pass(digest_locale_wait);
          counts = handlers::digest_pass(ctx, when);
          worker.start();
          co_await worker.drain(std::chrono::steady_clock::now() + digest_run_delivery_budget);
          co_await worker.stop();
        },
        // A failed pass fails the command (io.run() rethrows it).
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    io.run();

    const auto waiting = store::outbox(db).counts().pending;
    std::string line = fmt::format("digest run {}: ", handlers::to_iso(when));
    if (counts.slot.empty()) {
      line += "no digest slot is due (they go out from 10:00 Copenhagen time until midnight)";
    } else {
      line += fmt::format("{} and {} enqueued", count_of(counts.dms, "DM", "DMs"),
                          count_of(counts.channels, "channel digest", "channel digests"));
      if (counts.unreachable > 0)
        line += fmt::format(", {} unreachable", count_of(counts.unreachable, "member", "members"));
      if (counts.already_claimed > 0)
        line += fmt::format(" ({} already sent for slot {})", counts.already_claimed, counts.slot);
    }
    line += fmt::format(", {} delivered, {} waiting", worker.done().sent, waiting);
    if (worker.done().failed > 0) line += fmt::format(", {} failed", worker.done().failed);
    fmt::print("{}\n", line);
    for (std::size_t i = 0; i < running.size() && waiting > 0; ++i)
      if (const auto why = running[i]->cannot_send(); !why.empty())
        fmt::print(stderr, "partnerbot: {}: {} messages stay in the outbox\n", why,
                   chat_platforms()[i]->title);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "partnerbot: digest run: {}\n", e.what());
    return 1;
  }
}

} // namespace bot
