#pragma once
// What a digest pass reads, in as few queries as the volume allows: every
// member subscription joined with its member, its client's figures, whether
// the member may still see the client (the portal's role rules) and the
// member's chat identity on the platform where the subscription was made;
// a firm's clients with outstanding work for channel digests; and failed
// digest deliveries for admins. Same threading rules as store::database.

#include "store/database.hpp"
#include "store/types.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

struct digest_feed_row {
  subscription sub; // client_name filled
  member subscriber;
  store::client details;                 // the subscribed client and its figures
  bool visible = false;                  // the member may still see the client
  std::optional<chat_identity> identity; // on sub.platform
};

struct firm_outstanding {
  std::vector<client> top; // most missing receipts first, then ready for export, then name
  int clients = 0;         // clients with missing receipts or expenses ready for export
  std::int64_t missing_receipts = 0;
  std::int64_t ready_for_export = 0;
};

struct failed_delivery {
  std::string member_id;
  std::string member_name;
  std::string error;
  std::int64_t at_ms = 0; // when the failed row was enqueued
};

class digest_feed {
public:
  explicit digest_feed(database& db) : db_(db) {}

  // Streams rows ordered by member id, then client name (Danish order). The
  // visitor may write on the same connection (claims, outbox rows).
  void for_each(const std::function<void(const digest_feed_row&)>& visit);
  // The firm's clients with missing receipts or expenses ready for export.
  firm_outstanding outstanding(std::string_view partner_id, int limit);
  // The latest failed digest delivery per member of the partner since `since_ms`.
  std::vector<failed_delivery> failed_deliveries(std::string_view partner_id, std::int64_t since_ms,
                                                 int limit);

private:
  database& db_;
};

} // namespace store
