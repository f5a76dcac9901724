#pragma once
// A small firm on a real in-memory store, shaped to pin the role rules:
// two partners, admins with and without assignments, bookkeepers with and
// without onboarding clients, a client only one bookkeeper may see.

#include "bot/platforms.hpp"
#include "handlers/context.hpp"
#include "handlers/request.hpp"
#include "handlers/view.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "support/view_text.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

namespace test_support {

inline const char* small_firm_snapshot = R"({
  "synced_at": "2026-11-27T09:00:00Z",
  "partner": {"id": "p-1", "name": "Nordic Ledger ApS", "slack_team_id": "T0001"},
  "members": [
    {"id": "m-anna", "name": "Anna Admin", "email": "anna@ledger.example", "role": "admin"},
    {"id": "m-alf", "name": "Alf Admin", "email": "alf@ledger.example", "role": "admin"},
    {"id": "m-bo", "name": "Bo Bogholder", "email": "bo@ledger.example", "role": "bookkeeper"},
    {"id": "m-cy", "name": "Cy Clerk", "email": "cy@ledger.example", "role": "bookkeeper", "slack_user_id": "UCY"}
  ],
  "clients": [
    {"id": "c-acme", "name": "Acme ApS", "status": "active",
     "wallet_balance": {"amount": "12345.50", "currency": "DKK"}, "missing_receipts": 4, "ready_for_export": 12,
     "bookkeepers": ["m-anna", "m-bo"]},
    {"id": "c-acme-h", "name": "Acme Holding A/S", "status": "active",
     "wallet_balance": {"amount": "10.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-cy"]},
    {"id": "c-aero", "name": "Ærø Cykler ApS", "status": "active",
     "wallet_balance": {"amount": "-3.00", "currency": "DKK"}, "missing_receipts": 7, "ready_for_export": 1,
     "bookkeepers": ["m-bo"]},
    {"id": "c-oster", "name": "Østerbro Bageri", "status": "onboarding",
     "wallet_balance": {"amount": "0.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-bo"]},
    {"id": "c-nordisk", "name": "Nordisk Design ApS", "status": "active",
     "wallet_balance": {"amount": "500.00", "currency": "EUR"}, "missing_receipts": 2, "ready_for_export": 3,
     "bookkeepers": []},
    {"id": "c-invite", "name": "Invite Tech ApS", "status": "invite",
     "wallet_balance": {"amount": "0.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": []},
    {"id": "c-zulu", "name": "Zulu Shipping", "status": "active",
     "wallet_balance": {"amount": "99.95", "currency": "DKK"}, "missing_receipts": 1, "ready_for_export": 0,
     "bookkeepers": ["m-cy"]},
    {"id": "c-secret", "name": "Hemmelig Holding ApS", "status": "active",
     "wallet_balance": {"amount": "777.00", "currency": "DKK"}, "missing_receipts": 9, "ready_for_export": 2,
     "bookkeepers": ["m-cy"]},
    {"id": "c-aabyhoj", "name": "Åbyhøj Auto", "status": "active",
     "wallet_balance": {"amount": "1.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 5,
     "bookkeepers": ["m-bo"]}
  ]
})";

// A second firm in the same database: no invites, nothing in onboarding.
inline const char* other_firm_snapshot = R"({
  "synced_at": "2026-11-27T09:00:00Z",
  "partner": {"id": "p-2", "name": "Other Firm ApS", "slack_team_id": "T0002"},
  "members": [
    {"id": "m-olga", "name": "Olga Other", "email": "olga@other.example", "role": "admin"}
  ],
  "clients": [
    {"id": "c-other", "name": "Acme Other ApS", "status": "active",
     "wallet_balance": {"amount": "1.00", "currency": "DKK"}, "missing_receipts": 3, "ready_for_export": 0,
     "bookkeepers": ["m-olga"]}
  ]
})";

struct firm {
  store::database db{":memory:"};
  handlers::settings settings;
  handlers::context ctx{db, settings};

  firm() {
    load(small_firm_snapshot);
    load(other_firm_snapshot);
  }
  explicit firm(const std::string& snapshot) { load(snapshot); }

  void load(const std::string& snapshot) {
    auto r = bot::import_snapshot(db, snapshot, "2026-11-27T09:00:00Z");
    if (!r.ok) throw std::runtime_error("snapshot: " + r.error);
    last_partner_id = r.partner_id;
  }

  store::member member(const std::string& partner_id, const std::string& id) {
    auto m = store::directory{db}.member_by_id(partner_id, id);
    REQUIRE(m);
    return *m;
  }

  // A linked caller on Slack.
  handlers::caller as(const std::string& member_id, const std::string& partner_id = "p-1") {
    handlers::caller c;
    c.partner = *store::directory{db}.partner_by_id(partner_id);
    c.member = member(partner_id, member_id);
    c.chat = {"slack",          *store::directory{db}.workspace_of(partner_id, "slack"),
              "U-" + member_id, c.member->email,
              "C-general",      ""};
    return c;
  }

  handlers::caller unlinked(const std::string& user_id, const std::string& profile_email,
                            const std::string& partner_id = "p-1") {
    handlers::caller c;
    c.partner = *store::directory{db}.partner_by_id(partner_id);
    c.chat = {"slack",     *store::directory{db}.workspace_of(partner_id, "slack"),
              user_id,     profile_email,
              "C-general", ""};
    return c;
  }

  std::string last_partner_id;
};

// The buttons of every action row, in order.
inline std::vector<handlers::button> buttons_of(const handlers::view& v) {
  std::vector<handlers::button> out;
  for (const auto& b : v.blocks)
    if (const auto* row = std::get_if<handlers::action_row>(&b))
      for (const auto& c : row->controls)
        if (const auto* bt = std::get_if<handlers::button>(&c)) out.push_back(*bt);
  return out;
}

inline std::optional<handlers::button> button_labelled(const handlers::view& v, const std::string& prefix) {
  for (const auto& b : buttons_of(v))
    if (b.label.rfind(prefix, 0) == 0) return b;
  return std::nullopt;
}

// The client rows (sections with an overflow menu).
inline std::vector<handlers::section> client_rows(const handlers::view& v) {
  std::vector<handlers::section> out;
  for (const auto& b : v.blocks)
    if (const auto* s = std::get_if<handlers::section>(&b))
      if (std::holds_alternative<handlers::menu>(s->side)) out.push_back(*s);
  return out;
}

} // namespace test_support
