#include "store/directory.hpp"

#include "store/memo.hpp"
#include "store/rows.hpp"
#include "text/danish.hpp"

#include <ctime>

namespace store {
namespace {

constexpr const char* sql_partner_by_id = "SELECT id, name FROM partners WHERE id = ?";
constexpr const char* sql_partner_by_workspace =
    "SELECT p.id, p.name FROM workspaces w JOIN partners p ON p.id = w.partner_id "
    "WHERE w.platform = ? AND w.workspace_id = ?";
constexpr const char* sql_workspace_of =
    "SELECT workspace_id FROM workspaces WHERE partner_id = ? AND platform = ?";

constexpr const char* sql_member_by_id =
    "SELECT id, partner_id, name, email, role FROM members WHERE partner_id = ? AND id = ?";
constexpr const char* sql_member_by_email =
    "SELECT id, partner_id, name, email, role FROM members WHERE partner_id = ? AND email_fold = ?";
constexpr const char* sql_members_of =
    "SELECT id, partner_id, name, email, role FROM members WHERE partner_id = ? ORDER BY name, id";
constexpr const char* sql_member_for_identity =
    "SELECT m.id, m.partner_id, m.name, m.email, m.role FROM chat_identities i JOIN members m ON m.id = "
    "i.member_id "
    "WHERE i.platform = ? AND i.workspace_id = ? AND i.user_id = ?";

constexpr const char* sql_caller =
    "SELECT p.id, p.name, m.id, m.partner_id, m.name, m.email, m.role FROM workspaces w "
    "JOIN partners p ON p.id = w.partner_id "
    "LEFT JOIN chat_identities i ON i.platform = w.platform AND i.workspace_id = w.workspace_id AND "
    "i.user_id = ?3 "
    "LEFT JOIN members m ON m.id = i.member_id AND m.partner_id = p.id "
    "WHERE w.platform = ?1 AND w.workspace_id = ?2";
constexpr const char* sql_identities_of =
    "SELECT platform, workspace_id, user_id, member_id FROM chat_identities WHERE member_id = ? "
    "ORDER BY platform";
constexpr const char* sql_record_link =
    "INSERT INTO identity_links(platform, workspace_id, user_id, member_id, linked_by, linked_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr const char* sql_links_of =
    "SELECT member_id, linked_by FROM identity_links WHERE platform = ? AND workspace_id = ? AND user_id = ? "
    "ORDER BY id";

constexpr const char* sql_identity_of = "SELECT platform, workspace_id, user_id, member_id FROM "
                                        "chat_identities WHERE member_id = ? AND platform = ?";
constexpr const char* sql_identity_of_user =
    "SELECT member_id FROM chat_identities WHERE platform = ? AND workspace_id = ? AND user_id = ?";
constexpr const char* sql_delete_identity_of_user =
    "DELETE FROM chat_identities WHERE platform = ? AND workspace_id = ? AND user_id = ?";
constexpr const char* sql_insert_identity =
    "INSERT INTO chat_identities(platform, workspace_id, user_id, member_id) VALUES (?, ?, ?, ?)";

constexpr const char* sql_touch_last_platform =
    "UPDATE members SET last_platform = ?1 WHERE id = ?2 AND last_platform IS DISTINCT FROM ?1";
constexpr const char* sql_last_platform =
    "SELECT last_platform FROM members WHERE id = ? AND last_platform IS NOT NULL";

partner read_partner(sql::query& q) {
  return partner{q.text(0), q.text(1)};
}

std::optional<partner> one_partner(database& db, const char* sql_text, std::string_view key) {
  sql::query q(db, sql_text);
  q.bind(1, key);
  if (!q.step()) return std::nullopt;
  return read_partner(q);
}

std::optional<member> one_member(sql::query& q) {
  if (!q.step()) return std::nullopt;
  return sql::read_member(q);
}

} // namespace

std::optional<partner> directory::partner_by_id(std::string_view partner_id) {
  return one_partner(db_, sql_partner_by_id, partner_id);
}

std::optional<partner> directory::partner_by_workspace(std::string_view platform,
                                                       std::string_view workspace_id) {
  if (platform.empty() || workspace_id.empty()) return std::nullopt;
  sql::query q(db_, sql_partner_by_workspace);
  q.bind(1, platform).bind(2, workspace_id);
  if (!q.step()) return std::nullopt;
  return read_partner(q);
}

std::optional<std::string> directory::workspace_of(std::string_view partner_id, std::string_view platform) {
  sql::query q(db_, sql_workspace_of);
  q.bind(1, partner_id).bind(2, platform);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::optional<member> directory::member_by_id(std::string_view partner_id, std::string_view member_id) {
  sql::query q(db_, sql_member_by_id);
  q.bind(1, partner_id).bind(2, member_id);
  return one_member(q);
}

std::optional<member> directory::member_by_email(std::string_view partner_id, std::string_view email) {
  sql::query q(db_, sql_member_by_email);
  q.bind(1, partner_id).bind(2, text::fold_case(email));
  return one_member(q);
}

std::vector<member> directory::members_of(std::string_view partner_id) {
  sql::query q(db_, sql_members_of);
  q.bind(1, partner_id);
  std::vector<member> out;
  while (q.step())
    out.push_back(sql::read_member(q));
  return out;
}

std::optional<member> directory::member_for_identity(std::string_view platform, std::string_view workspace_id,
                                                     std::string_view user_id) {
  sql::query q(db_, sql_member_for_identity);
  q.bind(1, platform).bind(2, workspace_id).bind(3, user_id);
  return one_member(q);
}

std::optional<directory::caller>
directory::caller_of(std::string_view platform, std::string_view workspace_id, std::string_view user_id) {
  if (platform.empty() || workspace_id.empty()) return std::nullopt;
  auto& memo = connection_memo::of(db_);
  const bool remember = memo.usable(db_);
  std::string key;
  if (remember) {
    key = connection_memo::caller_key(platform, workspace_id, user_id);
    if (const auto it = memo.callers.find(key); it != memo.callers.end()) {
      if (!it->second.firm) return std::nullopt;
      return caller{*it->second.firm, it->second.linked};
    }
  }
  std::optional<caller> out;
  {
    sql::query q(db_, sql_caller);
    q.bind_all(platform, workspace_id, user_id);
    if (q.step()) {
      out.emplace(caller{read_partner(q), std::nullopt});
      if (!q.is_null(2)) out->linked = sql::read_member(q, 2);
    }
  }
  if (remember && connection_memo::may_fill(db_)) {
    memo.callers.emplace(std::move(key), out ? connection_memo::caller_entry{out->firm, out->linked}
                                             : connection_memo::caller_entry{});
    memo.bound();
  }
  return out;
}

std::vector<chat_identity> directory::identities_of(std::string_view member_id) {
  sql::query q(db_, sql_identities_of);
  q.bind(1, member_id);
  std::vector<chat_identity> out;
  while (q.step())
    out.push_back(chat_identity{q.text(0), q.text(1), q.text(2), q.text(3)});
  return out;
}

void directory::record_link(const chat_identity& identity, std::string_view linked_by) {
  sql::query q(db_, sql_record_link);
  q.bind(1, identity.platform)
      .bind(2, identity.workspace_id)
      .bind(3, identity.user_id)
      .bind(4, identity.member_id);
  q.bind(5, linked_by);
  // The time of the link, to the second in UTC (as SQLite's strftime wrote it).
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char at[24];
  std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &utc);
  q.bind(6, at);
  q.exec();
}

std::vector<std::pair<std::string, std::string>> directory::links_made_for(std::string_view platform,
                                                                           std::string_view workspace_id,
                                                                           std::string_view user_id) {
  sql::query q(db_, sql_links_of);
  q.bind(1, platform).bind(2, workspace_id).bind(3, user_id);
  std::vector<std::pair<std::string, std::string>> out;
  while (q.step())
    out.emplace_back(q.text(0), q.text(1));
  return out;
}

std::optional<chat_identity> directory::identity_of(std::string_view member_id, std::string_view platform) {
  sql::query q(db_, sql_identity_of);
  q.bind(1, member_id).bind(2, platform);
  if (!q.step()) return std::nullopt;
  return chat_identity{q.text(0), q.text(1), q.text(2), q.text(3)};
}

link_result directory::link(const chat_identity& identity) {
  transaction tx(db_);
  {
    sql::query mine(db_, sql_identity_of_user);
    mine.bind(1, identity.platform).bind(2, identity.workspace_id).bind(3, identity.user_id);
    if (mine.step() && mine.text(0) == identity.member_id) return link_result::already_linked;
  }
  if (auto held = identity_of(identity.member_id, identity.platform); held) return link_result::member_taken;
  {
    // A user linking to another member replaces their own previous link.
    sql::query drop(db_, sql_delete_identity_of_user);
    drop.bind(1, identity.platform).bind(2, identity.workspace_id).bind(3, identity.user_id);
    drop.exec();
  }
  sql::query add(db_, sql_insert_identity);
  add.bind(1, identity.platform)
      .bind(2, identity.workspace_id)
      .bind(3, identity.user_id)
      .bind(4, identity.member_id);
  add.exec();
  tx.commit();
  return link_result::linked;
}

void directory::touch_last_platform(std::string_view member_id, std::string_view platform) {
  sql::query q(db_, sql_touch_last_platform);
  q.bind(1, platform).bind(2, member_id);
  q.exec();
}

std::optional<std::string> directory::last_platform(std::string_view member_id) {
  auto& memo = connection_memo::of(db_);
  const bool remember = memo.usable(db_);
  if (remember)
    if (const auto it = memo.platforms.find(member_id); it != memo.platforms.end()) return it->second;
  std::optional<std::string> out;
  {
    sql::query q(db_, sql_last_platform);
    q.bind(1, member_id);
    if (q.step()) out = q.text(0);
  }
  if (remember && connection_memo::may_fill(db_)) {
    memo.platforms.emplace(std::string{member_id}, out);
    memo.bound();
  }
  return out;
}

namespace {
constexpr const char* sql_members_with_email =
    "SELECT id, partner_id, name, email, role FROM members WHERE email_fold = ? ORDER BY partner_id, id";
} // namespace

std::vector<member> directory::members_with_email(std::string_view email) {
  sql::query q(db_, sql_members_with_email);
  q.bind(1, text::fold_case(email));
  std::vector<member> out;
  while (q.step())
    out.push_back(sql::read_member(q));
  return out;
}

} // namespace store
