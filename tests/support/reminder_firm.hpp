#pragma once
// The firms the reminder tests run on.

namespace test_support {

// Acme ApS: assigned to Anna (admin, the sender), Carl and Dina (on Slack),
// Bo (no chat identity) and Gry (on Slack and Teams). Emil works on Beta only.
inline constexpr const char* firm_snapshot = R"({
  "partner": {"id": "p-1", "name": "Nordic Ledger ApS", "slack_team_id": "T0001", "teams_tenant_id": "tenant-1"},
  "members": [
    {"id": "m-anna", "name": "Anna Admin", "email": "anna@ledger.example", "role": "admin", "slack_user_id": "U0001"},
    {"id": "m-lars", "name": "Lars Admin", "email": "lars@ledger.example", "role": "admin", "slack_user_id": "U0002"},
    {"id": "m-carl", "name": "Carl Clerk", "email": "carl@ledger.example", "role": "bookkeeper", "slack_user_id": "U0003"},
    {"id": "m-dina", "name": "Dina Debit", "email": "dina@ledger.example", "role": "bookkeeper", "slack_user_id": "U0004"},
    {"id": "m-bo", "name": "Bo Bookkeeper", "email": "bo@ledger.example", "role": "bookkeeper"},
    {"id": "m-emil", "name": "Emil Entry", "email": "emil@ledger.example", "role": "bookkeeper", "slack_user_id": "U0006"},
    {"id": "m-gry", "name": "Gry Gross", "email": "gry@ledger.example", "role": "bookkeeper", "slack_user_id": "U0007",
     "teams_aad_object_id": "aad-gry"}
  ],
  "clients": [
    {"id": "c-acme", "name": "Acme ApS", "status": "active",
     "wallet_balance": {"amount": "12345.50", "currency": "DKK"}, "missing_receipts": 4, "ready_for_export": 12,
     "bookkeepers": ["m-anna", "m-carl", "m-dina", "m-bo", "m-gry"]},
    {"id": "c-beta", "name": "Beta ApS", "status": "active",
     "wallet_balance": {"amount": "10.00", "currency": "DKK"}, "missing_receipts": 0, "ready_for_export": 1,
     "bookkeepers": ["m-emil"]},
    {"id": "c-solo", "name": "Solo ApS", "status": "active",
     "wallet_balance": {"amount": "0.00", "currency": "DKK"}, "missing_receipts": 2, "ready_for_export": 0,
     "bookkeepers": ["m-anna"]},
    {"id": "c-long", "name": "Vestjyllands Tømrer- og Snedkerforretning ApS", "status": "active",
     "wallet_balance": {"amount": "1.00", "currency": "EUR"}, "missing_receipts": 1, "ready_for_export": 0,
     "bookkeepers": ["m-carl"]}
  ],
  "synced_at": "2026-11-27T08:00:00Z"
})";

// Another firm on the same bot: its client must never be reachable from the first.
inline constexpr const char* rival_firm_snapshot = R"({
  "partner": {"id": "p-2", "name": "Other Revision A/S", "slack_team_id": "T0002"},
  "members": [
    {"id": "m-xena", "name": "Xena Admin", "email": "xena@other.example", "role": "admin", "slack_user_id": "U9001"},
    {"id": "m-yan", "name": "Yan Books", "email": "yan@other.example", "role": "bookkeeper", "slack_user_id": "U9002"}
  ],
  "clients": [
    {"id": "c-foreign", "name": "Foreign A/S", "status": "active",
     "wallet_balance": {"amount": "5.00", "currency": "DKK"}, "missing_receipts": 9, "ready_for_export": 3,
     "bookkeepers": ["m-yan"]}
  ]
})";

} // namespace test_support
