#include "handlers/dispatch.hpp"
#include "store/directory.hpp"
#include "support/small_firm.hpp"

using namespace handlers;
using test_support::mentions;

namespace {

std::string reply_text(const reply& r) {
  REQUIRE(r.message);
  return test_support::all_text(*r.message);
}

std::optional<store::member> linked(test_support::small_firm& f, const std::string& user_id) {
  return store::directory{f.db}.member_for_identity("slack", "T0001", user_id);
}

// The answer to `text` from a chat user nobody linked yet, whose profile has `email`.
std::string unlinked_reply(test_support::small_firm& f, const std::string& user_id, const std::string& email,
                           std::string_view text) {
  return reply_text(on_command(f.ctx, f.unlinked(user_id, email), text));
}

// That unlinked chat user's `text` is refused with `answer`, and they stay unlinked.
void check_link_refused(test_support::small_firm& f, const std::string& user_id, const std::string& email,
                        std::string_view text, std::string_view answer) {
  CHECK(unlinked_reply(f, user_id, email, text).find(answer) != std::string::npos);
  CHECK_FALSE(linked(f, user_id));
}

} // namespace

TEST_CASE("an unlinked caller only learns how to get linked") {
  test_support::small_firm f;
  const auto stranger = f.unlinked("UNEW", "new@ledger.example");
  for (const char* text : {"", "clients all", "search acme", "missing", "client acme aps", "digests",
                           "digest acme aps weekly", "remind acme aps", "nonsense words"}) {
    INFO(text);
    const auto t = reply_text(on_command(f.ctx, stranger, text));
    CHECK(t.find("link @you your@email") != std::string::npos);
    CHECK(t.find("link your@email") != std::string::npos);
    CHECK(t.find("Acme") == std::string::npos);
  }
  const auto a = reply_text(on_action(f.ctx, stranger, action{"clients.menu", "open|c-acme"}));
  CHECK(a.find("Acme") == std::string::npos);
  CHECK(a.find("link your@email") != std::string::npos);
  const auto s = reply_text(on_submission(f.ctx, stranger, submission{"reminder", "c-acme", "sub-1", {}}));
  CHECK(s.find("link your@email") != std::string::npos);
  // help works unlinked.
  CHECK(reply_text(on_command(f.ctx, stranger, "help")).find("link EMAIL") != std::string::npos);
}

TEST_CASE("link EMAIL links the caller when it is the chat profile's own e-mail") {
  test_support::small_firm f;
  const auto bo = f.unlinked("UBO", "Bo@Ledger.example");
  const auto t = reply_text(on_command(f.ctx, bo, "link bo@ledger.example"));
  CHECK(t.find("Linked") != std::string::npos);
  CHECK(t.find("Bo Bogholder") != std::string::npos);
  REQUIRE(linked(f, "UBO"));
  CHECK(linked(f, "UBO")->id == "m-bo");
}

TEST_CASE("link EMAIL refuses someone else's e-mail and changes nothing") {
  test_support::small_firm f;
  check_link_refused(f, "UMAL", "mallory@elsewhere.example", "link anna@ledger.example",
                     "not the e-mail on your chat profile");
  // Without a profile e-mail nothing can be checked.
  check_link_refused(f, "UHID", "", "link anna@ledger.example", "can't see the e-mail");
}

TEST_CASE("link EMAIL refuses a member another chat user already holds") {
  test_support::small_firm f;
  // Cy is linked to UCY by the snapshot; someone else with Cy's e-mail on their profile is refused.
  check_link_refused(f, "UTWIN", "cy@ledger.example", "link cy@ledger.example",
                     "Another chat user is already linked");
  CHECK(linked(f, "UCY")->id == "m-cy");
}

TEST_CASE("link EMAIL for an e-mail no member has says so") {
  test_support::small_firm f;
  check_link_refused(f, "UX", "nobody@ledger.example", "link nobody@ledger.example", "No member");
  // Members of another firm are not found from this workspace.
  check_link_refused(f, "UOLGA", "olga@other.example", "link olga@other.example", "No member");
}

TEST_CASE("an admin links someone else; a bookkeeper cannot") {
  test_support::small_firm f;
  const auto t = reply_text(on_command(f.ctx, f.as("m-anna"), "link @{UBO2} bo@ledger.example"));
  CHECK(t.find("Linked") != std::string::npos);
  REQUIRE(linked(f, "UBO2"));
  CHECK(linked(f, "UBO2")->id == "m-bo");

  const auto refused = reply_text(on_command(f.ctx, f.as("m-cy"), "link @{UALF} alf@ledger.example"));
  CHECK(refused.find("Only an admin") != std::string::npos);
  CHECK_FALSE(linked(f, "UALF"));

  CHECK(unlinked_reply(f, "UNEW", "new@ledger.example", "link @{UALF} alf@ledger.example")
            .find("Only an admin") != std::string::npos);
  CHECK_FALSE(linked(f, "UALF"));
}

TEST_CASE("an admin naming themselves is held to the own-e-mail rule, and every link records who made it") {
  test_support::small_firm f;
  auto anna = f.as("m-anna");
  REQUIRE(anna.member);
  // Anna's chat user may not become Alf by naming herself.
  const auto self = reply_text(
      on_command(f.ctx, anna, "link " + handlers::mention_token(anna.chat.user_id) + " alf@ledger.example"));
  CHECK(self.find("not the e-mail on your chat profile") != std::string::npos);
  CHECK_FALSE(linked(f, anna.chat.user_id));
  store::directory dir{f.db};
  CHECK(dir.links_made_for("slack", anna.chat.workspace_id, anna.chat.user_id).empty());

  // A link Anna makes for Bo is recorded as hers.
  REQUIRE(reply_text(on_command(f.ctx, anna, "link @{UBO2} bo@ledger.example")).find("Linked") !=
          std::string::npos);
  const auto audit = dir.links_made_for("slack", anna.chat.workspace_id, "UBO2");
  REQUIRE(audit.size() == 1);
  CHECK(audit[0] == std::pair<std::string, std::string>{"m-bo", "m-anna"});
}
