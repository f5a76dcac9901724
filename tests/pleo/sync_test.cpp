// The connector end to end: `partnerbot sync` against the fake Pleo API on
// loopback, figures read back from the SQLite file and on the client's card.

#include "bot/net/http_client.hpp"
#include "handlers/digest_schedule.hpp"
#include "pleo/sync.hpp"
#include "store/clients.hpp"
#include "store/credentials.hpp"
#include "store/sync_state.hpp"
#include "support/pleo_firm.hpp"
#include "text/utf8.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/serialize.hpp>
#include <limits>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

using namespace pleo_test;
using test_support::fake_fault;
using test_support::scripted_fault;

namespace {

// Acme's entries over several pages, with the figures they must give.
struct acme_books {
  std::vector<fake_entry> entries;
  int missing = 0;
  int ready = 0;
  std::int64_t ready_total = 0; // DKK minor units
  int unpriced = 0;

  acme_books() {
    // Card purchases still waiting for a receipt.
    missing += add(entries, 7, card("COMPLETED", "NOT_EXPORTED", false));
    missing += add(entries, 2, card("PENDING", "NOT_CREATED", false));
    missing += add(entries, 1, card("DRAFT", "EXPORTING", false));
    // Not missing: a receipt is attached; cancelled or rejected; already exported; deleted.
    add(entries, 4, card("COMPLETED", "NOT_EXPORTED", true));
    add(entries, 3, card("CANCELLED", "NOT_EXPORTED", false));
    add(entries, 2, card("REJECTED", "CREATED", false));
    add(entries, 5, card("COMPLETED", "EXPORTED", false));
    auto deleted = card("COMPLETED", "NOT_EXPORTED", false);
    deleted.deleted = true;
    add(entries, 2, deleted);
    // Queued for export: card purchases (three of them still missing receipts), out of pocket, an unpriced
    // invoice.
    const int queued_cards = add(entries, 3, queued("CARD_PURCHASE", 12345, false));
    missing += queued_cards;
    ready += queued_cards;
    ready_total += 3 * 12345;
    ready += add(entries, 2, queued("OUT_OF_POCKET", 5000, false));
    ready_total += 2 * 5000;
    unpriced += add(entries, 1, queued("BILL_INVOICE", std::nullopt));
    ready += unpriced;
  }
};

// Captures everything logged while alive.
struct sync_log_capture {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  sync_log_capture() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~sync_log_capture() { spdlog::set_default_logger(previous); }
};

} // namespace

TEST_CASE(
    "a sync follows every page and stores the figures DESIGN.md defines, in the store and on the card") {
  pleo_firm f;
  acme_books books;
  f.company("c-acme", "Acme ApS", books.entries, 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);

  const auto r = f.sync();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("sync: 1 of 1 clients synced"));

  const auto c = f.client("c-acme");
  CHECK(c.missing_receipts == books.missing);
  CHECK(c.ready_for_export == books.ready);
  CHECK(c.wallet_balance.minor == 1234550); // Pleo has no balance: the snapshot's stays
  CHECK(c.synced_at > "2026-11-30T00:00:00Z");

  // Every page was asked for, with the cursor of the one before (only open entries are searched).
  const auto pages = f.api.count("entries");
  const int open_entries = static_cast<int>(books.entries.size()) - 5 /* exported */ - 2 /* deleted */;
  CHECK(pages == static_cast<std::size_t>((open_entries + 9) / 10));
  int with_cursor = 0;
  for (const auto& req : f.api.requests())
    if (req.operation == "entries" && req.target.find("after=") != std::string::npos) ++with_cursor;
  CHECK(with_cursor == static_cast<int>(pages) - 1);

  store::database db(f.file.str());
  const auto origin = store::sync_states(db).origin("c-acme");
  REQUIRE(origin);
  CHECK(origin->from_pleo);
  REQUIRE(origin->ready_for_export_total);
  CHECK(origin->ready_for_export_total->minor == books.ready_total);
  CHECK(origin->ready_for_export_total->currency == "DKK");
  CHECK(origin->ready_for_export_unpriced == books.unpriced);
  CHECK(origin->balance_at == "2026-11-27T09:00:00Z");

  const auto text = f.card("acme");
  CHECK_THAT(text, Catch::Contains(fmt::format("Missing receipts: {}", books.missing)));
  CHECK_THAT(text, Catch::Contains(
                       fmt::format("Ready for export: {} (DKK 470,35; 1 without an amount)", books.ready)));
  CHECK_THAT(text, Catch::Contains("Figures from "));
  CHECK_THAT(text, Catch::Contains("wallet balance from the firm's snapshot of 27 Nov 2026 10:00"));
  CHECK_THAT(text, !Catch::Contains("stale"));
}

