#pragma once
// The chat platforms this program speaks, as the rest of it sees them: a
// name (stored as data in workspaces, chat identities and outbox rows) and
// the snapshot fields that carry each one's workspace and user ids
// (DESIGN.md "Data in: snapshot import"). Adding a platform adds a line here.

#include "store/snapshot.hpp"

#include <array>
#include <string_view>

namespace bot {

namespace platforms {
inline constexpr std::string_view slack = "slack";
inline constexpr std::string_view teams = "teams";
} // namespace platforms

inline const std::array<store::snapshot_platform, 2>& snapshot_platforms() {
  static const std::array<store::snapshot_platform, 2> fields{{
      {std::string{platforms::slack}, "slack_team_id", "slack_user_id"},
      {std::string{platforms::teams}, "teams_tenant_id", "teams_aad_object_id"},
  }};
  return fields;
}

// store::import_snapshot reading every platform's fields.
inline store::import_result import_snapshot(store::database& db, std::string_view json_text,
                                            std::string_view now_iso) {
  return store::import_snapshot(db, json_text, now_iso, snapshot_platforms());
}

} // namespace bot
