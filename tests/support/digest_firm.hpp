#pragma once
// A small firm on a fresh SQLite file for the digest tests: an admin and a
// bookkeeper linked to Slack, a bookkeeper with no chat identity.

#include "bot/cli/platform_list.hpp"
#include "handlers/context.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/request.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/firm_files.hpp"
#include "support/instants.hpp"
#include "support/running_app.hpp"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace digest_tests {

inline const std::string digest_firm_snapshot = test_support::firm_file("digest_firm");

using test_support::at;

struct digest_firm {
  test_support::temp_path path{".db"};
  std::unique_ptr<store::database> db = std::make_unique<store::database>(path.str());
  handlers::settings settings;

  digest_firm() {
    const auto result = bot::import_snapshot(*db, digest_firm_snapshot, "2026-11-27T09:00:00Z");
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
