#pragma once
// The persistent outbox: every outbound chat message is a row here first,
// written in the same transaction as whatever caused it.

#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace store {

struct outbound_message {
  std::string idempotency_key; // unique; a second enqueue with it is a no-op
  std::string platform;        // the adapter that delivers it
  std::string workspace_id;    // the platform's workspace
  std::string recipient_kind;  // see the recipient kinds below
  std::string recipient;       // a user id, a channel id, "channel|user", or a reply address
  std::string member_id;       // for DMs: the member it is for (audit); may be empty
  std::string payload;         // the neutral view as JSON (handlers::view_to_json)
  std::string origin;          // "digest", "reminder:<id>", "notice"
};

// Recipient kinds. The recipient of a reply is an address the adapter made
// from the request (opaque to everyone else).
namespace recipient_kinds {
inline constexpr const char* user = "user";       // a DM to a chat user
inline constexpr const char* channel = "channel"; // a post in a channel
inline constexpr const char* in_channel_private =
    "private";                                    // a conversation and a user: seen by that user only
inline constexpr const char* reply = "reply";     // a new answer to the request
inline constexpr const char* replace = "replace"; // the answer replaces the message a control was on
} // namespace recipient_kinds

// A recipient made of two ids, written "first|second": a private message's
// conversation and user, a reply's conversation and message. Chat ids never
// hold '|'; a conversation id may hold ';' and ':', so the last
// bar splits. The one writer and the one parser of that format.
struct address_pair {
  std::string first;
  std::string second;

  std::string str() const { return first + '|' + second; }
  // nullopt unless both parts are there.
  static std::optional<address_pair> parse(std::string_view recipient);
};

struct outbox_row {
  std::int64_t id = 0;
  outbound_message message;
  int attempts = 0;
  std::int64_t next_attempt_ms = 0; // unix epoch milliseconds
  std::string status;               // pending, sent, failed
  bool held = false;                // pending, and waiting for release()
  std::string last_error;
};

struct outbox_counts {
  std::int64_t pending = 0;
  std::int64_t sent = 0;
  std::int64_t failed = 0;
  std::int64_t retried = 0; // total retry attempts so far
};

class outbox {
public:
  explicit outbox(database& db) : db_(db) {}

  // False when the idempotency key is already present (nothing written).
  bool enqueue(const outbound_message& m, std::int64_t now_ms);
  // A row that waits for release() before it is delivered (a message whose
  // text depends on how other rows fared). False when the key is present.
  bool enqueue_held(const outbound_message& m, std::int64_t now_ms);
  // Gives a held row its final payload and makes it due at `now_ms`. False
  // when the row is not held (unknown, or released already).
  bool release(std::string_view idempotency_key, std::string_view payload, std::int64_t now_ms);
  // Pending rows whose next attempt is due, oldest first.
  std::vector<outbox_row> due(std::int64_t now_ms, int limit);
  // The due rows without their payloads, which is all a deliverer needs to
  // choose among them (claim_rows reads the payloads of those it takes), in
  // a fair order: each conversation's oldest row before any conversation's
  // second, and among those the workspaces taking turns.
  std::vector<outbox_row> due_heads(std::int64_t now_ms, int limit);
  std::optional<std::int64_t> next_due_ms(); // earliest pending next attempt (held rows have none)
  // The earliest next attempt later than `now_ms`: when a row not yet due becomes due.
  std::optional<std::int64_t> next_due_after(std::int64_t now_ms);
  // Claims each row that is still due for `lease_ms`, in one transaction:
  // until the lease ends no other deliverer (another process on this
  // database, such as `digest run` beside `serve`) sees it as due, so one of
  // them sends it. Returns the ids claimed; a row sent or claimed by another
  // deliverer meanwhile is left out. A deliverer that dies holding a claim
  // leaves the row to be sent again once the lease is over.
  std::vector<std::int64_t> claim(const std::vector<std::int64_t>& ids, std::int64_t now_ms,
                                  std::int64_t lease_ms);
  // claim(), returning the claimed rows whole (payloads included).
  std::vector<outbox_row> claim_rows(const std::vector<std::int64_t>& ids, std::int64_t now_ms,
                                     std::int64_t lease_ms);
  void mark_sent(std::int64_t id, std::int64_t now_ms);
  void mark_retry(std::int64_t id, std::int64_t next_attempt_ms, std::string_view error);
  void mark_failed(std::int64_t id, std::string_view error);
  std::optional<outbox_row> by_key(std::string_view idempotency_key);
  std::vector<outbox_row> by_origin(std::string_view origin);
  outbox_counts counts();

private:
  database& db_;
};

} // namespace store
