#include "store/languages.hpp"

#include "store/sql_util.hpp"

#include <stdexcept>

namespace store {
namespace {

constexpr const char* sql_of =
    "SELECT coalesce(choice, ''), locale FROM member_languages WHERE member_id = ?1";
constexpr const char* sql_set_choice = "INSERT INTO member_languages(member_id, choice) VALUES (?1, ?2) "
                                       "ON CONFLICT(member_id) DO UPDATE SET choice = excluded.choice";
constexpr const char* sql_set_locale = "INSERT INTO member_languages(member_id, locale) VALUES (?1, ?2) "
                                       "ON CONFLICT(member_id) DO UPDATE SET locale = excluded.locale";

// A chat locale is a short tag; anything longer is not one.
constexpr std::size_t max_locale_bytes = 35;

} // namespace

language_setting member_languages::of(std::string_view member_id) {
  sql::query q(db_, sql_of);
  q.bind(1, member_id);
  if (!q.step()) return {};
  return {q.text(0), q.text(1)};
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

} // namespace store
