// Client names sort as ICU's Danish collator orders them: over every name of
// the demo firm and of the firms the tests use, through the stored keys, and
// after a database made with older keys is opened again.

#include "bot/cli/demo_firm.hpp"
#include "bot/cli/platform_list.hpp"
#include "fixture.hpp"
#include "store/clients.hpp"
#include "store/sort_keys.hpp"
#include "support/reminder_firm.hpp"
#include "support/small_firm.hpp"
#include "text/danish.hpp"

#include <SQLiteCpp/Statement.h>
#include <algorithm>
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

std::vector<std::string> client_names(const std::string& snapshot) {
  std::vector<std::string> out;
  const auto doc = boost::json::parse(snapshot);
  for (const auto& c : doc.at("clients").as_array())
    out.emplace_back(c.at("name").as_string());
  return out;
}

std::vector<std::string> every_test_name() {
  std::vector<std::string> out;
  for (const std::string& s :
       {bot::demo_snapshot(), std::string{test_support::small_firm_snapshot},
        std::string{test_support::other_firm_snapshot}, std::string{test_support::reminder_firm_snapshot},
        std::string{test_support::rival_firm_snapshot}, store_test::firm_json}) {
    auto names = client_names(s);
    out.insert(out.end(), names.begin(), names.end());
  }
  return out;
}

// ICU's own comparison; names it calls equal fall back to their bytes, as the keys do.
bool icu_before(const std::string& a, const std::string& b) {
  if (text::danish_less(a, b)) return true;
  if (text::danish_less(b, a)) return false;
  return a < b;
}

bool key_before(const std::string& a, const std::string& b) {
  return text::danish_sort_key(a) < text::danish_sort_key(b);
}

} // namespace

TEST_CASE("sort keys order every demo and test firm name exactly as ICU's Danish collator does") {
  auto names = every_test_name();
  REQUIRE(names.size() > 50);
  auto by_icu = names;
  std::sort(by_icu.begin(), by_icu.end(), icu_before);
  auto by_key = names;
  std::sort(by_key.begin(), by_key.end(), key_before);
  CHECK(by_key == by_icu);
  // "Aa" reads as "Å": such names come after every Ø name, not first.
  std::ptrdiff_t last_oe = -1, first_aa = static_cast<std::ptrdiff_t>(by_key.size());
  for (std::size_t i = 0; i < by_key.size(); ++i) {
    const auto i_signed = static_cast<std::ptrdiff_t>(i);
    if (by_key[i].starts_with("\u00d8")) last_oe = i_signed;
    if (by_key[i].starts_with("Aa")) first_aa = std::min(first_aa, i_signed);
  }
  CHECK(last_oe >= 0);
  CHECK(first_aa < static_cast<std::ptrdiff_t>(by_key.size()));
  CHECK(last_oe < first_aa);
}

TEST_CASE("the demo firm's All list is in ICU's Danish order, Aarhus among the Å names") {
  store::database db(":memory:");
  REQUIRE(bot::import_snapshot(db, bot::demo_snapshot(), "2026-11-27T09:00:00Z").ok);
  const auto admin = *store::directory(db).member_by_email("p-demo", "bo@nordlys.example");
  store::list_query q;
  q.tab = store::tab::all;
  q.limit = 10000;
  std::vector<std::string> listed;
  for (const auto& c : store::clients(db).list(admin, q).rows)
    listed.push_back(c.name);
  auto expected = client_names(bot::demo_snapshot());
  std::sort(expected.begin(), expected.end(), icu_before);
  CHECK(listed == expected);
  const auto aarhus =
      std::find_if(listed.begin(), listed.end(), [](auto& n) { return n.starts_with("Aarhus"); });
  REQUIRE(aarhus != listed.end());
  CHECK(std::distance(listed.begin(), aarhus) > static_cast<std::ptrdiff_t>(listed.size()) / 2);
}

TEST_CASE("a database whose keys another collation made gets ICU's keys when it is opened") {
  store_test::fresh_db_file file;
  {
    store::database db(file.path);
    REQUIRE(bot::import_snapshot(db, test_support::small_firm_snapshot, "2026-11-27T09:00:00Z").ok);
    // As a database made before: other keys, made by another collation.
    db.sql().exec("UPDATE clients SET sort_key = CAST(name AS BLOB)");
    db.sql().exec("UPDATE sort_key_collation SET version = 'hand-written'");
  }
  store::database reopened(file.path);
  SQLite::Statement q(reopened.sql(), "SELECT name, sort_key FROM clients");
  int checked = 0;
  while (q.executeStep()) {
    const std::string name = q.getColumn(0).getString();
    const auto key = q.getColumn(1);
    CHECK(std::string(static_cast<const char*>(key.getBlob()), static_cast<std::size_t>(key.getBytes())) ==
          text::danish_sort_key(name));
    ++checked;
  }
  CHECK(checked == 9);
  // Made once: opening again with the same collation changes nothing.
  CHECK(store::refresh_sort_keys(reopened) == 0);
}
