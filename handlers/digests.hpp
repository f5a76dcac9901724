#pragma once
// The digest pass (DESIGN.md "Digests"): for the slot due at an instant,
// one DM per member listing every client due for them, and the firm digest
// for each subscribed channel. Each (subscriber, slot) is claimed in the
// same transaction that enqueues its outbox row, so a second pass, a crash
// or a restart never sends a slot twice. Platform-neutral: rows carry the
// neutral view as JSON and the platform adapters render them at delivery.

#include "handlers/context.hpp"
#include "handlers/digest_schedule.hpp"
#include "handlers/view.hpp"
#include "store/digest_feed.hpp"

#include <string>
#include <vector>

namespace handlers {

struct pass_counts {
  std::string slot;        // ISO 8601 UTC of the slot; empty: no slot due at that instant
  int dms = 0;             // member DMs enqueued
  int channels = 0;        // channel digests enqueued
  int unreachable = 0;     // member DMs recorded as failed: no chat identity
  int already_claimed = 0; // subscribers whose slot an earlier pass took
};

struct pass_options {
  int subscribers_per_transaction = 250;
};

// Runs one pass for the slot due at `at` (none before 10:00 local). Calls
// ctx.outbox_wakeup after committing rows.
pass_counts digest_pass(context& ctx, instant at, const pass_options& options = {});

// The views (due_clients in display order), in the catalogue's language: the
// pass writes each in its recipient's language (a channel's: the admin who
// subscribed it).
view member_digest_view(const settings& cfg, const catalogue& t, slot_time slot,
                        const std::vector<store::client>& due_clients);
view channel_digest_view(const store::partner& firm, const catalogue& t, slot_time slot,
                         const store::firm_outstanding& work);

// Subscriber keys in digest_slots, and the outbox idempotency key of a slot.
std::string member_subscriber_key(std::string_view member_id, std::string_view platform);
std::string channel_subscriber_key(const store::channel_subscription& s);
std::string digest_key(std::string_view subscriber_key, std::string_view slot_iso);
inline constexpr const char* digest_origin = "digest";
// Clients detailed in one DM and in one channel digest; the rest are counted.
inline constexpr int dm_detail_limit = 20;
inline constexpr int channel_detail_limit = 40;

} // namespace handlers
