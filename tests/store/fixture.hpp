#pragma once
// Shared setup for the store tests: a small hand-written firm whose every
// client exercises one rule, plus a second firm that must never leak into it.

#include "bot/platforms.hpp"
#include "engines.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "store/types.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace store_test {

// Nordic Ledger: admin m-admin (assigned to c-1), admin m-admin2 (no
// assignments), bookkeepers m-book and m-book2.
inline const std::string firm_json = R"({
  "partner": {"id": "p-1", "name": "Nordic Ledger ApS", "slack_team_id": "T0001", "teams_tenant_id": "tenant-1"},
  "synced_at": "2026-11-27T10:00:00+01:00",
  "members": [
    {"id": "m-admin", "name": "Anna Admin", "email": "Anna@Firm.example", "role": "admin", "slack_user_id": "U0001"},
    {"id": "m-admin2", "name": "Bo Berg", "email": "bo@firm.example", "role": "admin"},
    {"id": "m-book", "name": "Carla Christensen", "email": "carla@firm.example", "role": "bookkeeper"},
    {"id": "m-book2", "name": "Dorte Dahl", "email": "dorte@firm.example", "role": "bookkeeper",
     "teams_aad_object_id": "aad-dorte", "shoe_size": 38}
  ],
  "clients": [
    {"id": "c-1", "name": "Acme ApS", "status": "active",
     "wallet_balance": {"amount": "1234.5", "currency": "DKK"}, "missing_receipts": 4, "ready_for_export": 12,
     "bookkeepers": ["m-book", "m-admin"]},
    {"id": "c-2", "name": "Ærø Cykler ApS", "status": "active",
     "wallet_balance": {"amount": "-3.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 1,
     "bookkeepers": ["m-book"]},
    {"id": "c-3", "name": "Østerbro Bageri ApS", "status": "onboarding",
     "wallet_balance": {"amount": "0", "currency": "EUR"}, "missing_receipts": 9, "ready_for_export": 0,
     "bookkeepers": ["m-book"]},
    {"id": "c-4", "name": "Ålborg Tømrer ApS", "status": "invite",
     "wallet_balance": {"amount": "10", "currency": "DKK"}, "missing_receipts": 2, "ready_for_export": 0,
     "bookkeepers": []},
    {"id": "c-5", "name": "Zebra Consult ApS", "status": "active",
     "wallet_balance": {"amount": "99.99", "currency": "SEK"}, "missing_receipts": 1, "ready_for_export": 3,
     "bookkeepers": ["m-book2"]},
    {"id": "c-6", "name": "Bager Hansen ApS", "status": "invite",
     "wallet_balance": {"amount": "5", "currency": "DKK"}, "missing_receipts": 30, "ready_for_export": 0,
     "bookkeepers": ["m-book"]},
    {"id": "c-7", "name": "Müller GmbH", "status": "active",
     "wallet_balance": {"amount": "7.25", "currency": "EUR"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": []}
  ]
})";

// Another firm whose clients and members must never show up for p-1.
inline const std::string other_firm_json = R"({
  "partner": {"id": "p-2", "name": "Other Books A/S", "slack_team_id": "T0002"},
  "members": [
    {"id": "m-x-admin", "name": "Xena Admin", "email": "anna@firm.example", "role": "admin"},
    {"id": "m-x-book", "name": "Yrsa Book", "email": "yrsa@other.example", "role": "bookkeeper"}
  ],
  "clients": [
    {"id": "c-x1", "name": "Acme Holding ApS", "status": "active",
     "wallet_balance": {"amount": "1", "currency": "DKK"}, "missing_receipts": 5, "ready_for_export": 0,
     "bookkeepers": ["m-x-book"]},
    {"id": "c-x2", "name": "Ærø Færger A/S", "status": "onboarding",
     "wallet_balance": {"amount": "1", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 0,
     "bookkeepers": ["m-x-book"]}
  ]
})";

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

} // namespace store_test
