#include "bot/jobs/home_refresher.hpp"

#include "bot/net/metrics.hpp"
#include "handlers/home.hpp"
#include "handlers/language.hpp"
#include "handlers/view_json.hpp"
#include "store/directory.hpp"
#include "text/log_escape.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

// GCC 12 reports a false -Wmismatched-new-delete when it inlines Asio's
// awaitable frame allocation (frames use Asio's own operator new/delete).
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace bot {

namespace asio = boost::asio;
using asio::awaitable;

home_refresher::home_refresher(asio::io_context& io, store_thread& store, const handlers::settings& settings,
                               home_refresher_options options, clock_fn clock)
    : io_(io), store_(store), settings_(settings), options_(options), clock_(std::move(clock)), timer_(io) {}

void home_refresher::add_surface(std::string platform, home_surface& surface) {
  surfaces_[std::move(platform)] = &surface;
}

std::int64_t home_refresher::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

std::string home_refresher::digest(const handlers::view& home) {
  const auto text = handlers::view_to_json(home);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), md, &length, EVP_sha256(), nullptr);
  std::string out;
  for (unsigned int i = 0; i < length; ++i)
    out += fmt::format("{:02x}", md[i]);
  return out;
}

awaitable<void> home_refresher::opened(store::home_viewer to, const handlers::view& home) {
  to.opened_ms = now_ms();
  to.published_ms = to.opened_ms;
  to.published_hash = digest(home);
  co_await store_.run([&to](store::database& db) {
    store::home_views(db).opened(to);
    return true;
  });
}

void home_refresher::start() {
  if (running_ || surfaces_.empty()) return;
  running_ = true;
  asio::co_spawn(io_, loop(), [this](std::exception_ptr e) {
    running_ = false;
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("home refresher stopped: {}", ex.what());
    }
  });
}

awaitable<void> home_refresher::stop() {
  stopping_ = true;
  while (running_) {
    timer_.cancel();
    asio::steady_timer t(io_, std::chrono::milliseconds(10));
    boost::system::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

awaitable<void> home_refresher::loop() {
  while (!stopping_) {
    timer_.expires_after(options_.check_interval);
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (stopping_) break;
    try {
      co_await check();
    } catch (const std::exception& e) {
      // The next check tries again.
      spdlog::warn("home refresh failed: {}", text::escape_for_log(e.what()));
    }
  }
}

// On the store thread: every opened home whose view is no longer the one
// last shown. The generation is read first, so a change made while the
// homes are rendered is looked at again next time.
home_refresher::check_result home_refresher::changed_homes(store::database& db, std::int64_t now) {
  check_result out;
  store::home_views homes(db);
  store::directory dir(db);
  handlers::context ctx{db, settings_, clock_()};
  const auto interval = options_.republish_interval.count();
  for (const auto& [platform, surface] : surfaces_) {
    for (auto& viewer : homes.viewers(platform)) {
      auto found = dir.caller_of(viewer.platform, viewer.workspace_id, viewer.user_id);
      if (!found) continue; // the workspace belongs to no firm any more
      handlers::caller who;
      who.chat.platform = viewer.platform;
      who.chat.workspace_id = viewer.workspace_id;
      who.chat.user_id = viewer.user_id;
      who.partner = std::move(found->firm);
      who.member = std::move(found->linked);
      auto home = handlers::home_view(ctx, who);
      home.lang = handlers::reply_language(ctx, who);
      auto now_digest = digest(home);
      if (now_digest == viewer.published_hash) continue;
      if (now - viewer.published_ms < interval) {
        out.waiting = true;
        continue;
      }
      out.due.push_back({std::move(viewer), std::move(home), std::move(now_digest)});
    }
  }
  return out;
}

awaitable<void> home_refresher::check() {
  const auto generation =
      co_await store_.run([](store::database& db) { return store::home_views(db).generation(); });
  ++checks_;
  if (!waiting_ && seen_generation_ == generation) co_return;
  const auto now = now_ms();
  auto result = co_await store_.run([this, now](store::database& db) { return changed_homes(db, now); });
  seen_generation_ = generation;
  waiting_ = result.waiting;
  for (auto& d : result.due) {
    auto it = surfaces_.find(d.to.platform);
    if (it == surfaces_.end()) continue;
    bool shown = false;
    try {
      shown = co_await it->second->publish(d.to, d.home);
    } catch (const std::exception& e) {
      spdlog::warn("home of {} user {} not republished: {}", d.to.platform,
                   text::escape_for_log(d.to.user_id), text::escape_for_log(e.what()));
    }
    if (shown) ++republished_;
    // A failed publish is tried again when the interval is up, not at every check.
    const auto shown_digest = shown ? d.digest : std::string();
    const auto at = now_ms();
    co_await store_.run([&d, &shown_digest, at](store::database& db) {
      store::home_views(db).published(d.to.platform, d.to.workspace_id, d.to.user_id, shown_digest, at);
      return true;
    });
    if (!shown) waiting_ = true;
  }
}

void home_refresher::collect_metrics(std::string& out) const {
  write_metric(out, "partnerbot_home_checks_total", "Checks for changes to the homes users have opened.",
               "counter", checks_);
  write_metric(out, "partnerbot_home_republished_total",
               "Homes published again because what they show changed.", "counter", republished_);
}

} // namespace bot
