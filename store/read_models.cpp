// The registry of current read models (store/read_model.hpp: read_models):
// one per partner, replaced whole when the data's generation moves, kept
// within a memory budget, rebuilt in the background where a thread is given.

#include "store/database.hpp"
#include "store/memo.hpp"
#include "store/read_model.hpp"
#include "store/sql_util.hpp"

#include <chrono>
#include <utility>

namespace store {
namespace {

constexpr const char* sql_model_partners = "SELECT id FROM partners ORDER BY id";
constexpr const char* sql_generation = "SELECT n FROM client_generation WHERE id = 1";

std::mutex start_hook_mutex;
std::function<void(const std::string&)> start_hook;

std::vector<std::string> model_partners(database& db) {
  std::vector<std::string> partners;
  sql::query q(db, sql_model_partners);
  while (q.step())
    partners.push_back(q.text(0));
  return partners;
}

} // namespace

void read_models::set_start_build_hook(std::function<void(const std::string&)> hook) {
  std::lock_guard lock(start_hook_mutex);
  start_hook = std::move(hook);
}

std::int64_t stored_client_generation(database& db) {
  sql::query q(db, sql_generation);
  return q.step() ? q.int64(0) : 0;
}

std::int64_t client_generation(database& db) {
  auto& memo = connection_memo::of(db);
  const bool remember = memo.usable(db);
  if (remember && memo.client_generation) return *memo.client_generation;
  const auto generation = stored_client_generation(db);
  if (remember && connection_memo::may_fill(db)) memo.client_generation = generation;
  return generation;
}

read_models::read_models(std::size_t max_bytes) : max_bytes_(max_bytes) {}

read_models::~read_models() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (builder_.joinable()) builder_.join();
}

void read_models::rebuild_in_background(const std::string& db_path, std::chrono::milliseconds poll_every) {
  std::lock_guard lock(mutex_);
  if (background_) return;
  background_ = true;
  builder_ = std::thread([this, db_path, poll_every] { run_builder(db_path, poll_every); });
}

// Under the lock: the held model at `generation` or newer, or nullptr.
std::shared_ptr<const read_model> read_models::current(const std::string& partner_id,
                                                       std::int64_t generation) {
  auto it = models_.find(partner_id);
  if (it == models_.end() || it->second.model->generation() < generation) return nullptr;
  it->second.last_used = ++clock_;
  return it->second.model;
}

std::shared_ptr<const read_model> read_models::get(database& db, const std::string& partner_id,
                                                   std::int64_t generation) {
  {
    std::unique_lock lock(mutex_);
    if (auto model = current(partner_id, generation)) return model;
    if (start_pending_.contains(partner_id)) {
      // The start-up round builds this firm's model (next, now that it is
      // asked for): one build, not two competing for the same cores.
      ++awaited_start_;
      start_awaited_.insert(partner_id);
      start_built_.wait(lock, [&] { return !start_pending_.contains(partner_id); });
      if (auto model = current(partner_id, generation)) return model;
    }
    ++built_on_request_;
  }
  return build_now(db, partner_id, !db.in_write_transaction());
}

std::shared_ptr<const read_model> read_models::build_now(database& db, const std::string& partner_id,
                                                         bool keep) {
  const auto started = std::chrono::steady_clock::now();
  auto model = read_model::build(db, partner_id);
  if (keep) install(model, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return model;
}

void read_models::install(std::shared_ptr<const read_model> model, double seconds) {
  std::lock_guard lock(mutex_);
  ++builds_;
  last_build_seconds_ = seconds;
  const auto& partner = model->partner_id();
  auto it = models_.find(partner);
  if (it != models_.end() && it->second.model->generation() > model->generation()) return; // a newer one won
  models_[partner] = entry{std::move(model), ++clock_};
  // Past the budget, the least recently used other partners make room; a
  // firm larger than the whole budget is kept alone.
  for (;;) {
    std::size_t held = 0;
    auto oldest = models_.end();
    for (auto m = models_.begin(); m != models_.end(); ++m) {
      held += m->second.model->bytes();
      if (m->first != partner && (oldest == models_.end() || m->second.last_used < oldest->second.last_used))
        oldest = m;
    }
    if (held <= max_bytes_ || oldest == models_.end()) break;
    models_.erase(oldest);
  }
}

void read_models::poke(const std::string& partner_id) {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
    if (!partner_id.empty() && models_.contains(partner_id)) wanted_.insert(partner_id);
  }
  wake_.notify_all();
}

