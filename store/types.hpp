#pragma once
// Plain domain records shared by the store and the handlers. No SQL, no JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

enum class role { admin, bookkeeper };
enum class client_status { invite, onboarding, active };
enum class tab { invites, onboarding, mine, all };
enum class frequency { daily, weekly, monthly };

std::string_view to_string(role r);
std::string_view to_string(client_status s);
std::string_view to_string(tab t);
std::string_view to_string(frequency f);
std::optional<role> parse_role(std::string_view s);
std::optional<client_status> parse_client_status(std::string_view s);
std::optional<tab> parse_tab(std::string_view s);
std::optional<frequency> parse_frequency(std::string_view s);

// An exact amount: minor units (hundredths) and an ISO 4217 currency code.
struct money {
  std::int64_t minor = 0;
  std::string currency;
};

struct partner {
  std::string id;
  std::string name;
};

struct member {
  std::string id;
  std::string partner_id;
  std::string name;
  std::string email;
  store::role role = role::bookkeeper;
};

struct client {
  std::string id;
  std::string partner_id;
  std::string name;
  client_status status = client_status::active;
  money wallet_balance;
  int missing_receipts = 0;
  int ready_for_export = 0;
  std::string synced_at; // ISO 8601 UTC, e.g. 2026-11-27T09:00:00Z
};

// A chat identity: which user of which chat workspace is which member. The
// platform is a name the adapter chose; the store only compares it.
struct chat_identity {
  std::string platform;
  std::string workspace_id; // the platform's workspace (team, tenant, ...)
  std::string user_id;      // the platform's stable user id
  std::string member_id;
};

// What a list of clients asks for. The store applies the viewer's role rules.
struct list_query {
  store::tab tab = tab::mine;
  bool missing_only = false;       // only clients with missing receipts
  bool descending = false;         // name Z..A (Danish order) instead of A..Z
  bool most_missing_first = false; // order by missing receipts desc, then name
  std::string search;              // substring of the name; empty: no filter
  int offset = 0;
  int limit = 10;
  // Ignore `tab`: every client the viewer may see (admins: the whole firm;
  // bookkeepers: their assigned onboarding and active clients), e.g. for
  // "search" and "missing" across tabs.
  bool every_visible = false;
};

struct client_page {
  std::vector<client> rows;
  int total = 0; // rows matching the query, ignoring offset/limit
};

struct tab_counts {
  int invites = 0;
  int onboarding = 0;
  int mine = 0;
  int all = 0;
};

struct subscription {
  std::string member_id;
  std::string client_id;
  std::string client_name;
  store::frequency frequency = frequency::weekly;
  std::string platform;   // where it was made; the DM goes there
  std::string created_at; // ISO 8601 UTC
};

struct channel_subscription {
  std::string partner_id;
  std::string platform;
  std::string workspace_id;
  std::string channel_id;
  store::frequency frequency = frequency::weekly;
  std::string created_by; // member id
  std::string created_at;
};

} // namespace store
