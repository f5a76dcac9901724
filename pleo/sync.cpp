#include "pleo/sync.hpp"

#include "store/clients.hpp"
#include "store/database.hpp"
#include "text/log_escape.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <deque>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <random>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <utility>

namespace pleo {

namespace asio = boost::asio;

namespace {

constexpr std::size_t longest_error = 500;

// How long a client's sync lease lasts: longer than any one client's sync
// (requests wait for the per-minute budget), short enough that a crashed
// instance's clients are synced by another soon after.
constexpr std::int64_t sync_lease_ms = 10 * 60 * 1000;

// The search body: not deleted, not yet exported (see figures.hpp).
std::string entries_search_body() {
  boost::json::array statuses;
  for (auto s : open_export_statuses)
    statuses.emplace_back(s);
  return boost::json::serialize(
      boost::json::object{{"includeDeleted", false}, {"exportStatus", std::move(statuses)}});
}

} // namespace

std::string iso_utc(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::time_point_cast<std::chrono::seconds>(t));
}

syncer::syncer(asio::io_context& io, bot::http_client& http, std::string db_path, secret_key key,
               sync_settings settings, clock_fn clock)
    : io_(io), db_path_(std::move(db_path)), key_(std::move(key)), settings_(std::move(settings)),
      clock_(std::move(clock)), budgets_(settings_.requests_per_minute), api_(http, settings_.api, budgets_) {
  std::random_device random;
  lease_holder_ = fmt::format("{}-{:08x}{:08x}", ::getpid(), random(), random());
}

syncer::~syncer() {
  worker_.join(); // a write in progress commits before its connection closes
  for (auto& [id, token] : tokens_)
    wipe(token.access_token);
}

template <typename F>
auto syncer::on_worker(F work) -> asio::awaitable<decltype(work(std::declval<store::database&>()))> {
  using value = decltype(work(std::declval<store::database&>()));
  co_return co_await asio::co_spawn(
      worker_,
      [this, work = std::move(work)]() -> asio::awaitable<value> {
        if (!worker_db_) worker_db_ = std::make_unique<store::database>(db_path_);
        co_return work(*worker_db_);
      },
      asio::use_awaitable);
}

void syncer::stop() {
  if (current_stop_) current_stop_->trigger();
}

