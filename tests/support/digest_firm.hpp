#pragma once
// A small firm on a fresh SQLite file for the digest tests: an admin and a
// bookkeeper linked to Slack, a bookkeeper with no chat identity.

#include "bot/platforms.hpp"
#include "handlers/context.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/request.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/instants.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace digest_tests {

inline constexpr const char* firm_snapshot = R"({
  "partner": {"id": "p-1", "name": "Nordic Ledger ApS", "slack_team_id": "T1"},
  "synced_at": "2026-11-27T09:00:00Z",
  "members": [
    {"id": "m-anna", "name": "Anna Admin", "email": "anna@firm.example", "role": "admin", "slack_user_id": "UANNA"},
    {"id": "m-bo", "name": "Bo Bookkeeper", "email": "bo@firm.example", "role": "bookkeeper", "slack_user_id": "UBO"},
    {"id": "m-cy", "name": "Cy Unlinked", "email": "cy@firm.example", "role": "bookkeeper"}
  ],
  "clients": [
    {"id": "c-acme", "name": "Acme ApS", "status": "active",
     "wallet_balance": {"amount": "12345.50", "currency": "DKK"}, "missing_receipts": 4, "ready_for_export": 12,
     "bookkeepers": ["m-bo", "m-cy"]},
    {"id": "c-beta", "name": "Beta ApS", "status": "active",
     "wallet_balance": {"amount": "10.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-bo"]},
    {"id": "c-quiet", "name": "Quiet ApS", "status": "active",
     "wallet_balance": {"amount": "0.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-bo"]},
    {"id": "c-zulu", "name": "Zulu ApS", "status": "active",
     "wallet_balance": {"amount": "-3.00", "currency": "EUR"}, "missing_receipts": 9, "ready_for_export": 1,
     "bookkeepers": []},
    {"id": "c-onb", "name": "Onboarding ApS", "status": "onboarding",
     "wallet_balance": {"amount": "0.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 3,
     "bookkeepers": []}
  ]
})";

using test_support::at;

// A fresh database file, removed with its WAL files afterwards.
class temp_db_path {
public:
  temp_db_path() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("partnerbot-digests-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".db"))
                .string();
  }
  ~temp_db_path() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_ + suffix, ignored);
  }
  temp_db_path(const temp_db_path&) = delete;
  temp_db_path& operator=(const temp_db_path&) = delete;
  const std::string& str() const { return path_; }

private:
  std::string path_;
};

struct firm {
  temp_db_path path;
  std::unique_ptr<store::database> db = std::make_unique<store::database>(path.str());
  handlers::settings settings;

  firm() {
    const auto result = bot::import_snapshot(*db, firm_snapshot, "2026-11-27T09:00:00Z");
    REQUIRE(result.ok);
  }

  handlers::context context(handlers::instant now = std::chrono::system_clock::now()) {
    handlers::context ctx{*db, settings};
    ctx.now = now;
    return ctx;
  }

  store::member member(const char* id) {
    auto m = store::directory(*db).member_by_id("p-1", id);
    REQUIRE(m);
    return *m;
  }

  handlers::caller caller(const char* member_id, const char* user_id, const char* channel = "C-GENERAL") {
    auto p = store::directory(*db).partner_by_id("p-1");
    REQUIRE(p);
    return handlers::caller{{"slack", "T1", user_id, "", channel, ""}, *p, member(member_id)};
  }

  void subscribe(const char* member_id, const char* client_id, store::frequency f, const char* created_at) {
    store::subscriptions(*db).set(store::subscription{member_id, client_id, "", f, "slack", created_at});
  }
};

} // namespace digest_tests
