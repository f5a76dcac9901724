#pragma once
// One pass of the Pleo connector over every client with a credential (or
// one client): for each, the company (its id learned once from the
// credential's introspection), its name, and every page of its open
// accounting entries, streamed into a tally (pleo/figures.hpp) and written
// with the sync time. Clients are synced `clients_at_once` at a time, one
// request in flight each (the cap on requests in flight), each credential
// within its own per-minute budget. A client that fails (refused
// credential, 5xx after retries, malformed JSON, timeout) is recorded as
// failing, keeps its last good figures and never stops the others.
// The store sees a pass in a handful of transactions: sync leases are taken
// for `lease_batch` clients at a time, and figures, failures and lease
// releases are written `write_batch` clients at a time (a crash loses at
// most one batch of figures, fetched again by the next pass).
//
// Threading: run() and stop() on the io_context's thread; HTTP runs there
// too, while every database read and write runs on the syncer's own worker
// thread with its own connection, so a sync never makes the io_context
// thread wait for SQLite. The database must be a file.

#include "bot/net/http_client.hpp"
#include "pleo/api.hpp"
#include "pleo/secret_box.hpp"
#include "pleo/traffic.hpp"
#include "store/sync_state.hpp"

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pleo {

struct sync_settings {
  api_settings api;
  int requests_per_minute = 300; // per credential
  int clients_at_once = 16;      // also the cap on requests in flight
  int lease_batch = 32;          // clients leased in one transaction
  int write_batch = 64;          // clients' outcomes written in one transaction
  int page_size = 100;           // entries per page (Pleo's maximum)
  int max_pages = 10000;         // per client: a cursor that never ends is a fault
};

struct client_outcome {
  std::string client_id;
  std::string client_name; // Pleo's company name after a success
  bool ok = false;
  bool stopped = false;   // cut short by stop(): neither synced nor failed
  bool elsewhere = false; // another instance is syncing this client now: left to it
  std::string error;
  store::synced_figures figures;
};

struct sync_progress {
  int done = 0;
  int total = 0;
  int failed = 0;
};

struct sync_report {
  int total = 0;
  int ok = 0;
  std::vector<std::string> failed; // client ids
  std::string refused;             // set when the pass could not start ("no credential for c-9")
  bool stopped = false;
  std::uint64_t requests = 0;
  std::chrono::steady_clock::duration elapsed{};
};

class syncer {
public:
  using clock_fn = std::function<std::chrono::system_clock::time_point()>;
  using progress_fn = std::function<void(const client_outcome&, const sync_progress&)>;

  syncer(boost::asio::io_context& io, bot::http_client& http, std::string db_path, secret_key key,
         sync_settings settings, clock_fn clock = std::chrono::system_clock::now);
  ~syncer(); // waits for a database write in progress
  syncer(const syncer&) = delete;
  syncer& operator=(const syncer&) = delete;

  // Every client with a credential, or only `client_id`. `progress` is
  // called on the io_context's thread after each client.
  boost::asio::awaitable<sync_report> run(std::optional<std::string> client_id, progress_fn progress = {});
  // Ends a run in progress soon: no new request starts; clients cut short are not marked failing.
  void stop();
  bool running() const { return running_; }

  // Totals since construction (for /metrics).
  std::uint64_t runs() const { return runs_; }
  std::uint64_t client_successes() const { return successes_; }
  std::uint64_t client_failures() const { return failures_; }
  std::uint64_t requests() const { return api_.requests(); }

private:
  struct job {
    store::stored_credential credential;
    std::string client_name;
  };
  struct fetched {
    store::synced_figures figures;
    std::string company_id;
  };
  // What a client's sync leaves for the store, written in batches.
  struct pending_write {
    std::string client_id;
    bool ok = false;
    bool record = true;
    store::synced_figures figures;
    std::string company_id; // learned this pass; empty: unchanged
    std::string error;
    std::string at;

    static pending_write success(std::string client_id, store::synced_figures figures, std::string company_id,
                                 std::string at);
    static pending_write failure(std::string client_id, std::string error, std::string at);
    static pending_write release_only(std::string client_id); // stopped: only the lease is released
  };
  struct cached_token {
    std::string access_token;
    steady::time_point expires;
  };

  template <typename F>
  auto on_worker(F work) -> boost::asio::awaitable<decltype(work(std::declval<store::database&>()))>;
  boost::asio::awaitable<client_outcome> sync_client(const job& j, stop_signal& stop);
  // Takes the sync leases of `batch` in one transaction; the jobs leased.
  boost::asio::awaitable<std::vector<const job*>> lease(std::vector<const job*> batch);
  boost::asio::awaitable<void> flush_writes();
  boost::asio::awaitable<result<fetched>> fetch(client_auth& auth, std::string company_id, stop_signal& stop);

  boost::asio::io_context& io_;
  std::string db_path_;
  secret_key key_;
  sync_settings settings_;
  clock_fn clock_;
  std::string lease_holder_; // this syncer, in the sync leases of its clients
  credential_budgets budgets_;
  std::vector<pending_write> pending_; // io_context's thread; handed whole to the worker
  api_client api_;
  std::map<std::string, cached_token> tokens_; // OAuth access tokens: memory only
  stop_signal* current_stop_ = nullptr;
  // Read from another thread for /metrics.
  std::atomic<bool> running_{false};
  std::atomic<std::uint64_t> runs_{0}, successes_{0}, failures_{0};
  boost::asio::thread_pool worker_{1};
  std::unique_ptr<store::database> worker_db_; // touched on worker_'s thread only
};

// "2026-11-27T09:00:00Z"
std::string iso_utc(std::chrono::system_clock::time_point t);

} // namespace pleo
