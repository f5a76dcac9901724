// The read models' memory is bounded and reported: /metrics shows what the
// running app holds for the firms it serves.

#include "support/conditions.hpp"
#include "support/slack_firm.hpp"

#include <catch2/catch.hpp>
#include <regex>

using namespace test_support;

namespace {

double metric(const std::string& text, const std::string& name) {
  const std::regex line("(^|\n)" + name + " ([0-9.e+]+)\n");
  std::smatch m;
  if (!std::regex_search(text, m, line)) return -1;
  return std::stod(m[2].str());
}

} // namespace

TEST_CASE("metrics report the read models' clients, memory and budget") {
  const slack_firm north{"p-41", "T0041", "North", 30};
  const slack_firm south{"p-42", "T0042", "South", 12};
  slack_app app({&north, &south});
  // The models are built right after start, while the server already answers.
  REQUIRE(eventually([&] {
    return metric(http_request(app.port(), "GET", "/metrics").body, "partnerbot_read_model_start_pending") ==
           0;
  }));
  const auto text = http_request(app.port(), "GET", "/metrics").body;
  CHECK(metric(text, "partnerbot_read_model_clients") == 42);
  CHECK(metric(text, "partnerbot_read_model_builds_total") >= 2);
  const auto bytes = metric(text, "partnerbot_read_model_bytes");
  CHECK(bytes > 42 * 100);
  CHECK(bytes < metric(text, "partnerbot_read_model_max_bytes"));
  CHECK(text.find("# TYPE partnerbot_read_model_bytes gauge\n") != std::string::npos);
  CHECK(text.find("# TYPE partnerbot_read_model_built_on_request_total counter\n") != std::string::npos);
}
