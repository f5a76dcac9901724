// `db copy`: a store moves between engines with every row, into an empty
// target only, and reads the same afterwards.

#include "fixture.hpp"
#include "store/clients.hpp"
#include "store/copy.hpp"
#include "store/credentials.hpp"
#include "store/installations.hpp"
#include "store/outbox.hpp"
#include "store/reminders.hpp"
#include "store/subscriptions.hpp"
#include "store/sync_state.hpp"
#include "support/running_app.hpp"

namespace {

// Every table's rows as text, blobs included, in a fixed order.
std::string copy_dump(store::database& db) {
  std::string out;
  for (const char* table :
       {"partners", "workspaces", "members", "chat_identities", "clients", "client_metrics", "assignments",
        "subscriptions", "digest_slots", "outbox", "reminders", "reminder_recipients", "pleo_credentials",
        "pleo_sync_leases", "workspace_installations", "install_states", "sort_key_collation"}) {
    auto q = db.connection().fresh(std::string("SELECT * FROM ") + table + " ORDER BY 1, 2");
    out += std::string("#") + table + "\n";
    while (q->step()) {
      for (int i = 0; i < q->column_count(); ++i) {
        const auto name = q->column_name(i);
        const bool blob = name == "sort_key" || name == "nonce" || name == "secret" ||
                          name == "token_nonce" || name == "token" || name == "refresh_nonce" ||
                          name == "refresh_token";
        out += q->is_null(i) ? "NULL|" : blob ? q->blob(i) + "|" : q->text(i) + "|";
      }
      out += "\n";
    }
  }
  return out;
}

void fill_copy_source(store::database& db) {
  store_test::load(db, store_test::firm_json);
  store_test::load(db, store_test::other_firm_json);
  store::subscriptions(db).set(
      {"m-book", "c-2", "", store::frequency::daily, "slack", "2026-11-27T10:00:00Z"});
  REQUIRE(store::digest_slots(db).claim("m-book", "2026-11-30T07:00:00Z"));
  store::outbox(db).enqueue({"k-1", "slack", "T0001", "user", "U0001", "m-book", R"({"t":"æ"})", "digest"},
                            5);
  REQUIRE(store::reminders(db).record({.partner_id = "p-1",
                                       .client_id = "c-1",
                                       .sender_member_id = "m-admin",
                                       .sender_name = "Anna Admin",
                                       .created_at = "2026-11-27T10:00:00Z",
                                       .tasks = {"missing_receipts"},
                                       .comment = "",
                                       .recipients = {{"m-book", "Carla Christensen", "queued"}}},
                                      "sub-1"));
  REQUIRE(store::credentials(db).put(
      "c-1", store::credential_kind::api_key,
      store::sealed_secret{std::string("\x00\x01\xff", 3), std::string("\x10\x00\x7f\x80", 4)},
      "2026-11-27T10:00:00Z"));
  REQUIRE(store::sync_states(db).take_lease("c-1", "here", 1000, 2000));
  store::installation i;
  i.key = {"slack", "", "T0001"};
  i.workspace_name = "Revisor";
  i.token = store::sealed_secret{std::string("\x00\x02", 2), std::string("\xfe\x00\x01", 3)};
  i.installed_at = "2026-11-27T10:00:00Z";
  store::installations(db).save(i);
  store::installations(db).add_state("state-1", 99999);
}

// A filled SQLite source and where an empty target of the engine under test is.
struct copy_rig {
  test_support::temp_path source_file, target_file;
  store::database source{source_file.str()};
  std::string target = store_test::location(target_file.str());
  copy_rig() { fill_copy_source(source); }
};

} // namespace

TEST_CASE("db copy moves every row into an empty database of either engine and back") {
  copy_rig rig;
  {
    store::database to(rig.target);
    const auto tables = store::copy_database(rig.source, to);
    REQUIRE_FALSE(tables.empty());
    CHECK(copy_dump(to) == copy_dump(rig.source));
    // The copy numbers on: a new row gets a new id.
    CHECK(store::outbox(to).enqueue({"k-2", "slack", "T0001", "user", "U0001", "m-book", "{}", "digest"}, 6));
    CHECK(store::outbox(to).by_key("k-2")->id > store::outbox(to).by_key("k-1")->id);
    // And back into a fresh SQLite file.
    test_support::temp_path back_file;
    store::database back(back_file.str());
    store::copy_database(to, back);
    CHECK(store::outbox(back).counts().pending == 2);
    CHECK(store::clients(back).visible(store_test::member(back, "p-1", "m-admin"), "c-2")->name ==
          "Ærø Cykler ApS");
  }
}

TEST_CASE("db copy refuses a target that holds data, and leaves it as it was") {
  copy_rig rig;
  store::database to(rig.target);
  store_test::load(to, store_test::other_firm_json);
  const auto before = copy_dump(to);
  CHECK_THROWS_WITH(store::copy_database(rig.source, to), Catch::Contains("not empty"));
  CHECK(copy_dump(to) == before);
}