void read_models::prime(database& db) {
  read_snapshot snapshot(db);
  for (const auto& p : model_partners(db))
    build_now(db, p);
}

void read_models::prime_in_background(database& db) {
  auto partners = model_partners(db);
  {
    std::lock_guard lock(mutex_);
    if (background_) {
      for (auto& p : partners)
        if (start_pending_.insert(p).second) start_queue_.push_back(std::move(p));
      wake_.notify_all();
      return;
    }
  }
  prime(db);
}

// Under the lock: nothing is left to wait for.
void read_models::end_start_round() {
  start_queue_.clear();
  start_pending_.clear();
  start_awaited_.clear();
  start_built_.notify_all();
}

void read_models::run_start_round(database& db, std::unique_lock<std::mutex>& lock) {
  while (!stopping_ && !start_pending_.empty()) {
    // A firm someone waits for goes first; then the rest in order.
    std::string partner;
    for (const auto& p : start_awaited_)
      if (start_pending_.contains(p)) {
        partner = p;
        break;
      }
    while (partner.empty() && !start_queue_.empty()) {
      if (start_pending_.contains(start_queue_.front())) partner = start_queue_.front();
      start_queue_.pop_front();
    }
    if (partner.empty()) break;
    lock.unlock();
    try {
      std::function<void(const std::string&)> hook;
      {
        std::lock_guard hook_lock(start_hook_mutex);
        hook = start_hook;
      }
      if (hook) hook(partner);
      build_now(db, partner);
    } catch (const std::exception&) {
      // Its requests build it themselves (and find out what is wrong).
    }
    lock.lock();
    start_pending_.erase(partner);
    start_awaited_.erase(partner);
    start_built_.notify_all();
  }
  end_start_round();
}

void read_models::run_builder(std::string db_path, std::chrono::milliseconds poll_every) {
  std::unique_ptr<database> db;
  try {
    db = std::make_unique<database>(db_path);
  } catch (const std::exception&) {
    // Without a connection of its own, models are built where they are asked for.
    std::lock_guard lock(mutex_);
    background_ = false;
    end_start_round();
    return;
  }
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    run_start_round(*db, lock);
    if (stopping_) break;
    wake_.wait_for(lock, poll_every,
                   [&] { return stopping_ || poked_ || !wanted_.empty() || !start_pending_.empty(); });
    if (stopping_) break;
    if (!start_pending_.empty()) continue;
    poked_ = false;
    auto todo = std::move(wanted_);
    wanted_.clear();
    std::vector<std::pair<std::string, std::int64_t>> held;
    for (const auto& [partner, e] : models_)
      held.emplace_back(partner, e.model->generation());
    lock.unlock();
    try {
      read_snapshot snapshot(*db);
      const auto generation = client_generation(*db);
      for (const auto& [partner, built_at] : held)
        if (built_at != generation) todo.insert(partner);
      for (const auto& partner : todo)
        build_now(*db, partner);
    } catch (const std::exception&) {
      // A busy or broken database: requests build what they need; try again next round.
    }
    lock.lock();
  }
}

read_models::statistics read_models::stats() const {
  std::lock_guard lock(mutex_);
  statistics s;
  for (const auto& [partner, e] : models_) {
    s.bytes += e.model->bytes();
    s.clients += e.model->client_count();
  }
  s.partners = models_.size();
  s.builds = builds_;
  s.built_on_request = built_on_request_;
  s.awaited_start = awaited_start_;
  s.start_pending = start_pending_.size();
  s.last_build_seconds = last_build_seconds_;
  s.max_bytes = max_bytes_;
  return s;
}

} // namespace store
