#include "bot/digest_command.hpp"

#include "bot/background.hpp"
#include "bot/chat_requests.hpp"
#include "bot/http_client.hpp"
#include "bot/outbox_worker.hpp"
#include "bot/platforms.hpp"
#include "bot/scheduler.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/oauth.hpp"
#include "bot/slack/platform.hpp"
#include "bot/slack/web_api.hpp"
#include "bot/store_thread.hpp"
#include "bot/teams/connector.hpp"
#include "bot/teams/delivery.hpp"
#include "bot/teams/platform.hpp"
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
    slack::web_api api(http, cfg.slack_api_url, cfg.slack_bot_token);
    teams::connector teams_api(io, http, teams::connector_settings_of(cfg));
    store_thread store_work(cfg.db_path, db);
    // Installed workspaces' own tokens (with the secret key), else SLACK_BOT_TOKEN.
    const auto slack_tokens = slack::installation_tokens_for(io, store_work, api, cfg);
    background behind(io);
    chat_requests requests(io, store_work, behind, settings, [] {});
    slack::platform slack_profiles(api);
    outbox_worker worker(io, store_work);
    worker.on_outcome(handlers::record_reminder_outcome);
    if (!cfg.slack_bot_token.empty() || slack_tokens)
      worker.add_delivery(std::string{platforms::slack}, std::make_unique<slack::delivery>(api));
    if (teams_api.configuration_error().empty())
      worker.add_delivery(std::string{platforms::teams},
                          std::make_unique<teams::delivery>(teams_api, store_work, teams::message_activity));
    handlers::pass_counts counts;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          // The recipients' locales first, so that the pass writes in them
          // (a lookup still going on then is stored when it comes).
          if (handlers::slot_for(when))
            co_await requests.read_digest_locales(slack_profiles, digest_locale_wait);
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
    if (cfg.slack_bot_token.empty() && !slack_tokens && waiting > 0)
      fmt::print(stderr, "partnerbot: SLACK_BOT_TOKEN is not set: Slack messages stay in the outbox\n");
    if (!teams_api.configuration_error().empty() && waiting > 0)
      fmt::print(stderr, "partnerbot: {}: Teams messages stay in the outbox\n",
                 teams_api.configuration_error());
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "partnerbot: digest run: {}\n", e.what());
    return 1;
  }
}

} // namespace bot
