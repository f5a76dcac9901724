// `partnerbot credentials add|list|remove` and `sync` as a person uses them.

#include "store/credentials.hpp"
#include "store/sync_state.hpp"
#include "support/pleo_firm.hpp"

using namespace pleo_test;

namespace {

struct outcome {
  int exit_code = 0;
  std::string out;
  std::string err;
};

outcome add_via_cli(pleo_firm& f, const std::string& client_id, const std::string& input,
                    bool oauth = false) {
  std::istringstream in(input);
  std::ostringstream out, err;
  outcome o;
  o.exit_code = pleo::credentials_add(f.settings, client_id, oauth, in, false, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

outcome remove_via_cli(pleo_firm& f, const std::string& client_id) {
  std::ostringstream out, err;
  outcome o;
  o.exit_code = pleo::credentials_remove(f.settings, client_id, out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

int credential_count(pleo_firm& f) {
  store::database db(f.file.str());
  return static_cast<int>(store::credentials(db).all().size());
}

} // namespace

TEST_CASE("credentials add reads the key from standard input and stores it sealed, never echoed") {
  pleo_firm f;
  const auto o = add_via_cli(f, "c-acme", "  pleo-key-0123456789abcdef \n");
  CHECK(o.exit_code == 0);
  CHECK_THAT(o.out, Catch::Contains("stored the API key for c-acme"));
  CHECK(o.out.find("pleo-key-0123456789abcdef") == std::string::npos);
  CHECK(o.err.empty());
  store::database db(f.file.str());
  const auto cred = store::credentials(db).find("c-acme");
  REQUIRE(cred);
  CHECK(cred->kind == store::credential_kind::api_key);
  CHECK(cred->secret.nonce.size() == 12);
  CHECK(cred->secret.ciphertext.find("pleo-key") == std::string::npos);
  const auto key = pleo::secret_key::from_base64(test_key());
  const auto opened = pleo::open_credential(*key, cred->secret, "c-acme", store::credential_kind::api_key);
  REQUIRE(opened);
  CHECK(opened->secret == "pleo-key-0123456789abcdef");
  CHECK_FALSE(opened->old_format);
}

TEST_CASE("credentials add refuses empty, spaced or unknown-client input and stores nothing") {
  pleo_firm f;
  CHECK_THAT(add_via_cli(f, "c-acme", "").err,
             Catch::Contains("the API key read from standard input is empty"));
  CHECK_THAT(add_via_cli(f, "c-acme", "two words\n").err,
             Catch::Contains("contains spaces or control characters"));
  CHECK_THAT(add_via_cli(f, "c-acme", std::string(9000, 'k')).err,
             Catch::Contains("is longer than 8192 bytes"));
  const auto unknown = add_via_cli(f, "c-nobody", "pleo-key-1");
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::Contains("there is no client c-nobody"));
  CHECK(credential_count(f) == 0);
}

TEST_CASE("adding again replaces the credential and forgets what the old one learned") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(add_via_cli(f, "c-acme", f.api_key_of["c-acme"]).exit_code == 0);
  REQUIRE(f.sync().exit_code == 0);
  {
    store::database db(f.file.str());
    CHECK(store::credentials(db).find("c-acme")->company_id == f.company_of["c-acme"]);
    CHECK(store::sync_states(db).find("c-acme"));
  }
  const auto o = add_via_cli(f, "c-acme", "pleo-refresh-token-xyz", true);
  CHECK_THAT(o.out, Catch::Contains("stored the refresh token for c-acme"));
  store::database db(f.file.str());
  const auto cred = store::credentials(db).find("c-acme");
  CHECK(cred->kind == store::credential_kind::oauth);
  CHECK(cred->company_id.empty());
  CHECK_FALSE(store::sync_states(db).find("c-acme"));
  CHECK(credential_count(f) == 1);
}

TEST_CASE("credentials list shows who has one and the last sync result, never a secret") {
  pleo_firm f;
  f.acme_and_bravo_with_keys(true);
  REQUIRE(add_via_cli(f, "c-cykler", "pleo-refresh-cykler", true).exit_code == 0);
  CHECK_THAT(f.list().out, Catch::Contains("c-acme Acme ApS: API key, not synced yet"));

  f.sync("c-acme");
  f.sync("c-bravo");
  const auto listed = f.list();
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("c-acme Acme ApS: API key, synced "));
  CHECK_THAT(listed.out, Catch::Contains("c-bravo Bravo ApS: API key, failing since "));
  CHECK_THAT(listed.out, Catch::Contains("Pleo refused the API key (401"));
  CHECK_THAT(listed.out, Catch::Contains("c-cykler Ærø Cykler ApS: OAuth, not synced yet; figures "));
  CHECK_THAT(listed.out, Catch::Contains("(stale)")); // the snapshot's figures of 27 Nov
  for (const auto& [client, key] : f.api_key_of)
    CHECK(listed.out.find(key) == std::string::npos);
  CHECK(listed.out.find("pleo-refresh-cykler") == std::string::npos);
}

TEST_CASE("credentials list and sync print names and errors from outside with their control bytes escaped") {
  pleo_firm f;
  f.acme_and_bravo_with_keys();
  {
    // Rows as an older version could have stored them, raw: a name and an error with terminal controls.
    store::database db(f.file.str());
    store::synced_figures figures;
    figures.company_name = "Evil\x1b[2J\x1b]0;owned\x07 Co\xc2\x9b"
                           "31m";
    REQUIRE(store::sync_states(db).record_success("c-acme", figures, "2026-11-30T09:00:00Z"));
    REQUIRE(store::sync_states(db).record_failure("c-bravo", "Pleo said \x1b[31mno\x1b[0m\r\nmore\x7f",
                                                  "2026-11-30T09:00:00Z"));
  }
  const auto listed = f.list();
  INFO(listed.out);
  CHECK(listed.exit_code == 0);
  CHECK(raw_control_at(listed.out) == std::string::npos);
  CHECK_THAT(listed.out, Catch::Contains("c-acme Evil\\x1b[2J\\x1b]0;owned\\x07 Co\\u009b31m: API key"));
  CHECK_THAT(listed.out, Catch::Contains("Pleo said \\x1b[31mno\\x1b[0m\\r\\nmore\\x7f"));

  // A failing client is printed with the stored name.
  f.api.revoke_api_key(f.company_of["c-acme"]);
  const auto synced = f.sync();
  INFO(synced.out);
  CHECK(synced.exit_code == 1);
  CHECK(raw_control_at(synced.out) == std::string::npos);
  CHECK(raw_control_at(synced.err) == std::string::npos);
  CHECK_THAT(synced.out, Catch::Contains("failed c-acme (Evil\\x1b[2J"));
  std::ostringstream tty_out, tty_err;
  pleo::sync_once(f.settings, std::nullopt, true, tty_out, tty_err);
  // On a terminal only the progress line's own clearing sequence is there.
  std::string progress = tty_out.str();
  for (std::size_t at; (at = progress.find("\r\x1b[K")) != std::string::npos;)
    progress.erase(at, 4);
  CHECK(raw_control_at(progress) == std::string::npos);
}

TEST_CASE("credentials remove forgets the credential and its sync state") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(add_via_cli(f, "c-acme", f.api_key_of["c-acme"]).exit_code == 0);
  REQUIRE(f.sync().exit_code == 0);
  const auto removed = remove_via_cli(f, "c-acme");
  CHECK(removed.exit_code == 0);
  CHECK_THAT(removed.out, Catch::Contains("removed the Pleo credential of c-acme"));
  CHECK(credential_count(f) == 0);
  store::database db(f.file.str());
  CHECK_FALSE(store::sync_states(db).find("c-acme"));
  const auto again = remove_via_cli(f, "c-acme");
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::Contains("c-acme has no Pleo credential"));
}

