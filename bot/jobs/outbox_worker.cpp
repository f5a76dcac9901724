#include "bot/jobs/outbox_worker.hpp"

#include "bot/net/metrics.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace bot {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// How far into one workspace's waiting rows to look for a conversation's
// next one: further rows wait behind a busy conversation anyway.
constexpr std::size_t look_ahead = 64;

// What due rows wait under: one workspace of one platform.
std::string waiting_workspace(const store::outbound_message& m) {
  return m.platform + ':' + m.workspace_id;
}

// Where the conversation `key`'s next row waits among a workspace's first rows.
template <class Rows> std::optional<std::size_t> conversation_next(const Rows& rows, std::string_view key) {
  for (std::size_t i = 0, n = std::min(rows.size(), look_ahead); i < n; ++i)
    if (rows[i].key == key) return i;
  return std::nullopt;
}

void keep_sooner(std::optional<std::chrono::milliseconds>& soonest, std::chrono::milliseconds wait) {
  soonest = soonest ? std::min(*soonest, wait) : wait;
}

asio::awaitable<void> sleep_for(asio::io_context& io, std::chrono::milliseconds d) {
  asio::steady_timer t(io, d);
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

outbox_worker::outbox_worker(asio::io_context& io, store_thread& store, outbox_options options)
    : io_(io), store_(store), options_(options), timer_(io) {}

outbox_worker::~outbox_worker() {
  *alive_ = false;
}

void outbox_worker::add_delivery(std::string platform, std::unique_ptr<delivery> d) {
  deliveries_[std::move(platform)] = std::move(d);
}

void outbox_worker::start() {
  if (started_) return;
  started_ = running_ = true;
  asio::co_spawn(io_, loop(), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::error("outbox delivery stopped: {}", ex.what());
    }
  });
}

void outbox_worker::wake() {
  asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (auto a = alive.lock(); a && *a) {
      refresh_wanted_ = true;
      nudge();
    }
  });
}

void outbox_worker::nudge() {
  wake_pending_ = true;
  timer_.cancel();
}

asio::awaitable<void> outbox_worker::loop() {
  while (!stopping_) {
    std::optional<std::chrono::milliseconds> wait;
    try {
      wait = co_await pump();
    } catch (const std::exception& e) {
      // The store is unreachable or busy: look again shortly.
      spdlog::error("outbox: {}", e.what());
      wait = 1s;
    }
    if (wake_pending_) {
      wake_pending_ = false;
      continue;
    }
    timer_.expires_after(wait.value_or(1h));
    boost::system::error_code ec;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    wake_pending_ = false;
  }
  running_ = false;
}

asio::awaitable<std::optional<std::chrono::milliseconds>> outbox_worker::pump() {
  while (!unrecorded_.empty()) {
    // Named references, not a structured binding: clang before 16 cannot capture those.
    auto& row = unrecorded_.begin()->second.first;
    auto& result = unrecorded_.begin()->second.second;
    // Throws while the store still refuses writes; the loop looks again shortly.
    count_outcome(
        co_await store_.run([this, &row, &result](store::database& db) { return record(db, row, result); }));
    unrecorded_.erase(unrecorded_.begin());
  }
  if (static_cast<int>(in_flight_.size()) >= options_.concurrency)
    co_return std::nullopt; // a completion wakes us
  const auto now = now_ms();
  if (refresh_wanted_ || waiting_.empty() || (next_due_ && *next_due_ <= now)) co_await refresh(now);

  const auto now_steady = steady::now();
  if (paced_until_.size() > 10000)
    std::erase_if(paced_until_, [&](const auto& p) { return p.second <= now_steady; });
  std::optional<std::chrono::milliseconds> soonest;
  co_await claim_and_deliver(choose(now_steady, soonest), now);
  if (next_due_ && *next_due_ > now) keep_sooner(soonest, std::chrono::milliseconds(*next_due_ - now));
  co_return soonest;
}

asio::awaitable<void> outbox_worker::refresh(std::int64_t now) {
  refresh_wanted_ = false;
  const auto batch = options_.batch;
  auto [heads, next] = co_await store_.run([now, batch](store::database& db) {
    store::outbox box(db);
    return std::pair{box.due_heads(now, batch), box.next_due_after(now)};
  });
  // More due than one read holds: the rest are read once these are taken.
  next_due_ = next;
  waiting_.clear();
  std::vector<std::pair<std::int64_t, std::string>> unknown_platform;
  for (auto& row : heads) {
    if (in_flight_.contains(row.id)) continue;
    auto it = deliveries_.find(row.message.platform);
    if (it == deliveries_.end()) {
      unknown_platform.emplace_back(row.id, row.message.platform);
      continue;
    }
    auto key = it->second->pacing_key(row.message);
    auto workspace = waiting_workspace(row.message);
    waiting_[std::move(workspace)].push_back({std::move(row), it->second.get(), std::move(key)});
  }
  if (!unknown_platform.empty()) {
    // A platform this process does not deliver to: keep the row for one that does.
    const auto later = now + options_.unknown_platform_delay.count();
    co_await store_.run([&unknown_platform, later](store::database& db) {
      store::outbox box(db);
      for (const auto& [id, platform] : unknown_platform)
        box.mark_retry(id, later, fmt::format("no delivery for platform {}", platform));
      return true;
    });
  }
}

