#pragma once
// Deterministic fictional firms as snapshot JSON: the bundled demo firm and
// larger generated ones for tests and benchmarks.

#include <string>

namespace store {

struct firm_spec {
  std::string partner_id = "p-demo";
  std::string partner_name = "Nordlys Revision ApS";
  std::string slack_team_id = "T0DEMO";
  int clients = 60;
  int admins = 2;
  int bookkeepers = 5;
  unsigned seed = 1;
};

// The demo firm: about 60 clients across all statuses, 2 admins, 5 bookkeepers.
// Admin e-mails: anna@nordlys.example, ...; see README.
std::string demo_snapshot();
std::string generate_snapshot(const firm_spec& spec);

} // namespace store
