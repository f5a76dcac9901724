#pragma once
// Deterministic fictional firms as snapshot JSON: the bundled demo firm and
// larger generated ones for tests and benchmarks. The same spec always gives
// the same document (no clock, no global random state).
//
// The demo firm "Nordlys Revision ApS" (partner p-demo, Slack team T0DEMO):
//   admins       anna@nordlys.example   (Anna Admin, m-anna; assigned to some active clients)
//                bo@nordlys.example     (Bo Berg, m-bo; assigned to none: defaults to "all")
//   bookkeepers  carla@nordlys.example  (Carla Christensen, m-carla)
//                dorte@nordlys.example  (Dorte Dahl, m-dorte)
//                emil@nordlys.example   (Emil Eriksen, m-emil)
//                frida@nordlys.example  (Frida Friis, m-frida)
//                gustav@nordlys.example (Gustav Grøn, m-gustav)
// Clients c-demo-0001 ... (about 60): "Ærø Cykler ApS", "Østerbro Bageri ApS",
// "Ålborg Tømrer ApS", Swedish, Norwegian and German names among them.
// Every active or onboarding client has one or two bookkeepers; invites have none.
//
// Other partner ids give other ids and e-mails (partner "p-x": clients
// c-x-0001..., members m-x-anna..., e-mails anna@x.example), so several
// generated firms can live in one database.

#include <string>

namespace bot {

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

} // namespace bot