std::vector<outbox_worker::chosen_row>
outbox_worker::choose(steady::time_point now, std::optional<std::chrono::milliseconds>& soonest) {
  std::vector<chosen_row> chosen;
  const auto free_slot = [&] { return static_cast<int>(in_flight_.size()) < options_.concurrency; };
  const auto take = [&](std::map<std::string, std::deque<chosen_row>>::iterator workspace, std::size_t i) {
    auto& rows = workspace->second;
    auto row = std::move(rows[i]);
    rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(i));
    in_flight_.insert(row.row.id);
    busy_keys_.insert(row.key);
    chosen.push_back(std::move(row));
    return rows.empty() ? waiting_.erase(workspace) : std::next(workspace);
  };
  // First the conversations whose pacing has just ended and that have more to send.
  for (auto due = paced_next_.begin(); due != paced_next_.end() && due->first <= now && free_slot();) {
    const auto& [workspace_key, key] = due->second;
    if (auto workspace = waiting_.find(workspace_key);
        workspace != waiting_.end() && !busy_keys_.contains(key)) {
      if (const auto next = conversation_next(workspace->second, key)) take(workspace, *next);
    }
    due = paced_next_.erase(due);
  }
  if (!paced_next_.empty() && paced_next_.begin()->first > now)
    keep_sooner(soonest, std::chrono::ceil<std::chrono::milliseconds>(paced_next_.begin()->first - now));
  // One row per workspace per round, the rounds starting after the
  // workspace served last, until the slots are full or no workspace has a
  // row that may go now.
  bool progress = true;
  while (progress && free_slot() && !waiting_.empty()) {
    progress = false;
    auto it = waiting_.upper_bound(served_last_);
    for (std::size_t visited = 0, n = waiting_.size(); visited < n && free_slot(); ++visited) {
      if (it == waiting_.end()) it = waiting_.begin();
      auto& rows = it->second;
      const auto limit = std::min(rows.size(), look_ahead);
      std::optional<std::size_t> pick;
      for (std::size_t i = 0; i < limit && !pick; ++i) {
        const auto& key = rows[i].key;
        if (busy_keys_.contains(key)) continue;
        if (auto p = paced_until_.find(key); p != paced_until_.end() && p->second > now) {
          keep_sooner(soonest, std::chrono::ceil<std::chrono::milliseconds>(p->second - now));
          continue;
        }
        pick = i;
      }
      if (!pick) {
        ++it;
        continue;
      }
      served_last_ = it->first;
      progress = true;
      it = take(it, *pick);
    }
  }
  return chosen;
}

