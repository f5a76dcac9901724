#pragma once
// The firms the reminder tests run on.

#include "support/firm_files.hpp"

#include <string>

namespace test_support {

// Acme ApS: assigned to Anna (admin, the sender), Carl and Dina (on Slack),
// Bo (no chat identity) and Gry (on Slack and Teams). Emil works on Beta only.
inline const std::string reminder_firm_snapshot = test_support::firm_file("reminder_firm");

// Another firm on the same bot: its client must never be reachable from the first.
inline const std::string rival_firm_snapshot = test_support::firm_file("rival_firm");

} // namespace test_support
