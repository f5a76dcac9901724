#pragma once
// Shared setup for the store tests: a small hand-written firm whose every
// client exercises one rule, plus a second firm that must never leak into it.

#include "bot/cli/platform_list.hpp"
#include "engines.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "store/types.hpp"
#include "support/firm_files.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace store_test {

// Nordic Ledger: admin m-admin (assigned to c-1), admin m-admin2 (no
// assignments), bookkeepers m-book and m-book2.
inline const std::string firm_json = test_support::firm_file("store_firm");

// Another firm whose clients and members must never show up for p-1.
inline const std::string other_firm_json = test_support::firm_file("store_other_firm");

// A database path in a fresh temporary directory (the file does not exist
// yet), removed with everything SQLite put beside it.
struct fresh_db_file {
  std::filesystem::path dir;
  std::string path;
  fresh_db_file() {
    std::string pattern = (std::filesystem::temp_directory_path() / "partnerbot-store-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    path = (dir / "test.db").string();
  }
  ~fresh_db_file() { std::filesystem::remove_all(dir); }
  fresh_db_file(const fresh_db_file&) = delete;
  fresh_db_file& operator=(const fresh_db_file&) = delete;
  const std::string& str() const { return path; }
};

constexpr const char* import_time = "2026-11-28T08:00:00Z";

inline void load(store::database& db, const std::string& json) {
  const auto r = bot::import_snapshot(db, json, import_time);
  INFO(r.error);
  REQUIRE(r.ok);
}

inline store::member member(store::database& db, const char* partner_id, const char* member_id) {
  store::directory dir(db);
  auto m = dir.member_by_id(partner_id, member_id);
  REQUIRE(m);
  return *m;
}

} // namespace store_test

namespace store_test {

inline store::list_query query(store::tab t, std::string search = {}, int limit = 10) {
  store::list_query q;
  q.tab = t;
  q.search = std::move(search);
  q.limit = limit;
  return q;
}

// The ids of a page's clients, or of a list of clients, in order.
inline std::vector<std::string> ids(const store::client_page& page) {
  std::vector<std::string> out;
  for (const auto& c : page.rows)
    out.push_back(c.id);
  return out;
}

inline std::vector<std::string> ids(const std::vector<store::client>& clients) {
  std::vector<std::string> out;
  for (const auto& c : clients)
    out.push_back(c.id);
  return out;
}

} // namespace store_test
