#include "store/languages.hpp"

#include "store/memo.hpp"
#include "store/sql_util.hpp"

#include <stdexcept>

namespace store {
namespace {

constexpr const char* sql_of =
    "SELECT coalesce(choice, ''), locale, coalesce(locale_at, '') FROM member_languages WHERE member_id = ?1";
constexpr const char* sql_set_choice = "INSERT INTO member_languages(member_id, choice) VALUES (?1, ?2) "
                                       "ON CONFLICT(member_id) DO UPDATE SET choice = excluded.choice";
constexpr const char* sql_set_locale = "INSERT INTO member_languages(member_id, locale) VALUES (?1, ?2) "
                                       "ON CONFLICT(member_id) DO UPDATE SET locale = excluded.locale";
constexpr const char* sql_set_read_locale =
    "INSERT INTO member_languages(member_id, locale, locale_at) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(member_id) DO UPDATE SET locale = CASE WHEN excluded.locale = '' THEN "
    "member_languages.locale "
    "ELSE excluded.locale END, locale_at = excluded.locale_at";
constexpr const char* sql_locale_due =
    "SELECT ci.platform, ci.workspace_id, ci.user_id, ci.member_id, coalesce(ml.locale, '') "
    "FROM chat_identities ci LEFT JOIN member_languages ml ON ml.member_id = ci.member_id "
    "WHERE ci.platform = ?1 AND ci.member_id = ?2 AND ml.choice IS NULL "
    "AND (ml.locale_at IS NULL OR ml.locale_at < ?3)";
constexpr const char* sql_due_for_digests =
    "SELECT ci.platform, ci.workspace_id, ci.user_id, ci.member_id, coalesce(ml.locale, '') "
    "FROM (SELECT member_id, platform FROM subscriptions WHERE platform = ?1 "
    "      UNION SELECT created_by, platform FROM channel_subscriptions WHERE platform = ?1) s "
    "JOIN chat_identities ci ON ci.platform = s.platform AND ci.member_id = s.member_id "
    "LEFT JOIN member_languages ml ON ml.member_id = ci.member_id "
    "WHERE ml.choice IS NULL AND (ml.locale_at IS NULL OR ml.locale_at < ?2) "
    "ORDER BY ci.member_id";

// A chat locale is a short tag; anything longer is not one.
constexpr std::size_t max_locale_bytes = 35;

locale_due due_row(sql::query& q) {
  return {{q.text(0), q.text(1), q.text(2), q.text(3)}, q.text(4)};
}

} // namespace

language_setting member_languages::of(std::string_view member_id) {
  auto& memo = connection_memo::of(db_);
  const bool remember = memo.usable(db_);
  if (remember)
    if (const auto it = memo.languages.find(member_id); it != memo.languages.end()) return it->second;
  language_setting out;
  {
    sql::query q(db_, sql_of);
    q.bind(1, member_id);
    if (q.step()) out = {q.text(0), q.text(1), q.text(2)};
  }
  if (remember && connection_memo::may_fill(db_)) {
    memo.languages.emplace(std::string{member_id}, out);
    memo.bound();
  }
  return out;
}

void member_languages::set_choice(std::string_view member_id, std::string_view choice) {
  if (!choice.empty() && choice != "da" && choice != "en")
    throw std::invalid_argument("a language choice is da, en or empty");
  sql::query q(db_, sql_set_choice);
  q.bind(1, member_id).bind_or_null(2, choice);
  q.exec();
}

void member_languages::set_locale(std::string_view member_id, std::string_view locale) {
  sql::query q(db_, sql_set_locale);
  q.bind(1, member_id).bind(2, locale.substr(0, max_locale_bytes));
  q.exec();
}

void member_languages::set_read_locale(std::string_view member_id, std::string_view locale,
                                       std::string_view at) {
  sql::query q(db_, sql_set_read_locale);
  q.bind(1, member_id).bind(2, locale.substr(0, max_locale_bytes)).bind(3, at);
  q.exec();
}

std::vector<locale_due> member_languages::due(std::string_view platform,
                                              const std::vector<std::string>& member_ids,
                                              std::string_view read_before) {
  std::vector<locale_due> out;
  for (const auto& id : member_ids) {
    sql::query q(db_, sql_locale_due);
    q.bind(1, platform).bind(2, id).bind(3, read_before);
    if (q.step()) out.push_back(due_row(q));
  }
  return out;
}

std::vector<locale_due> member_languages::due_for_digests(std::string_view platform,
                                                          std::string_view read_before) {
  std::vector<locale_due> out;
  sql::query q(db_, sql_due_for_digests);
  q.bind(1, platform).bind(2, read_before);
  while (q.step())
    out.push_back(due_row(q));
  return out;
}

} // namespace store