TEST_CASE("the company's name from Pleo replaces the client's name") {
  pleo_firm f;
  f.company("c-cykler", "Ærø Cykler & Søn ApS", quiet_entries(), 3);
  REQUIRE(f.add_credential("c-cykler", f.api_key_of["c-cykler"]) == 0);
  REQUIRE(f.sync().exit_code == 0);
  CHECK(f.client("c-cykler").name == "Ærø Cykler & Søn ApS");
  CHECK_THAT(f.card("søn"), Catch::Contains("Ærø Cykler & Søn ApS"));
}

TEST_CASE("a company name from Pleo with terminal escapes and 500 characters is stored capped and clean") {
  pleo_firm f;
  std::string hostile = "\x1b[2J\x1b]0;owned\x07"
                        "Acme\xe2\x80\xae ApS\xc2\x9b"
                        "1m\r\n";
  for (int i = 0; i < 500; ++i)
    hostile += "æ";
  f.company("c-acme", hostile, quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  const auto r = f.sync();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);

  // ESC, BEL, the right-to-left override, the C1 CSI gone; the line break a space; 200 characters.
  const std::string shown = "[2J]0;ownedAcme ApS1m ";
  std::string expected = shown;
  for (std::size_t i = shown.size(); i < pleo::longest_company_name; ++i)
    expected += "æ";
  const auto name = f.client("c-acme").name;
  CHECK(name == expected);
  CHECK(text::utf8::length(name) == 200);
  CHECK(text::utf8::valid(name));
  store::database db(f.file.str());
  for (const auto& row : store::sync_states(db).overview())
    if (row.client_id == "c-acme") CHECK(row.client_name == expected);
  CHECK(raw_control_at(r.out) == std::string::npos);
}

TEST_CASE("Pleo's names are cleaned: controls, overrides and byte-order marks dropped, breaks made spaces") {
  CHECK(pleo::clean_text("  Ærø\tCykler\r\n\xe2\x80\xa8"
                         "ApS  ",
                         200) == "Ærø Cykler ApS");
  CHECK(pleo::clean_text("\xef\xbb\xbf"
                         "A\xe2\x81\xa6"
                         "B\xe2\x81\xa9\x7f"
                         "C\xc2\x85"
                         "D",
                         200) == "ABC D");
  CHECK(pleo::clean_text("bad \xff byte", 200) == "bad \xef\xbf\xbd byte");
  // Capped in code points, never inside one.
  CHECK(pleo::clean_text("ææææ", 3) == "æææ");
  CHECK(pleo::clean_text("ab  cd", 3) == "ab");
  CHECK(pleo::clean_text("\x1b\x1b", 5).empty());
  CHECK_FALSE(pleo::company_name(R"({"data": {"id": "x", "name": "\u001b\u0007"}})").has_value());
}

TEST_CASE("amounts that overflow fail that client with a clear message and keep its last good figures") {
  pleo_firm f;
  std::vector<fake_entry> fine;
  add(fine, 2, queued("OUT_OF_POCKET", 5000));
  f.company("c-acme", "Acme ApS", fine, 1);
  f.company("c-bravo", "Bravo ApS", quiet_entries(), 2);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  REQUIRE(f.add_credential("c-bravo", f.api_key_of["c-bravo"]) == 0);
  REQUIRE(f.sync().exit_code == 0);
  REQUIRE(f.client("c-acme").ready_for_export == 2);

  // Acme's next sync, with `n` more expenses of `amount` each, fails saying `failure`.
  auto sync_fails = [&f](int n, std::int64_t amount, const std::string& failure) {
    std::vector<fake_entry> more;
    add(more, n, queued("OUT_OF_POCKET", amount));
    f.api.add_entries(f.company_of["c-acme"], more);
    const auto r = f.sync();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, Catch::Contains(failure));
  };
  SECTION("a sum past the largest 64-bit number") {
    sync_fails(2, std::numeric_limits<std::int64_t>::max() / 2 + 1,
               "failed c-acme (Acme ApS): the amounts ready for export in DKK overflow");
  }
  SECTION("a sum over pages, below the 64-bit limit on each") {
    sync_fails(12, std::numeric_limits<std::int64_t>::max() / 10,
               "the amounts ready for export in DKK overflow");
  }
  SECTION("a total beyond what the store holds") {
    sync_fails(1, 2'000'000'000'000'000'000, "are beyond what can be stored");
  }
  SECTION("the most negative amount") {
    sync_fails(1, std::numeric_limits<std::int64_t>::min(), "are beyond what can be stored");
  }
  // The last good figures stay; the other client synced.
  CHECK(f.client("c-acme").ready_for_export == 2);
  store::database db(f.file.str());
  const auto origin = store::sync_states(db).origin("c-acme");
  REQUIRE(origin);
  REQUIRE(origin->ready_for_export_total);
  CHECK(origin->ready_for_export_total->minor == 10000);
  REQUIRE(origin->sync);
  CHECK(origin->sync->failing());
  CHECK(store::sync_states(db).find("c-bravo")->last_error.empty());
}

