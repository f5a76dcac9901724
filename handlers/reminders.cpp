#include "handlers/reminders.hpp"

namespace handlers {
namespace {

reply unavailable() {
  reply r;
  r.message = view{"Reminders are not available yet.", {section{"", "Reminders are not available yet.", {}}}};
  return r;
}

} // namespace

reply remind_command(context&, const caller&, std::string_view) { return unavailable(); }

reply open_reminder_form(context&, const caller&, std::string_view) { return unavailable(); }

reply on_reminder_submission(context&, const caller&, const submission&) { return unavailable(); }

std::vector<std::string> recent_reminder_lines(context&, std::string_view, int) { return {}; }

} // namespace handlers