// Delivers the rows this process could claim; a row another process claimed
// first is its to send.
asio::awaitable<void> outbox_worker::claim_and_deliver(std::vector<chosen_row> chosen, std::int64_t now) {
  if (chosen.empty()) co_return;
  std::vector<std::int64_t> ids;
  for (const auto& c : chosen)
    ids.push_back(c.row.id);
  std::vector<store::outbox_row> claimed;
  std::exception_ptr failure;
  try {
    claimed = co_await store_.run([&ids, now, lease = options_.claim_lease.count()](store::database& db) {
      return store::outbox(db).claim_rows(ids, now, lease);
    });
  } catch (const std::exception&) {
    failure = std::current_exception();
  }
  for (auto& c : chosen) {
    auto whole = std::find_if(claimed.begin(), claimed.end(),
                              [&](const store::outbox_row& r) { return r.id == c.row.id; });
    if (whole != claimed.end()) {
      asio::co_spawn(io_, deliver_one(std::move(*whole), c.via, std::move(c.key)), asio::detached);
    } else {
      in_flight_.erase(c.row.id);
      busy_keys_.erase(c.key);
    }
  }
  if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> outbox_worker::deliver_one(store::outbox_row row, delivery* d, std::string key) {
  auto alive = alive_;
  delivery_result result;
  try {
    result = co_await d->deliver(row.message);
  } catch (const std::exception& e) {
    result = delivery_result::permanent(fmt::format("undeliverable: {}", e.what()));
  }
  if (!*alive) co_return;
  try {
    const auto outcome =
        co_await store_.run([this, &row, &result](store::database& db) { return record(db, row, result); });
    count_outcome(outcome);
  } catch (const std::exception& e) {
    // The store refuses writes (disk full, read-only): keep the outcome and
    // record it when it can, rather than send the row again meanwhile. Only
    // a crash before then sends it twice; nothing is ever lost.
    if (!*alive) co_return;
    spdlog::error("outbox: cannot record the outcome of row {} yet: {}", row.id, e.what());
    unrecorded_.emplace(row.id, std::make_pair(row, result));
  }
  if (!*alive) co_return;
  in_flight_.erase(row.id);
  busy_keys_.erase(key);
  const auto paced_until = paced_until_[key] = steady::now() + options_.pacing;
  auto workspace_key = waiting_workspace(row.message);
  if (auto workspace = waiting_.find(workspace_key);
      workspace != waiting_.end() && conversation_next(workspace->second, key))
    paced_next_.emplace(paced_until, std::pair{std::move(workspace_key), key});
  nudge();
}

// On the store thread: touches only the store; the tally is kept by the caller.
outbox_worker::record_outcome outbox_worker::record(store::database& db, const store::outbox_row& row,
                                                    const delivery_result& given) {
  // A platform's error text is stored and logged: whatever a delivery
  // passes on, it reaches both escaped.
  delivery_result result = given;
  result.error = text::escape_for_log(given.error);
  store::outbox box(db);
  const auto tell_listeners = [&](std::string_view outcome) {
    for (const auto& listener : listeners_)
      listener(db, row.message, outcome);
  };
  const int attempts_made = row.attempts + 1;
  switch (result.result) {
  case delivery_result::outcome::sent:
    box.mark_sent(row.id, now_ms());
    tell_listeners("sent");
    return {recorded::sent};
  case delivery_result::outcome::permanent:
    box.mark_failed(row.id, result.error);
    tell_listeners("failed: " + result.error);
    spdlog::warn("outbox: row {} to {} {} failed: {}", row.id, row.message.platform,
                 row.message.recipient_kind, result.error);
    return {recorded::failed};
  case delivery_result::outcome::retry:
    if (attempts_made >= options_.max_attempts) {
      const auto error = fmt::format("gave up after {} attempts: {}", attempts_made, result.error);
      box.mark_failed(row.id, error);
      tell_listeners("failed: " + error);
      spdlog::warn("outbox: row {} {}", row.id, error);
      return {recorded::failed};
    }
    const auto delay = result.retry_after ? *result.retry_after : backoff(attempts_made);
    const auto retry_at = now_ms() + delay.count();
    box.mark_retry(row.id, retry_at, result.error);
    spdlog::info("outbox: row {} retry in {} ms: {}", row.id, delay.count(), result.error);
    return {recorded::retried, retry_at};
  }
  return {recorded::retried, now_ms()};
}

void outbox_worker::count_outcome(const record_outcome& r) {
  // A retried row is due again later than anything read so far may say.
  if (r.kind == recorded::retried)
    next_due_ = next_due_ ? std::min(*next_due_, r.retry_at_ms) : r.retry_at_ms;
  switch (r.kind) {
  case recorded::sent:
    ++done_.sent;
    break;
  case recorded::failed:
    ++done_.failed;
    break;
  case recorded::retried:
    ++done_.retried;
    break;
  }
}

std::chrono::milliseconds outbox_worker::backoff(int attempts_made) {
  // Exponential, capped, with "equal jitter": half fixed, half random, so
  // rows that failed together do not come back together.
  auto delay = options_.backoff_base;
  for (int i = 1; i < attempts_made && delay < options_.backoff_cap; ++i)
    delay *= 2;
  delay = std::min(delay, options_.backoff_cap);
  const auto half = delay.count() / 2;
  std::uniform_int_distribution<std::int64_t> spread(0, std::max<std::int64_t>(half, 0));
  return std::chrono::milliseconds(delay.count() - half + spread(jitter_));
}

asio::awaitable<void> outbox_worker::drain(std::chrono::steady_clock::time_point deadline) {
  const auto deadline_ms = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::max(deadline - steady::now(), steady::duration::zero()))
                                          .count();
  nudge();
  while (steady::now() < deadline) {
    if (in_flight_.empty()) {
      const auto next =
          co_await store_.run([](store::database& db) { return store::outbox(db).next_due_ms(); });
      if (!next || *next > deadline_ms) co_return;
    }
    co_await sleep_for(io_, 20ms);
  }
}

asio::awaitable<void> outbox_worker::stop() {
  stopping_ = true;
  timer_.cancel();
  while (!in_flight_.empty() || running_) {
    timer_.cancel();
    co_await sleep_for(io_, 10ms);
  }
}

void outbox_worker::collect_metrics(store::database& db, std::string& out) {
  const auto c = store::outbox(db).counts();
  write_metric(out, "partnerbot_outbox_depth", "Outbound messages waiting for delivery.", "gauge", c.pending);
  write_metric(out, "partnerbot_outbox_sent_total", "Outbound messages delivered.", "counter", c.sent);
  write_metric(out, "partnerbot_outbox_retried_total", "Delivery attempts that were retried.", "counter",
               c.retried);
  write_metric(out, "partnerbot_outbox_failed_total", "Outbound messages given up on.", "counter", c.failed);
}

} // namespace bot