TEST_CASE("an expires_in that is huge or negative fails that client clearly, and a rotated token is kept") {
  pleo_firm f;
  const auto refresh = f.oauth_company("c-delta", "Delta Data ApS", quiet_entries(), 4);
  REQUIRE(f.add_credential("c-delta", refresh, true) == 0);
  REQUIRE(f.sync().exit_code == 0);
  const auto synced_at = f.client("c-delta").synced_at;

  const std::vector<boost::json::value> answers = {
      boost::json::value(std::numeric_limits<std::uint64_t>::max()),
      boost::json::value(std::numeric_limits<std::int64_t>::max()), boost::json::value(-3600),
      boost::json::value(1e300)};
  for (const auto& answer : answers) {
    const auto says = boost::json::serialize(answer);
    INFO(says);
    f.api.answer_expires_in(answer);
    const auto r = f.sync();
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out,
               Catch::Contains("failed c-delta (Delta Data ApS): the token endpoint gave an access token "
                               "an expires_in of " +
                               says));
    // The token endpoint rotated the refresh token anyway: the new one is kept, so the next sync can use it.
    const auto opened = f.stored_credential("c-delta", store::credential_kind::oauth);
    CHECK(opened.secret == f.api.current_refresh_token(f.company_of["c-delta"]));
  }
  CHECK(f.client("c-delta").synced_at == synced_at); // the last good figures stay

  f.api.answer_expires_in(boost::json::value(7200));
  CHECK(f.sync().exit_code == 0);
}

TEST_CASE("429 with Retry-After and 503 are retried, the wait honoured, and the sync succeeds") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  const auto company = f.company_of["c-acme"];
  f.api.script(company, {fake_fault::too_many_requests, "company", 1});
  f.api.script(company, {fake_fault::unavailable, "entries"});
  f.api.script(company, {fake_fault::unavailable, "entries"});
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);

  const auto r = f.sync();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(f.client("c-acme").missing_receipts == 1);

  const auto log = f.api.requests();
  std::vector<test_support::pleo_request> company_calls;
  for (const auto& req : log)
    if (req.operation == "company") company_calls.push_back(req);
  REQUIRE(company_calls.size() == 2);
  CHECK(company_calls[0].status == 429);
  CHECK(company_calls[1].status == 200);
  CHECK(company_calls[1].at - company_calls[0].at >= std::chrono::milliseconds(990));
  CHECK(f.api.count("entries") == 3); // two 503s, then the one page
}

