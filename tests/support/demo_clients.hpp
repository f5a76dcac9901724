#pragma once
// The bundled demo firm's clients, read from its snapshot: what tests
// expect is computed from the data the app imported, not from the app.

#include "bot/cli/demo_firm.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace test_support {

inline constexpr const char* demo_team = "T0DEMO";

struct demo_client {
  std::string id;
  std::string name;
  std::string status;
  std::string currency;
  std::int64_t missing = 0;
  std::vector<std::string> assigned; // member ids
  bool assigned_to(const std::string& member) const {
    return std::find(assigned.begin(), assigned.end(), member) != assigned.end();
  }
};

inline std::vector<demo_client> demo_clients() {
  namespace json = boost::json;
  std::vector<demo_client> out;
  const auto doc = json::parse(bot::demo_snapshot());
  for (const auto& c : doc.at("clients").as_array()) {
    demo_client d{std::string(c.at("id").as_string()),
                  std::string(c.at("name").as_string()),
                  std::string(c.at("status").as_string()),
                  std::string(c.at("wallet_balance").at("currency").as_string()),
                  c.at("missing_receipts").to_number<std::int64_t>(),
                  {}};
    for (const auto& b : c.at("bookkeepers").as_array())
      d.assigned.emplace_back(b.as_string());
    out.push_back(std::move(d));
  }
  return out;
}

} // namespace test_support
