#pragma once
// Delivers the persistent outbox (store/outbox.hpp): takes due rows, hands
// each to its platform's delivery, and records the outcome. Transport
// errors and 5xx are retried with exponential backoff and jitter, a 429
// waits for its Retry-After, permanent errors are recorded and not retried,
// and attempts are bounded. Messages to one conversation go at most one per
// pacing interval. Nothing is held in memory that is not also in the
// outbox, so a crash or restart loses nothing; a row is marked sent only
// after its platform accepted it, so a crash can repeat only the sends in
// flight at that instant (at most one per delivery slot, `concurrency`).
// Workspaces take turns: the slots go round the workspaces with rows due,
// one row each, so one workspace's backlog never starves another's messages.
// The due rows are read without their payloads once per change (new rows,
// a row coming due), and scheduled from memory; a row's payload is read
// when it is claimed.
// When the store refuses to record an outcome (disk full), the outcome
// waits in memory and is recorded once it can be; the row is not resent.
// Single-threaded: use from the io_context's thread, except wake().

#include "bot/chat/delivery.hpp"
#include "bot/chat/store_thread.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace bot {

struct outbox_options {
  int concurrency = 4;  // deliveries in flight at once (distinct conversations)
  int batch = 50000;    // due rows scheduled from at a time (heads only: ids and addresses)
  int max_attempts = 8; // then the row is failed
  std::chrono::milliseconds backoff_base{2000};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(10)};
  std::chrono::milliseconds pacing{1000}; // per conversation
  std::chrono::milliseconds unknown_platform_delay{std::chrono::minutes(5)};
  // A row being delivered is claimed in the database for this long, so that
  // another process delivering from the same outbox does not send it too.
  // Longer than a delivery takes (its requests time out after 10 s); short,
  // because a process killed mid-delivery leaves its rows until it ends.
  std::chrono::milliseconds claim_lease{std::chrono::seconds(15)};
};

class outbox_worker {
public:
  // The outbox's reads and writes run on `store` (never on the I/O thread,
  // where a write could wait for another process's lock).
  outbox_worker(boost::asio::io_context& io, store_thread& store, outbox_options options = {});
  ~outbox_worker();
  outbox_worker(const outbox_worker&) = delete;
  outbox_worker& operator=(const outbox_worker&) = delete;

  void add_delivery(std::string platform, std::unique_ptr<delivery> d);
  // Told each row's final outcome ("sent", or "failed: <why>") right after
  // it is recorded, on the store thread and in its connection: whoever made a
  // row may keep an account of it (reminders record each recipient's).
  using outcome_listener =
      std::function<void(store::database&, const store::outbound_message&, std::string_view outcome)>;
  void on_outcome(outcome_listener listener) { listeners_.push_back(std::move(listener)); }

  // Starts the delivery loop on the io_context.
  void start();
  // Thread-safe: new rows were committed, look now.
  void wake();
  // Completes when nothing pending is due before `deadline` and nothing is
  // in flight, or at the deadline. Rows still failing stay in the outbox.
  boost::asio::awaitable<void> drain(std::chrono::steady_clock::time_point deadline);
  // Stops taking rows and waits for deliveries in flight.
  boost::asio::awaitable<void> stop();

  // Prometheus lines: partnerbot_outbox_depth, _sent_total, _retried_total,
  // _failed_total, from `db` (a read, which never waits for a writer).
  static void collect_metrics(store::database& db, std::string& out);

  // Deliveries finished by this worker (not the outbox's lifetime totals).
  struct tally {
    std::int64_t sent = 0;
    std::int64_t retried = 0;
    std::int64_t failed = 0;
  };
  const struct tally& done() const { return done_; }

private:
  using steady = std::chrono::steady_clock;

  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<std::optional<std::chrono::milliseconds>> pump();
  struct chosen_row {
    store::outbox_row row; // without its payload until claimed
    delivery* via;
    std::string key; // its pacing key
  };
  // Reads the due rows' heads and what becomes due next; rows of a platform
  // this process does not deliver to are put off.
  boost::asio::awaitable<void> refresh(std::int64_t now);
  // Up to the free slots' worth of waiting rows, the workspaces taking turns.
  std::vector<chosen_row> choose(steady::time_point now, std::optional<std::chrono::milliseconds>& soonest);
  boost::asio::awaitable<void> claim_and_deliver(std::vector<chosen_row> chosen, std::int64_t now);
  boost::asio::awaitable<void> deliver_one(store::outbox_row row, delivery* d, std::string key);
  enum class recorded { sent, failed, retried };
  struct record_outcome {
    recorded kind = recorded::sent;
    std::int64_t retry_at_ms = 0; // retried: when it is due again
  };
  record_outcome record(store::database& db, const store::outbox_row& row, const delivery_result& result);
  void count_outcome(const record_outcome& r);
  std::chrono::milliseconds backoff(int attempts_made);
  void nudge();

  boost::asio::io_context& io_;
  store_thread& store_;
  outbox_options options_;
  std::map<std::string, std::unique_ptr<delivery>> deliveries_;
  std::vector<outcome_listener> listeners_;
  boost::asio::steady_timer timer_;
  std::set<std::int64_t> in_flight_;
  // Due rows not yet taken, by workspace ("platform:workspace"), each oldest first.
  std::map<std::string, std::deque<chosen_row>> waiting_;
  std::string served_last_;              // the workspace that had the last turn
  bool refresh_wanted_ = true;           // new rows were committed since the last read
  std::optional<std::int64_t> next_due_; // when a row not yet due becomes due (unix ms)
  // Delivered (or given up on) but not yet recorded: the store refused.
  std::map<std::int64_t, std::pair<store::outbox_row, delivery_result>> unrecorded_;
  std::set<std::string> busy_keys_;
  std::map<std::string, steady::time_point> paced_until_;
  // Conversations with more rows waiting, by when their pacing ends: each
  // is served then, ahead of the turns, so a backlog goes out at the pace
  // its platform allows rather than once per round of every workspace.
  std::multimap<steady::time_point, std::pair<std::string, std::string>> paced_next_; // workspace, key
  std::mt19937_64 jitter_{std::random_device{}()};
  struct tally done_;
  bool started_ = false;
  bool running_ = false;
  bool stopping_ = false;
  bool wake_pending_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} // namespace bot
