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
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <random>
#include <spdlog/spdlog.h>
#include <unistd.h>

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
      clock_(std::move(clock)), budget_(settings_.requests_per_minute), api_(http, settings_.api, budget_) {
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
  int active = 0;
  asio::steady_timer all_done(io_, steady::time_point::max());

  // A few clients at once; each takes the next job until none is left.
  auto lane = [&]() -> asio::awaitable<void> {
    while (next < jobs.size() && !stop.stopped()) {
      const auto& j = jobs[next++];
      client_outcome outcome;
      try {
        outcome = co_await sync_client(j, stop);
      } catch (const std::exception& e) {
        // The store failed (a full disk, a lock held too long): this client only.
        outcome.client_id = j.credential.client_id;
        outcome.client_name = j.client_name;
        outcome.error = fmt::format("internal error: {}", e.what());
      }
      if (outcome.stopped) {
        report.stopped = true;
        continue;
      }
      if (outcome.elsewhere) {
        ++state.done;
        spdlog::debug("pleo: client {} is being synced by another instance", outcome.client_id);
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

  // One instance at a time per client; the lease outlasts any one sync, and
  // a crashed instance's lease runs out.
  const auto now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
  const bool leased = co_await on_worker([&](store::database& db) {
    return store::sync_states(db).take_lease(cred.client_id, lease_holder_, now_ms, now_ms + sync_lease_ms);
  });
  if (!leased) {
    out.elsewhere = true;
    co_return out;
  }
  struct lease_release {
    syncer& self;
    const std::string& client_id;
    ~lease_release() {
      // On the worker, after this client's last write; a failure only leaves the lease to run out.
      asio::post(self.worker_, [db = self.worker_db_.get(), client = client_id, holder = self.lease_holder_] {
        try {
          if (db) store::sync_states(*db).release_lease(client, holder);
        } catch (const std::exception&) {
        }
      });
    }
  } release{*this, cred.client_id};

  auto finish_failed = [&](std::string error) -> asio::awaitable<void> {
    // Kept as the client's last error and printed by the CLI: it may quote
    // what a server said.
    out.error = text::escape_for_log(error, longest_error);
    const auto at = iso_utc(clock_());
    co_await on_worker([&](store::database& db) {
      return store::sync_states(db).record_failure(cred.client_id, out.error, at);
    });
  };

  client_auth auth;
  auth.client_id = cred.client_id;
  auth.kind = cred.kind;
  auto opened = open_credential(key_, cred.secret, cred.client_id, cred.kind);
  if (!opened) {
    co_await finish_failed(
        "the stored credential does not open with PARTNERBOT_SECRET_KEY (was the key changed? "
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
      co_return out;
    }
    co_await finish_failed(got.error().message);
    co_return out;
  }
  out.ok = true;
  out.figures = std::move(got->figures);
  if (!out.figures.company_name.empty()) out.client_name = out.figures.company_name;
  const auto company_id = got->company_id;
  co_await on_worker([&](store::database& db) {
    if (cred.company_id != company_id) store::credentials(db).set_company_id(cred.client_id, company_id);
    return store::sync_states(db).record_success(cred.client_id, out.figures, started_at);
  });
  co_return out;
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
