#pragma once
// Partner snapshot import (DESIGN.md "Data in"): validate whole, then upsert
// in one transaction. Clients gone from the snapshot are deleted with their
// assignments, subscriptions and metrics; members gone from it with their
// assignments, subscriptions and chat identities; reminders keep their audit
// rows (ids and names as text). Ids are global: an id that belongs to another
// partner, like a chat workspace that does, is an error.
// The chat platforms a snapshot names (which partner field holds the
// workspace id, which member field a pre-made link) are given by the caller:
// the store knows a platform only as data.
// Errors name the first bad JSON path: `clients[5].status: unknown status "x" ...`.

#include "store/database.hpp"

#include <span>
#include <string>
#include <string_view>

namespace store {

struct import_result {
  bool ok = false;
  std::string error; // "clients[5].status: unknown status \"x\"" when !ok
  std::string partner_id;
  int members = 0;
  int clients = 0;
  int removed_clients = 0;
};

// How one chat platform appears in a snapshot.
struct snapshot_platform {
  std::string platform;      // stored as data, e.g. in chat identities
  std::string workspace_key; // partner field with the workspace id
  std::string user_key;      // member field with a pre-made link (that platform's user id)
};

// `now_iso` dates the figures when the snapshot has no synced_at.
import_result import_snapshot(database& db, std::string_view json_text, std::string_view now_iso,
                              std::span<const snapshot_platform> platforms);

} // namespace store