TEST_CASE("one client failing (401, 403, malformed JSON, 5xx, timeout) never stops the others and keeps its "
          "figures") {
  pleo_firm f;
  acme_books books;
  f.company("c-acme", "Acme ApS", books.entries, 1);
  f.company("c-bravo", "Bravo ApS", quiet_entries(), 2);
  f.company("c-cykler", "Ærø Cykler ApS", quiet_entries(), 3);
  f.company("c-delta", "Delta Data ApS", quiet_entries(), 4);
  for (const auto* id : {"c-acme", "c-bravo", "c-cykler", "c-delta"})
    REQUIRE(f.add_credential(id, f.api_key_of[id]) == 0);
  REQUIRE(f.sync().exit_code == 0);
  const auto bravo_before = f.client("c-bravo");

  struct failure_case {
    const char* name;
    scripted_fault fault;
    const char* says;
  };
  const std::vector<failure_case> cases = {
      {"401", {fake_fault::unauthorized, "company"}, "Pleo refused the API key (401"},
      {"403", {fake_fault::forbidden, "entries"}, "Pleo denied access to the accounting entries (403)"},
      {"malformed JSON", {fake_fault::malformed_json, "entries"}, "malformed JSON in the accounting entries"},
      {"timeout", {fake_fault::stall, "company", 0, std::chrono::milliseconds(1500)}, "timeout"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION("bravo fails with " << c.name) {
      if (std::string(c.name) == "timeout") {
        f.settings.sync.api.request_timeout = std::chrono::milliseconds(300);
        f.settings.sync.api.retries.max_attempts = 2;
        for (int i = 0; i < 2; ++i)
          f.api.script(f.company_of["c-bravo"], c.fault);
      } else {
        f.api.script(f.company_of["c-bravo"], c.fault);
      }
      const auto r = f.sync();
      INFO(r.out << r.err);
      CHECK(r.exit_code == 1);
      CHECK_THAT(r.out, Catch::Contains("sync: 3 of 4 clients synced"));
      CHECK_THAT(r.out, Catch::Contains("failed: c-bravo"));
      CHECK_THAT(r.out, Catch::Contains("failed c-bravo (Bravo ApS): "));
      CHECK_THAT(r.out, Catch::Contains(c.says));
      // The others are fresh; Bravo keeps its last good figures and time.
      CHECK(f.client("c-acme").missing_receipts == books.missing);
      const auto bravo = f.client("c-bravo");
      CHECK(bravo.missing_receipts == bravo_before.missing_receipts);
      CHECK(bravo.synced_at == bravo_before.synced_at);
      store::database db(f.file.str());
      const auto status = store::sync_states(db).find("c-bravo");
      REQUIRE(status);
      CHECK(status->failing());
      CHECK_THAT(status->last_error, Catch::Contains(c.says));
      CHECK_THAT(f.card("bravo"), Catch::Contains("Pleo not reachable since "));
      CHECK_THAT(f.list().out, Catch::Contains("c-bravo Bravo ApS: API key, failing since "));
    }
  }
}

TEST_CASE("5xx after every retry fails only that client, which recovers on the next sync") {
  pleo_firm f;
  f.acme_and_bravo_with_keys();
  f.settings.sync.api.retries.max_attempts = 3;
  for (int i = 0; i < 3; ++i)
    f.api.script(f.company_of["c-bravo"], {fake_fault::unavailable, "entries"});

  auto r = f.sync();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("Pleo answered 503 to the accounting entries (3 attempts)"));
  CHECK(f.client("c-acme").missing_receipts == 1);
  CHECK(f.client("c-bravo").missing_receipts == 2); // the snapshot's

  r = f.sync();
  CHECK(r.exit_code == 0);
  CHECK(f.client("c-bravo").missing_receipts == 1);
  store::database db(f.file.str());
  CHECK_FALSE(store::sync_states(db).find("c-bravo")->failing());
  CHECK_THAT(f.card("bravo"), !Catch::Contains("not reachable"));
}

TEST_CASE("each credential has its own request budget: its requests keep their spacing while clients sync "
          "side by side") {
  pleo_firm f;
  const std::vector<std::string> ids{"c-acme", "c-bravo", "c-cykler", "c-delta"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    f.company(ids[i], "Company " + ids[i], quiet_entries(), static_cast<int>(i) + 1);
    REQUIRE(f.add_credential(ids[i], f.api_key_of[ids[i]]) == 0);
  }
  // The default budget, 300 a minute per credential: one request every 200 ms.
  f.settings.sync.requests_per_minute = 300;
  const auto started = std::chrono::steady_clock::now();
  const auto r = f.sync();
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(r.exit_code == 0);
  CHECK(f.api.requests().size() == ids.size() * 3); // introspection, company, one page each
  // One credential's three requests take two intervals at least.
  CHECK(took >= std::chrono::milliseconds(2 * 200 - 20));
  for (const auto& id : ids) {
    INFO(id);
    // Requests leave on their slots; one that arrives late (a busy machine)
    // can meet the next in a window, hence one more than the share.
    CHECK(f.api.most_within(std::chrono::milliseconds(200), f.company_of[id]) <= 1 + 1);
    CHECK(f.api.most_within(std::chrono::seconds(1), f.company_of[id]) <= 5 + 1);
  }
  // Different credentials do not wait for each other: their first requests leave together.
  CHECK(f.api.most_within(std::chrono::milliseconds(100)) >= ids.size());
}

