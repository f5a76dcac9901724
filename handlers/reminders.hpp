#pragma once
// "Notify the bookkeepers": admins only. The form, its validation, and the
// send (one outbox DM per assigned bookkeeper, recorded for audit).

#include "handlers/context.hpp"
#include "handlers/request.hpp"
#include "store/outbox.hpp"

#include <string_view>

namespace handlers {

reply remind_command(context& ctx, const caller& who, std::string_view name);
reply open_reminder_form(context& ctx, const caller& who, std::string_view client_id);
// Records the reminder and enqueues, in one transaction, a DM per reachable
// assigned bookkeeper and the sender's confirmation (outbox origin
// reminder_confirmation_origin). A retried submission changes nothing.
reply on_reminder_submission(context& ctx, const caller& who, const submission& sub);
// The members a reminder submission would write to (none when it would be
// refused), so that their languages can be learnt before it is answered.
std::vector<std::string> reminder_recipients(context& ctx, const caller& who, const submission& sub);
inline constexpr std::string_view reminder_confirmation_origin = "reminder-confirmation";
// The final delivery outcome of an outbox row ("sent" or "failed: ..."):
// a reminder DM's is recorded against its recipient; other rows are ignored.
void record_reminder_outcome(store::database& db, const store::outbound_message& m, std::string_view outcome);
// For admins' client cards: the last reminders as note lines.
std::vector<std::string> recent_reminder_lines(context& ctx, const catalogue& t, std::string_view client_id,
                                               int limit);

} // namespace handlers
