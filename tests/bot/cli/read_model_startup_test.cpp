// The server listens before the firms' read models are built: /healthz
// answers at once, and a command for a firm whose model is still being
// built waits for that one build (nothing answered from a partial model,
// no second copy built on the request's thread).

#include "store/read_model.hpp"
#include "support/conditions.hpp"
#include "support/slack_firm.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <mutex>
#include <regex>
#include <stdexcept>

using namespace test_support;

namespace {

double startup_metric(unsigned short port, const std::string& name) {
  const auto text = http_request(port, "GET", "/metrics").body;
  const std::regex line("(^|\n)" + name + " ([0-9.e+]+)\n");
  std::smatch m;
  if (!std::regex_search(text, m, line)) return -1;
  return std::stod(m[2].str());
}

// Holds the start-up round before its first build until opened, and
// records the order the firms are built in. Opened when the test ends
// whatever happened, before the app is destroyed (see open_at_end).
class start_gate {
public:
  start_gate() {
    store::read_models::set_start_build_hook([this](const std::string& partner) {
      {
        std::lock_guard lock(mutex_);
        order_.push_back(partner);
      }
      opened_.wait();
    });
  }
  ~start_gate() { store::read_models::set_start_build_hook({}); }
  start_gate(const start_gate&) = delete;
  start_gate& operator=(const start_gate&) = delete;

  void open() {
    std::lock_guard lock(mutex_);
    if (!open_) open_promise_.set_value();
    open_ = true;
  }
  std::vector<std::string> order() const {
    std::lock_guard lock(mutex_);
    return order_;
  }

private:
  mutable std::mutex mutex_;
  std::vector<std::string> order_;
  bool open_ = false;
  std::promise<void> open_promise_;
  std::shared_future<void> opened_ = open_promise_.get_future().share();
};

struct open_at_end {
  start_gate& gate;
  ~open_at_end() { gate.open(); }
};

std::set<std::string> first_page(const slack_firm& f) {
  std::set<std::string> names;
  for (int i = 1; i <= 10; ++i)
    names.insert(f.client_name(i));
  return names;
}

} // namespace

TEST_CASE("the server answers /healthz before the read models are built, and a command waits for its "
          "firm's one build") {
  const slack_firm north{"p-51", "T0051", "North", 60};
  const slack_firm middle{"p-52", "T0052", "Middle", 30};
  const slack_firm south{"p-53", "T0053", "South", 45};
  start_gate gate;
  slack_app app({&north, &middle, &south});
  const open_at_end ensure{gate};

  // The round has begun with the first firm and is held there: nothing is built yet.
  REQUIRE(eventually([&] { return !gate.order().empty(); }));
  CHECK(http_request(app.port(), "GET", "/healthz").status == 200);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_start_pending") == 3);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_builds_total") == 0);

  // A command for the last firm in line waits for that firm's build.
  auto waiting = std::async(std::launch::async, [&] {
    return slack_command(app.port(), signing_secret, south.team_id, south.admin_user(), "clients all");
  });
  REQUIRE(eventually(
      [&] { return startup_metric(app.port(), "partnerbot_read_model_awaited_start_total") == 1; }));
  CHECK(waiting.wait_for(std::chrono::seconds(0)) == std::future_status::timeout);

  gate.open();
  REQUIRE(waiting.wait_for(std::chrono::seconds(30)) == std::future_status::ready);
  const auto answer = waiting.get();
  REQUIRE(answer.status == 200);
  CHECK(client_names_in(answer.body, south.prefix) == first_page(south));
  CHECK(contains(answer.body, "45 clients"));

  // The firm asked for was built next, ahead of its turn; one build per firm, none on request.
  REQUIRE(eventually([&] { return startup_metric(app.port(), "partnerbot_read_model_start_pending") == 0; }));
  CHECK(gate.order() == std::vector<std::string>{"p-51", "p-53", "p-52"});
  CHECK(startup_metric(app.port(), "partnerbot_read_model_builds_total") == 3);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_built_on_request_total") == 0);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_clients") == 60 + 30 + 45);

  // The same question again, from the held model, gets the same answer.
  CHECK(app.command(south, south.admin_user(), "clients all").body == answer.body);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_builds_total") == 3);
}

TEST_CASE("a firm whose start-up build fails is built when first asked for") {
  const slack_firm harbour{"p-61", "T0061", "Harbour", 25};
  store::read_models::set_start_build_hook([](const std::string& partner) {
    if (partner == "p-61") throw std::runtime_error("the start-up build of p-61 fails");
  });
  struct clear_hook {
    ~clear_hook() { store::read_models::set_start_build_hook({}); }
  } clear;
  slack_app app({&harbour});
  REQUIRE(eventually([&] { return startup_metric(app.port(), "partnerbot_read_model_start_pending") == 0; }));
  CHECK(startup_metric(app.port(), "partnerbot_read_model_builds_total") == 0);

  const auto answer = app.command(harbour, harbour.admin_user(), "clients all");
  REQUIRE(answer.status == 200);
  CHECK(client_names_in(answer.body, harbour.prefix) == first_page(harbour));
  CHECK(startup_metric(app.port(), "partnerbot_read_model_built_on_request_total") == 1);
  CHECK(startup_metric(app.port(), "partnerbot_read_model_builds_total") == 1);
}
