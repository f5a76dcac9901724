#pragma once
// Row-to-record mapping shared by the store's query files. Column order is
// part of each mapping's contract: see the *_columns constants.

#include "store/sql_util.hpp"
#include "store/types.hpp"

namespace store::sql {

// id, partner_id, name, email, role
inline member read_member(query& q, int first = 0) {
  member m{q.text(first), q.text(first + 1), q.text(first + 2), q.text(first + 3), role::bookkeeper};
  m.role = parse_role(q.text(first + 4)).value_or(role::bookkeeper);
  return m;
}

// The client columns every client query selects, in read_client's order
// (clients as c, client_metrics as m).
#define STORE_CLIENT_COLUMNS                                                                                 \
  "c.id, c.partner_id, c.name, c.status, m.balance_minor, m.currency, m.missing_receipts, "                  \
  "m.ready_for_export, "                                                                                     \
  "m.synced_at"

inline client read_client(query& q) {
  client c;
  std::string status;
  q.read_into(c.id, c.partner_id, c.name, status, c.wallet_balance.minor, c.wallet_balance.currency,
              c.missing_receipts, c.ready_for_export, c.synced_at);
  c.status = parse_client_status(status).value_or(client_status::active);
  return c;
}

} // namespace store::sql
