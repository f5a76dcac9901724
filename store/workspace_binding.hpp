#pragma once
// Putting a partner on a workspace of a platform: a snapshot's import and
// an explicit bind (an install, `workspaces bind`) do it the same way.

#include "store/sql_util.hpp"

#include <string_view>

namespace store::sql {

// A partner is on at most one workspace per platform: a new one replaces any earlier one.
inline constexpr const char* sql_clear_partner_workspace =
    "DELETE FROM workspaces WHERE platform = ?1 AND partner_id = ?2";
inline constexpr const char* sql_insert_partner_workspace =
    "INSERT INTO workspaces(platform, workspace_id, partner_id) VALUES (?1, ?2, ?3)";

// The partner's workspace of the platform becomes `workspace_id`; an empty one leaves it none.
inline void place_partner_workspace(database& db, std::string_view platform, std::string_view partner_id,
                                    std::string_view workspace_id) {
  run(db, sql_clear_partner_workspace, platform, partner_id);
  if (!workspace_id.empty()) run(db, sql_insert_partner_workspace, platform, workspace_id, partner_id);
}

} // namespace store::sql
