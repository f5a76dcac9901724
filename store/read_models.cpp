// The registry of current read models (store/read_model.hpp: read_models):
// one per partner, replaced whole when the data's generation moves, kept
// within a memory budget, rebuilt in the background where a thread is given.

#include "store/database.hpp"
#include "store/memo.hpp"
#include "store/read_model.hpp"
#include "store/sql_util.hpp"

#include <chrono>

namespace store {
namespace {

constexpr const char* sql_model_partners = "SELECT id FROM partners ORDER BY id";
constexpr const char* sql_generation = "SELECT n FROM client_generation WHERE id = 1";

} // namespace

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

std::shared_ptr<const read_model> read_models::get(database& db, const std::string& partner_id,
                                                   std::int64_t generation) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = models_.find(partner_id);
        it != models_.end() && it->second.model->generation() >= generation) {
      it->second.last_used = ++clock_;
      return it->second.model;
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
  std::vector<std::string> partners;
  {
    sql::query q(db, sql_model_partners);
    while (q.step())
      partners.push_back(q.text(0));
  }
  for (const auto& p : partners)
    build_now(db, p);
}

void read_models::run_builder(std::string db_path, std::chrono::milliseconds poll_every) {
  std::unique_ptr<database> db;
  try {
    db = std::make_unique<database>(db_path);
  } catch (const std::exception&) {
    // Without a connection of its own, models are built where they are asked for.
    std::lock_guard lock(mutex_);
    background_ = false;
    return;
  }
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, poll_every, [&] { return stopping_ || poked_ || !wanted_.empty(); });
    if (stopping_) break;
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
  s.last_build_seconds = last_build_seconds_;
  s.max_bytes = max_bytes_;
  return s;
}

} // namespace store
