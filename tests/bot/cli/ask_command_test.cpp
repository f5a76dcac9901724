// `partnerbot ask` prints names from outside (the snapshot, Pleo) so that
// they cannot steer the terminal it prints to.

#include "bot/cli/ask_command.hpp"
#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "support/firm_files.hpp"
#include "support/running_app.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace {

const std::string hostile_names_snapshot = test_support::firm_file("hostile_names_firm");

// What `run` writes to standard output (the command prints there itself).
template <typename F> std::string stdout_of_ask(F run) {
  test_support::temp_path captured{".out"};
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(captured.str().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE((saved >= 0 && fd >= 0));
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  const int rc = run();
  std::fflush(stdout);
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  CHECK(rc == 0);
  std::ifstream in(captured.str(), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool has_terminal_control(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80)
      return true;
  }
  return false;
}

} // namespace

TEST_CASE("ask prints names from outside with their control characters escaped, as text and as JSON") {
  test_support::temp_path file{".db"};
  {
    store::database db(file.str());
    const auto r = bot::import_snapshot(db, hostile_names_snapshot, "2026-11-27T09:00:00Z");
    REQUIRE(r.ok);
  }
  bot::config cfg;
  cfg.db_path = file.str();

  const auto text = stdout_of_ask(
      [&] { return bot::run_ask_command(cfg, "anna@firm.example", "client evil", bot::ask_output::text); });
  INFO(text);
  CHECK_FALSE(has_terminal_control(text));
  CHECK(text.find("Evil\\x1b[2J\\x1b]0;owned\\x07 Co\\u009b31m") != std::string::npos);
  CHECK(text.find('\n') != text.size() - 1); // still several lines

  const auto json = stdout_of_ask([&] {
    return bot::run_ask_command(cfg, "anna@firm.example", "client evil", bot::ask_output::slack_json);
  });
  INFO(json);
  CHECK_FALSE(has_terminal_control(json));
  // JSON's own escapes, and C1 as a JSON escape too.
  CHECK(json.find("Evil\\u001b[2J") != std::string::npos);
  CHECK(json.find("Co\\u009b31m") != std::string::npos);
}