TEST_CASE("an OAuth refresh token gets an access token, refreshed when it expires, and rotated tokens are "
          "kept sealed") {
  pleo_firm f;
  const auto refresh = f.oauth_company("c-delta", "Delta Data ApS", quiet_entries(), 4);
  f.api.require_oauth_client("partnerbot-client", "client-s3cret");
  f.settings.sync.api.oauth_client_id = "partnerbot-client";
  f.settings.sync.api.oauth_client_secret = "client-s3cret";
  REQUIRE(f.add_credential("c-delta", refresh, true) == 0);

  auto r = f.sync("c-delta");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(f.api.count("token") == 1);
  CHECK(f.client("c-delta").missing_receipts == 1);
  for (const auto& req : f.api.requests())
    if (req.operation != "token") CHECK(req.authorization.starts_with("Bearer at-"));

  // The token rotated: the stored one is the new one, sealed.
  const auto rotated = f.api.current_refresh_token(f.company_of["c-delta"]);
  CHECK(rotated != refresh);
  {
    const auto opened = f.stored_credential("c-delta", store::credential_kind::oauth);
    CHECK(opened.secret == rotated);
    CHECK_FALSE(opened.old_format);
  }

  // An access token that expired early answers 401: refreshed once, then the sync goes on.
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  {
    pleo::command_settings s = f.settings;
    auto key = pleo::secret_key::from_base64(s.secret_key_base64);
    boost::asio::io_context io{1};
    bot::http_client http(io);
    pleo::syncer sync(io, http, s.db_path, *key, s.sync);
    pleo::sync_report first, second;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          first = co_await sync.run(std::string("c-delta"));
          f.api.expire_access_tokens();
          second = co_await sync.run(std::string("c-delta"));
        },
        boost::asio::detached);
    io.run();
    CHECK(first.ok == 1);
    CHECK(second.ok == 1);
  }
  // 1 (first sync) + 1 (the syncer's first pass; no token in memory yet) + 1 (after the 401).
  CHECK(f.api.count("token") == 3);
  int unauthorized = 0;
  for (const auto& req : f.api.requests())
    unauthorized += req.status == 401 ? 1 : 0;
  CHECK(unauthorized == 1);
}

TEST_CASE("a refresh token Pleo refuses fails the client with what to do") {
  pleo_firm f;
  f.oauth_company("c-delta", "Delta Data ApS", quiet_entries(), 4);
  REQUIRE(f.add_credential("c-delta", "pleo-refresh-revoked-long-ago", true) == 0);
  const auto r = f.sync();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("Pleo refused the refresh token (400 invalid_grant)"));
  CHECK_THAT(r.out, Catch::Contains("partnerbot credentials add c-delta --oauth"));
}

TEST_CASE("no secret reaches the logs, the output or the database files in clear") {
  pleo_firm f;
  sync_log_capture logs;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  f.company("c-bravo", "Bravo ApS", quiet_entries(), 2);
  const auto refresh = f.oauth_company("c-delta", "Delta Data ApS", quiet_entries(), 4);
  f.api.revoke_api_key(f.company_of["c-bravo"]); // its failure is logged and stored
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  REQUIRE(f.add_credential("c-bravo", f.api_key_of["c-bravo"]) == 0);
  REQUIRE(f.add_credential("c-delta", refresh, true) == 0);

  // A reader keeps the WAL file in place (the last connection to close would checkpoint and delete it).
  store::database reader(f.file.str());
  const auto r = f.sync();
  const auto listed = f.list();
  CHECK(r.exit_code == 1);

  CHECK_FALSE(logs.text.str().empty()); // the connector did log (retries, failures)
  std::vector<std::string> secrets = {f.api_key_of["c-acme"], f.api_key_of["c-bravo"], refresh,
                                      f.api.current_refresh_token(f.company_of["c-delta"])};
  for (const auto& req : f.api.requests())
    if (req.authorization.starts_with("Bearer ")) secrets.push_back(req.authorization.substr(7));
  // The key as HTTP Basic sends it, too.
  secrets.push_back(pleo::base64_encode(f.api_key_of["c-acme"] + ":"));
  REQUIRE(secrets.size() > 5);

  const auto db = file_bytes(f.file.str());
  const auto wal = file_bytes(f.file.str() + "-wal");
  REQUIRE(wal.size() > 4096); // the test reads real pages
  // The sealed secrets are in there: this is the data.
  const auto cred = store::credentials(reader).find("c-acme");
  REQUIRE(cred);
  CHECK((db + wal).find(cred->secret.ciphertext) != std::string::npos);
  for (const auto& secret : secrets) {
    INFO(secret);
    CHECK(db.find(secret) == std::string::npos);
    CHECK(wal.find(secret) == std::string::npos);
    CHECK(logs.text.str().find(secret) == std::string::npos);
    CHECK(r.out.find(secret) == std::string::npos);
    CHECK(r.err.find(secret) == std::string::npos);
    CHECK(listed.out.find(secret) == std::string::npos);
  }
}

