#include "store/home_views.hpp"

#include "store/sql_util.hpp"

namespace store {
namespace {

constexpr const char* sql_home_opened =
    "INSERT INTO home_viewers(platform, workspace_id, user_id, enterprise_id, opened_ms, published_hash, "
    "published_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT(platform, workspace_id, user_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, "
    "opened_ms = excluded.opened_ms, published_hash = excluded.published_hash, "
    "published_ms = excluded.published_ms";
constexpr const char* sql_home_published =
    "UPDATE home_viewers SET published_ms = ?4, "
    "published_hash = CASE WHEN ?5 = '' THEN published_hash ELSE ?5 END "
    "WHERE platform = ?1 AND workspace_id = ?2 AND user_id = ?3";
constexpr const char* sql_home_viewers =
    "SELECT platform, workspace_id, user_id, enterprise_id, opened_ms, published_hash, published_ms "
    "FROM home_viewers WHERE platform = ?1 ORDER BY workspace_id, user_id";
// Both counters only grow, so their sum moves whenever either does.
constexpr const char* sql_home_generation =
    "SELECT (SELECT n FROM client_generation WHERE id = 1) + (SELECT n FROM home_generation WHERE id = 1)";

} // namespace

void home_views::opened(const home_viewer& v) {
  sql::run(db_, sql_home_opened, v.platform, v.workspace_id, v.user_id, v.enterprise_id, v.opened_ms,
           v.published_hash, v.published_ms);
}

void home_views::published(std::string_view platform, std::string_view workspace_id, std::string_view user_id,
                           std::string_view hash, std::int64_t now_ms) {
  sql::run(db_, sql_home_published, platform, workspace_id, user_id, now_ms, hash);
}

std::vector<home_viewer> home_views::viewers(std::string_view platform) {
  sql::query q(db_, sql_home_viewers);
  return q.bind_all(platform).rows([](sql::query& r) {
    home_viewer v;
    r.read_into(v.platform, v.workspace_id, v.user_id, v.enterprise_id, v.opened_ms, v.published_hash,
                v.published_ms);
    return v;
  });
}

std::int64_t home_views::generation() {
  sql::query q(db_, sql_home_generation);
  q.step();
  return q.int64(0);
}

} // namespace store
