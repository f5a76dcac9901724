#include "store/chat_addresses.hpp"

#include "store/sql_util.hpp"

namespace store {
namespace {

// The WHERE clause keeps an unchanged address from taking the write lock's
// journal work and from bumping updated_ms.
constexpr const char* sql_remember =
    "INSERT INTO chat_addresses(platform, workspace_id, kind, target, address, updated_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(platform, workspace_id, kind, target) DO UPDATE SET "
    "address = excluded.address, updated_ms = excluded.updated_ms WHERE chat_addresses.address <> "
    "excluded.address";
constexpr const char* sql_find_address =
    "SELECT address, updated_ms FROM chat_addresses "
    "WHERE platform = ?1 AND workspace_id = ?2 AND kind = ?3 AND target = ?4";

} // namespace

bool chat_addresses::remember(const chat_address& a) {
  // Read first: an unchanged address (the common case) needs no write transaction at all.
  if (auto known = find(a.platform, a.workspace_id, a.kind, a.target); known && known->address == a.address)
    return false;
  sql::query q(db_, sql_remember);
  q.bind(1, a.platform).bind(2, a.workspace_id).bind(3, a.kind).bind(4, a.target).bind(5, a.address);
  q.bind(6, a.updated_ms);
  return q.exec() > 0;
}

std::optional<chat_address> chat_addresses::find(std::string_view platform, std::string_view workspace_id,
                                                 std::string_view kind, std::string_view target) {
  sql::query q(db_, sql_find_address);
  q.bind(1, platform).bind(2, workspace_id).bind(3, kind).bind(4, target);
  if (!q.step()) return std::nullopt;
  chat_address out{std::string(platform),
                   std::string(workspace_id),
                   std::string(kind),
                   std::string(target),
                   q.text(0),
                   q.int64(1)};
  return out;
}

} // namespace store