asio::awaitable<sync_report> syncer::run(std::optional<std::string> client_id, progress_fn progress) {
  const auto started = steady::now();
  const auto requests_before = api_.requests();
  sync_report report;
  auto jobs = co_await on_worker([&client_id](store::database& db) {
    std::map<std::string, std::string> names;
    for (auto& row : store::sync_states(db).overview())
      names[row.client_id] = std::move(row.client_name);
    store::credentials creds(db);
    std::vector<store::stored_credential> found;
    if (!client_id) {
      found = creds.all();
    } else if (auto c = creds.find(*client_id)) {
      found.push_back(std::move(*c));
    }
    std::vector<job> out;
    for (auto& c : found) {
      auto name = names[c.client_id];
      out.push_back({std::move(c), std::move(name)});
    }
    return out;
  });
  if (client_id && jobs.empty()) {
    report.refused =
        fmt::format("client {} has no Pleo credential (add one with `partnerbot credentials add {}`)",
                    *client_id, *client_id);
    co_return report;
  }

  stop_signal stop(io_.get_executor());
  current_stop_ = &stop;
  running_ = true;
  report.total = static_cast<int>(jobs.size());
  sync_progress state{0, report.total, 0};
  std::size_t next = 0;
  std::deque<const job*> ready; // leased, not yet started
  int active = 0;
  asio::steady_timer all_done(io_, steady::time_point::max());

  // The next leased job, leasing the next batch when none is ready; null
  // when none is left. A lane that finds none ready while another leases
  // waits for that lease.
  int leasing = 0;
  asio::steady_timer leased_some(io_, steady::time_point::max());
  auto next_job = [&]() -> asio::awaitable<const job*> {
    while (ready.empty() && !stop.stopped()) {
      if (next >= jobs.size()) {
        if (leasing == 0) break;
        boost::system::error_code woken;
        co_await leased_some.async_wait(asio::redirect_error(asio::use_awaitable, woken));
        continue;
      }
      std::vector<const job*> batch;
      while (batch.size() < static_cast<std::size_t>(std::max(1, settings_.lease_batch)) &&
             next < jobs.size())
        batch.push_back(&jobs[next++]);
      const auto asked = batch.size();
      ++leasing;
      std::vector<const job*> leased;
      try {
        leased = co_await lease(std::move(batch));
      } catch (const std::exception& e) {
        // The store failed (a full disk, a lock held too long): these clients wait for the next pass.
        spdlog::error("pleo: leasing {} clients failed: {}", asked, text::escape_for_log(e.what()));
      }
      --leasing;
      // Another instance is syncing the others now: left to it.
      state.done += static_cast<int>(asked - leased.size());
      ready.insert(ready.end(), leased.begin(), leased.end());
      leased_some.cancel();
    }
    if (ready.empty() || stop.stopped()) co_return nullptr;
    const job* j = ready.front();
    ready.pop_front();
    co_return j;
  };

  // A few clients at once; each takes the next job until none is left.
  auto lane = [&]() -> asio::awaitable<void> {
    while (const job* j = co_await next_job()) {
      client_outcome outcome;
      try {
        outcome = co_await sync_client(*j, stop);
      } catch (const std::exception& e) {
        // The store failed (a full disk, a lock held too long): this client only.
        outcome.client_id = j->credential.client_id;
        outcome.client_name = j->client_name;
        outcome.error = text::escape_for_log(fmt::format("internal error: {}", e.what()), longest_error);
        pending_.push_back(pending_write::failure(outcome.client_id, outcome.error, iso_utc(clock_())));
      }
      if (pending_.size() >= static_cast<std::size_t>(std::max(1, settings_.write_batch)))
        co_await flush_writes();
      if (outcome.stopped) {
        report.stopped = true;
        continue;
      }
      ++state.done;
      if (outcome.ok)
        spdlog::debug("pleo: client {} synced: {} missing receipts, {} ready for export", outcome.client_id,
                      outcome.figures.missing_receipts, outcome.figures.ready_for_export);
      else
        spdlog::debug("pleo: client {} failed: {}", outcome.client_id, outcome.error);
      if (outcome.ok) {
        ++report.ok;
        ++successes_;
      } else {
        ++state.failed;
        ++failures_;
        report.failed.push_back(outcome.client_id);
      }
      if (progress) progress(outcome, state);
    }
  };
  const int lanes = std::max(1, std::min<int>(settings_.clients_at_once, static_cast<int>(jobs.size())));
  for (int i = 0; i < lanes; ++i) {
    ++active;
    asio::co_spawn(io_, lane, [&](std::exception_ptr) {
      if (--active == 0) all_done.cancel();
    });
  }
  if (active > 0) {
    boost::system::error_code ignored;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  // Leased but never started (stopped): their leases are released with the last writes.
  for (const job* j : ready)
    pending_.push_back(pending_write::release_only(j->credential.client_id));
  co_await flush_writes();
  report.stopped = report.stopped || stop.stopped();
  current_stop_ = nullptr;
  running_ = false;
  ++runs_;
  report.requests = api_.requests() - requests_before;
  report.elapsed = steady::now() - started;
  co_return report;
}

asio::awaitable<client_outcome> syncer::sync_client(const job& j, stop_signal& stop) {
  const auto& cred = j.credential;
  client_outcome out;
  out.client_id = cred.client_id;
  out.client_name = j.client_name;
  const auto started_at = iso_utc(clock_());

  auto finish_failed = [&](std::string error) {
    // Kept as the client's last error and printed by the CLI: it may quote
    // what a server said.
    out.error = text::escape_for_log(error, longest_error);
    pending_.push_back(pending_write::failure(cred.client_id, out.error, iso_utc(clock_())));
  };

  client_auth auth;
  auth.client_id = cred.client_id;
  auth.kind = cred.kind;
  auto opened = open_credential(key_, cred.secret, cred.client_id, cred.kind);
  if (!opened) {
    finish_failed("the stored credential does not open with PARTNERBOT_SECRET_KEY (was the key changed? "
                  "add the credential again)");
    co_return out;
  }
  if (opened->old_format) {
    // Sealed before its kind was bound in: sealed again the current way.
    auto sealed = seal_credential(key_, opened->secret, cred.client_id, cred.kind);
    co_await on_worker([&](store::database& db) {
      return store::credentials(db).reseal(cred.client_id, cred.kind, cred.secret, sealed);
    });
  }
  auth.secret = std::move(opened->secret);
  if (auto it = tokens_.find(cred.client_id); it != tokens_.end()) {
    auth.access_token = it->second.access_token;
    auth.access_expires = it->second.expires;
  }

  result<fetched> got = failure{};
  try {
    got = co_await fetch(auth, cred.company_id, stop);
  } catch (const std::exception& e) {
    got = failure{fmt::format("internal error: {}", e.what())};
  }

  if (auth.kind == store::credential_kind::oauth) {
    auto& cached = tokens_[cred.client_id];
    wipe(cached.access_token);
    cached = {auth.access_token, auth.access_expires};
  }
  if (auth.secret_rotated) {
    // The old refresh token may be spent already: keep the new one at once.
    auto sealed = seal_credential(key_, auth.secret, cred.client_id, cred.kind);
    const auto at = iso_utc(clock_());
    co_await on_worker([&](store::database& db) {
      store::credentials(db).replace_secret(cred.client_id, sealed, at);
      return true;
    });
  }

  if (!got) {
    if (got.error().stopped) {
      out.stopped = true;
      pending_.push_back(pending_write::release_only(cred.client_id));
      co_return out;
    }
    finish_failed(got.error().message);
    co_return out;
  }
  out.ok = true;
  out.figures = std::move(got->figures);
  if (!out.figures.company_name.empty()) out.client_name = out.figures.company_name;
  pending_.push_back(pending_write::success(
      cred.client_id, out.figures, cred.company_id != got->company_id ? got->company_id : std::string{},
      started_at));
  co_return out;
}

syncer::pending_write syncer::pending_write::success(std::string client_id, store::synced_figures figures,
                                                     std::string company_id, std::string at) {
  pending_write w;
  w.client_id = std::move(client_id);
  w.ok = true;
  w.figures = std::move(figures);
  w.company_id = std::move(company_id);
  w.at = std::move(at);
  return w;
}

syncer::pending_write syncer::pending_write::failure(std::string client_id, std::string error,
                                                     std::string at) {
  pending_write w;
  w.client_id = std::move(client_id);
  w.error = std::move(error);
  w.at = std::move(at);
  return w;
}

syncer::pending_write syncer::pending_write::release_only(std::string client_id) {
  pending_write w;
  w.client_id = std::move(client_id);
  w.record = false;
  return w;
}

asio::awaitable<std::vector<const syncer::job*>> syncer::lease(std::vector<const job*> batch) {
  // One instance at a time per client; a lease outlasts any one sync, and a
  // crashed instance's leases run out.
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
  co_return co_await on_worker([&](store::database& db) {
    store::transaction tx(db);
    store::sync_states states(db);
    std::vector<const job*> leased;
    for (const job* j : batch)
      if (states.take_lease(j->credential.client_id, lease_holder_, now_ms, now_ms + sync_lease_ms))
        leased.push_back(j);
    tx.commit();
    return leased;
  });
}

asio::awaitable<void> syncer::flush_writes() {
  if (pending_.empty()) co_return;
  auto batch = std::exchange(pending_, {});
  try {
    co_await on_worker([&](store::database& db) {
      store::transaction tx(db);
      store::sync_states states(db);
      store::credentials creds(db);
      for (const auto& w : batch) {
        if (w.record && !w.company_id.empty()) creds.set_company_id(w.client_id, w.company_id);
        if (w.record && w.ok) states.record_success(w.client_id, w.figures, w.at);
        if (w.record && !w.ok) states.record_failure(w.client_id, w.error, w.at);
        states.release_lease(w.client_id, lease_holder_);
      }
      tx.commit();
      return true;
    });
  } catch (const std::exception& e) {
    // Their leases run out; the next pass fetches these clients again.
    spdlog::error("pleo: writing the outcome of {} clients failed: {}", batch.size(),
                  text::escape_for_log(e.what()));
  }
}

asio::awaitable<result<syncer::fetched>> syncer::fetch(client_auth& auth, std::string company_id,
                                                       stop_signal& stop) {
  if (company_id.empty()) {
    auto body = co_await api_.call(auth, stop, "the credential's introspection", "GET", "/v1/introspect");
    if (!body) co_return body.error();
    auto subject = introspected_company(*body);
    if (!subject) co_return subject.error();
    // A credential that names no company is taken to be the client's own.
    company_id = subject->empty() ? auth.client_id : *subject;
  }
  const auto company = boost::urls::encode(company_id, boost::urls::unreserved_chars);

  auto company_body = co_await api_.call(auth, stop, "the company", "GET", "/v1/companies/" + company);
  if (!company_body) co_return company_body.error();
  auto name = company_name(*company_body);
  if (!name) co_return name.error();

  static const std::string search_body = entries_search_body();
  tally t;
  std::string after;
  for (int page = 1;; ++page) {
    if (page > settings_.max_pages)
      co_return failure{
          fmt::format("the accounting entries did not end after {} pages", settings_.max_pages)};
    auto target =
        fmt::format("/v1/accounting-entries:search?company_id={}&limit={}", company, settings_.page_size);
    if (!after.empty()) target += "&after=" + boost::urls::encode(after, boost::urls::unreserved_chars);
    auto body =
        co_await api_.call(auth, stop, "the accounting entries", "POST", std::move(target), search_body);
    if (!body) co_return body.error();
    auto cursor = add_entries_page(*body, t);
    if (!cursor) co_return failure{fmt::format("{} (page {})", cursor.error().message, page)};
    if (!cursor->has_next) break;
    if (cursor->end_cursor == after)
      co_return failure{fmt::format("the accounting entries repeat a cursor (page {})", page)};
    after = std::move(cursor->end_cursor);
  }
  auto figures = to_store(t, std::move(*name));
  if (!figures) co_return figures.error();
  co_return fetched{std::move(*figures), std::move(company_id)};
}

} // namespace pleo