TEST_CASE("without PARTNERBOT_SECRET_KEY every credential command and sync refuses and changes nothing") {
  pleo_firm f;
  REQUIRE(add_via_cli(f, "c-acme", "pleo-key-1").exit_code == 0);
  f.settings.secret_key_base64.clear();
  const auto added = add_via_cli(f, "c-bravo", "pleo-key-2");
  CHECK(added.exit_code == 2);
  CHECK_THAT(added.err, Catch::Contains("PARTNERBOT_SECRET_KEY is not set"));
  const auto listed = f.list();
  CHECK(listed.exit_code == 2);
  CHECK_THAT(listed.err, Catch::Contains("PARTNERBOT_SECRET_KEY is not set"));
  CHECK(remove_via_cli(f, "c-acme").exit_code == 2);
  const auto synced = f.sync();
  CHECK(synced.exit_code == 2);
  CHECK_THAT(synced.err, Catch::Contains("PARTNERBOT_SECRET_KEY is not set"));
  CHECK(credential_count(f) == 1);
  CHECK(f.api.requests().empty());
}

TEST_CASE("sync --client runs one client, and one without a credential is an error") {
  pleo_firm f;
  f.acme_and_bravo_with_keys();
  const auto one = f.sync("c-bravo");
  CHECK(one.exit_code == 0);
  CHECK_THAT(one.out, Catch::Contains("ok c-bravo (Bravo ApS): 1 missing receipts, 0 ready for export"));
  CHECK_THAT(one.out, Catch::Contains("sync: 1 of 1 clients synced"));
  for (const auto& req : f.api.requests())
    CHECK(req.company_id == f.company_of["c-bravo"]);
  const auto none = f.sync("c-delta");
  CHECK(none.exit_code == 1);
  CHECK_THAT(none.err, Catch::Contains("client c-delta has no Pleo credential"));
}

TEST_CASE("sync on a terminal shows progress on one line and ends with the summary") {
  pleo_firm f;
  f.acme_and_bravo_with_keys(true);
  std::ostringstream out, err;
  const int rc = pleo::sync_once(f.settings, std::nullopt, true, out, err);
  CHECK(rc == 1);
  const auto text = out.str();
  CHECK_THAT(text, Catch::StartsWith("\r\x1b[K"));
  CHECK_THAT(text, Catch::Contains("syncing: 1/2 clients"));
  CHECK_THAT(text, Catch::Contains("syncing: 2/2 clients, 1 failed"));
  CHECK_THAT(text, Catch::Contains("failed c-bravo (Bravo ApS): Pleo refused the API key"));
  CHECK_THAT(text, !Catch::Contains("ok c-acme")); // a terminal gets progress, not a line per client
  CHECK_THAT(
      text, Catch::EndsWith("\r\x1b[Ksync: 1 of 2 clients synced in " + text.substr(text.rfind(" in ") + 4)));
  CHECK_THAT(text, Catch::Contains("; failed: c-bravo\n"));
}

TEST_CASE("a sync with no credentials says how to add one") {
  pleo_firm f;
  const auto r = f.sync();
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out,
             Catch::Contains("no client has a Pleo credential (add one with `partnerbot credentials add"));
}