TEST_CASE("a credential sealed for one client does not open for another") {
  pleo_firm f;
  f.acme_and_bravo_with_keys();
  {
    // Copy Acme's sealed key onto Bravo's row, as someone with write access to the file could.
    store::database db(f.file.str());
    store::credentials creds(db);
    creds.replace_secret("c-bravo", creds.find("c-acme")->secret, "2026-12-01T00:00:00Z");
  }
  const auto r = f.sync();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("failed c-bravo (Bravo ApS): the stored credential does not open"));
  CHECK(f.api.requests().size() == 3); // only Acme's
}

TEST_CASE("a sealed API key whose row is changed to say OAuth does not open") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  {
    // Someone with write access to the file swaps the kind column.
    store::database db(f.file.str());
    db.sql().exec("UPDATE pleo_credentials SET kind = 'oauth' WHERE client_id = 'c-acme'");
    const auto cred = store::credentials(db).find("c-acme");
    REQUIRE(cred);
    REQUIRE(cred->kind == store::credential_kind::oauth);
    const auto key = pleo::secret_key::from_base64(test_key());
    CHECK_FALSE(pleo::open_credential(*key, cred->secret, "c-acme", store::credential_kind::oauth));
  }
  const auto r = f.sync();
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("failed c-acme (Acme ApS): the stored credential does not open"));
  CHECK(f.api.requests().empty()); // the key never went out as a refresh token
}

TEST_CASE("a credential sealed before its kind was bound in is read, then sealed again with its kind") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  const auto key = pleo::secret_key::from_base64(test_key());
  REQUIRE(key);
  const auto old_sealed = pleo::seal(*key, f.api_key_of["c-acme"], "c-acme"); // the client id alone
  {
    store::database db(f.file.str());
    REQUIRE(store::credentials(db).put("c-acme", store::credential_kind::api_key, old_sealed,
                                       "2026-11-01T00:00:00Z"));
  }
  const auto r = f.sync();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(f.client("c-acme").missing_receipts == 1);

  store::database db(f.file.str());
  const auto cred = store::credentials(db).find("c-acme");
  REQUIRE(cred);
  CHECK(cred->secret.ciphertext != old_sealed.ciphertext);
  CHECK_FALSE(pleo::open(*key, cred->secret, "c-acme")); // no longer the old way
  CHECK(pleo::open(*key, cred->secret, "v1|c-acme|api_key") == f.api_key_of["c-acme"]);
  const auto opened = pleo::open_credential(*key, cred->secret, "c-acme", store::credential_kind::api_key);
  REQUIRE(opened);
  CHECK_FALSE(opened->old_format);
  CHECK(cred->updated_at == "2026-11-01T00:00:00Z"); // the same credential, not a new one

  // The next sync opens it the current way and uses it.
  CHECK(f.sync().exit_code == 0);
}

TEST_CASE("figures older than 24 hours are marked stale on the card") {
  pleo_firm f;
  f.company("c-acme", "Acme ApS", quiet_entries(), 1);
  REQUIRE(f.add_credential("c-acme", f.api_key_of["c-acme"]) == 0);
  REQUIRE(f.sync().exit_code == 0);
  const auto synced = f.client("c-acme").synced_at;
  const auto at = handlers::parse_iso(synced);
  REQUIRE(at);
  CHECK_THAT(f.card("acme", *at + std::chrono::hours(23)), !Catch::Contains("stale"));
  CHECK_THAT(f.card("acme", *at + std::chrono::hours(25)), Catch::Contains("stale: older than 24 hours"));
  // Snapshot figures age the same way.
  const auto two_days_on = handlers::parse_iso("2026-11-29T09:00:00Z");
  REQUIRE(two_days_on);
  CHECK_THAT(f.card("bravo", *two_days_on),
             Catch::Contains("Figures as of 27 Nov 2026 10:00 (Copenhagen time) · stale"));
}
