#pragma once
// What a Pleo sync writes and what shows where it stands: a client's figures
// with their sync time (one transaction per client), the last sync result
// per client (for `credentials list`, /metrics and the client's card), and
// where a card's figures came from. Figures stored with a later time than a
// sync's own are never overwritten by it (nor by an older snapshot import,
// see snapshot.hpp). Same threading rule as database: one thread at a time.

#include "store/credentials.hpp"
#include "store/database.hpp"
#include "store/types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

// What one sync learned about a client.
struct synced_figures {
  std::string company_name; // empty: keep the client's name
  int missing_receipts = 0;
  int ready_for_export = 0;
  std::optional<money> ready_for_export_total; // none when unknown (mixed currencies)
  int ready_for_export_unpriced = 0;           // queued entries without an amount
};

struct sync_status {
  std::string last_attempt_at;
  std::string last_ok_at;    // empty: never succeeded
  std::string failing_since; // empty: the last attempt succeeded
  std::string last_error;
  bool failing() const { return !failing_since.empty(); }
};

// Where a client's figures come from, read fresh (never from a cache).
struct figures_origin {
  std::string synced_at; // the figures' time
  bool from_pleo = false;
  std::string balance_at; // the wallet balance's own (older) time, when the figures came from Pleo
  std::optional<money> ready_for_export_total;
  int ready_for_export_unpriced = 0;
  std::optional<sync_status> sync; // once a sync has been attempted
};

struct credential_overview {
  std::string client_id;
  std::string client_name;
  credential_kind kind = credential_kind::api_key;
  std::string figures_at; // the stored figures' time
  std::optional<sync_status> sync;
};

struct sync_summary {
  int credentials = 0;
  int failing = 0;
  std::string oldest_figures_at; // among clients with a credential; empty when none
};

class sync_states {
public:
  explicit sync_states(database& db) : db_(db) {}

  // One transaction: the figures (unless newer ones are stored), the
  // company's name, and the success. False when the client is gone.
  bool record_success(std::string_view client_id, const synced_figures& figures, std::string_view synced_at);
  // Keeps the last good figures; remembers since when the client fails.
  bool record_failure(std::string_view client_id, std::string_view error, std::string_view at);

  // The client's sync lease for `holder` (an instance) until `until_ms`:
  // true when free, run out, or already this holder's. Another instance
  // holding it makes this false, so each client syncs in one place at a time.
  bool take_lease(std::string_view client_id, std::string_view holder, std::int64_t now_ms,
                  std::int64_t until_ms);
  void release_lease(std::string_view client_id, std::string_view holder);

  std::optional<sync_status> find(std::string_view client_id);
  std::optional<figures_origin> origin(std::string_view client_id);
  std::vector<credential_overview> overview();
  sync_summary summary();

private:
  database& db_;
};

} // namespace store
