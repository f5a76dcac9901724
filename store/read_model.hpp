#pragma once
// One partner's clients in memory, shaped for the questions client lists
// ask: names in Danish order, each tab's index list, each member's assigned
// clients, the most-missing-first order, and a suffix array over the folded
// names, so a search costs the same whether it matches two clients or half
// the firm. It is derived from SQLite (the source of truth) at one client
// generation and never changes afterwards: any thread may read it while
// read_models swaps in a newer one. It is the one engine that answers lists,
// searches and cards (store::clients).

#include "store/clients.hpp"
#include "store/types.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace store {

class database;

// The client data's generation as the connection sees it now: every change
// to clients, their figures or assignments bumps it (triggers).
std::int64_t client_generation(database& db);

class read_model {
public:
  // Reads the partner's clients, figures and assignments through `db` in
  // one read transaction (the caller's, or one of its own) with the client
  // generation they belong to, and indexes them.
  static std::shared_ptr<const read_model> build(database& db, std::string_view partner_id);

  const std::string& partner_id() const { return partner_id_; }
  std::int64_t generation() const { return generation_; }
  std::size_t client_count() const { return clients_.size(); }
  // Heap bytes held, approximately (strings, vectors, maps).
  std::size_t bytes() const { return bytes_; }

  // As store::clients; the viewer must be a member of this model's partner.
  client_page list(const member& viewer, const list_query& query) const;
  tab_counts counts(const member& viewer) const;
  std::optional<client> visible(const member& viewer, std::string_view client_id) const;
  name_match resolve_name(const member& viewer, std::string_view name) const;
  std::vector<std::string> visible_names(const member& viewer) const;
  // The client's assigned members by name; empty for another partner's client.
  std::vector<member> bookkeepers(std::string_view client_id) const;

  struct member_lists; // a member's assigned clients, by status

private:
  read_model() = default;
  class matcher;

  const member_lists* lists_of(std::string_view member_id) const;
  std::size_t measure() const;

  std::string partner_id_;
  std::int64_t generation_ = 0;
  std::size_t bytes_ = 0;

  // Clients in Danish name order (sort key, then row id); a client's rank is
  // its index here, and every index list below holds ranks in this order.
  std::vector<client> clients_;
  std::unordered_map<std::string_view, std::uint32_t> rank_of_id_; // views into clients_
  std::vector<std::uint32_t> invites_, onboarding_;                // by status
  std::vector<std::uint32_t> most_missing_; // every rank: most missing receipts first, then name
  // Bit sets over ranks: the same sets for word-at-a-time filtering.
  std::vector<std::uint64_t> invite_bits_, onboarding_bits_, missing_bits_;
  struct id_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::uint32_t, id_hash, std::equal_to<>> member_index_;
  std::vector<member_lists> member_lists_;
  std::vector<member> members_;                   // everyone assigned to a client, by (name, id)
  std::vector<std::uint32_t> bookkeeper_start_;   // per rank, into bookkeeper_members_ (size + 1)
  std::vector<std::uint32_t> bookkeeper_members_; // indices into members_

  // Search: every folded name once (case-folded and ASCII-folded, stored
  // once when equal), NUL-separated; its suffix array; and per text byte the
  // rank it belongs to and which folding it is.
  std::string text_;
  std::vector<std::int32_t> suffixes_;
  std::vector<std::uint32_t> owner_;              // rank << 2 | folds
  std::vector<std::uint32_t> fold_at_, ascii_at_; // per rank: offset of its texts in text_
};

struct read_model::member_lists {
  std::vector<std::uint32_t> active, onboarding, visible; // visible: onboarding and active
};

// The current read model of each partner, shared by every connection and
// thread of the process. A model is replaced, never edited: a request holds
// the shared_ptr it got and sees one consistent picture. Memory is bounded:
// past `max_bytes` the least recently used partners' models are dropped
// (rebuilt when asked for again). Thread-safe.
class read_models {
public:
  static constexpr std::size_t default_max_bytes = std::size_t{256} << 20;

  explicit read_models(std::size_t max_bytes = default_max_bytes);
  ~read_models();
  read_models(const read_models&) = delete;
  read_models& operator=(const read_models&) = delete;

  // From now on a thread of this registry, with its own connection to
  // `db_path` (a file), looks for new data every `poll_every` and rebuilds
  // stale models, so a model is usually fresh before anyone asks.
  void rebuild_in_background(const std::string& db_path,
                             std::chrono::milliseconds poll_every = std::chrono::milliseconds{1000});

  // The partner's model at `generation` (or newer): the current one, the one
  // the start-up round is building (waited for), or one built now through
  // `db`, inside the caller's transaction. A model built
  // inside a write transaction is not kept (what it read might roll back),
  // nor is one larger than the budget. Never nullptr.
  std::shared_ptr<const read_model> get(database& db, const std::string& partner_id, std::int64_t generation);

  // Data changed (another instance announced it): the background thread
  // looks now instead of at its next round, and rebuilds `partner_id`'s
  // model (when named and held) whatever the generation says.
  void poke(const std::string& partner_id = {});

  // Builds every partner's model now through `db` (start-up, before serving).
  void prime(database& db);

  // Start-up without waiting: lists every partner through `db` now, and the
  // background thread (rebuild_in_background, called first) builds their
  // models before anything else, one after another, each in a read
  // transaction of its own. Meanwhile `get` for one of them waits for that
  // build instead of building a second copy; one that fails is built on
  // request as usual. Without a background thread it is `prime`.
  void prime_in_background(database& db);

  // Tests: called on the background thread before each start-up build with
  // the partner's id (empty function: none). Process-wide.
  static void set_start_build_hook(std::function<void(const std::string&)> hook);

  struct statistics {
    std::size_t bytes = 0;              // held by current models
    std::size_t partners = 0;           // models held
    std::size_t clients = 0;            // clients in them
    std::uint64_t builds = 0;           // models built since start
    std::uint64_t built_on_request = 0; // answers that waited for their firm's model to be built
    std::uint64_t awaited_start = 0;    // answers that waited for their firm's start-up build
    std::size_t start_pending = 0;      // firms whose start-up build has not finished
    double last_build_seconds = 0;
    std::size_t max_bytes = 0;
  };
  statistics stats() const;

private:
  struct entry {
    std::shared_ptr<const read_model> model;
    std::uint64_t last_used = 0;
  };
  void install(std::shared_ptr<const read_model> model, double seconds);
  std::shared_ptr<const read_model> build_now(database& db, const std::string& partner_id, bool keep = true);
  void run_builder(std::string db_path, std::chrono::milliseconds poll_every);
  // The start-up round on the background thread: until no firm is left.
  void run_start_round(database& db, std::unique_lock<std::mutex>& lock);
  void end_start_round(); // under the lock
  std::shared_ptr<const read_model> current(const std::string& partner_id, std::int64_t generation);

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, entry, std::less<>> models_;
  std::set<std::string, std::less<>> wanted_; // partners the builder should (re)build
  std::uint64_t clock_ = 0;
  std::uint64_t builds_ = 0;
  std::uint64_t built_on_request_ = 0;
  double last_build_seconds_ = 0;
  bool background_ = false;
  bool stopping_ = false;
  bool poked_ = false;
  // The start-up round: firms not yet built (in order), those pending
  // (queued or being built) and those a request waits for (built first).
  std::deque<std::string> start_queue_;
  std::set<std::string, std::less<>> start_pending_, start_awaited_;
  std::uint64_t awaited_start_ = 0;
  std::condition_variable start_built_;
  std::thread builder_;
};

} // namespace store
