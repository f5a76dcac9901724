#pragma once
// A reminder's confirmation to the admin who sent it: what became of each
// bookkeeper's DM, written once every DM has reached its final state.

#include "handlers/language.hpp"
#include "handlers/view.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace handlers {

struct catalogue;

// Outbox origin of a reminder's DMs: the prefix and the reminder id.
inline constexpr std::string_view reminder_origin_prefix = "reminder:";

// How one bookkeeper's reminder ended, as the confirmation tells it. A
// delivery error "unreachable: ..." is the platform saying the recipient
// cannot get the app's messages (not installed for them, or blocked).
enum class reach { on_its_way, sent, not_linked, no_app, failed };

struct recipient_outcome {
  std::string name;
  reach how = reach::on_its_way;
  std::string platform; // where the DM went ("" when none did)
};

// "Done! 2 bookkeepers notified about Acme ApS", and on a second line whom
// it did not reach and why. A DM still on its way counts as notified.
view reminder_confirmation_view(const catalogue& t, std::string_view client_name,
                                const std::vector<recipient_outcome>& all);

// The confirmation waits (a held outbox row) until every DM has reached its
// final state, so that it tells the admin what happened rather than what was
// attempted: whether someone has not got the app is known only once their
// platform has refused the message, and an admin who reads "done" does not
// look again. The DMs go out within seconds, so the wait is short; a DM the
// outbox retries holds it back until the retries end. While held, the row's
// payload is what rendering needs later (held_confirmation), not a view.
struct held_confirmation {
  language lang = language::en;
  std::string client;
};

std::string encode_held(const held_confirmation& h);

// The outbox keys of a reminder's DM to a member and of its confirmation.
std::string reminder_dm_key(std::int64_t reminder_id, std::string_view member_id);
std::string reminder_confirmation_key(std::int64_t reminder_id);

// Releases the reminder's held confirmation once no DM is on its way.
void release_confirmation_when_final(store::database& db, std::int64_t reminder_id, std::int64_t now_ms);

} // namespace handlers
