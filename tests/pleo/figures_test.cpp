// The figures from Pleo's answers, the sealing of secrets and the traffic
// policy: pure functions, no network.

#include "pleo/api.hpp"
#include "pleo/figures.hpp"
#include "pleo/secret_box.hpp"
#include "pleo/traffic.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <limits>
#include <set>

namespace {

namespace json = boost::json;

json::object entry(std::string family, std::string status, std::string export_status, bool receipt) {
  return {{"id", "e"},
          {"family", std::move(family)},
          {"status", std::move(status)},
          {"exportStatus", std::move(export_status)},
          {"receiptIds", receipt ? json::array{"r-1"} : json::array{}}};
}

std::string page(json::array data, bool next, std::string cursor = "GEZDG") {
  json::object p{{"hasNextPage", next},
                 {"hasPreviousPage", false},
                 {"currentRequestPagination", {{"parameters", json::object{}}}}};
  if (!cursor.empty()) p["endCursor"] = cursor;
  return json::serialize(json::object{{"data", std::move(data)}, {"pagination", std::move(p)}});
}

pleo::secret_key key(char fill) {
  return *pleo::secret_key::from_base64(pleo::base64_encode(std::string(32, fill)));
}

} // namespace

TEST_CASE("missing receipts are card purchases without receipts, not cancelled, rejected or exported") {
  json::array data;
  data.push_back(entry("CARD_PURCHASE", "COMPLETED", "NOT_EXPORTED", false)); // counts
  data.push_back(entry("CARD_PURCHASE", "PENDING", "QUEUED", false));         // counts
  data.push_back(
      entry("CARD_PURCHASE", "SOMETHING_NEW", "CREATED", false)); // counts: an unknown status is no exclusion
  data.push_back(entry("CARD_PURCHASE", "COMPLETED", "NOT_EXPORTED", true));
  data.push_back(entry("CARD_PURCHASE", "CANCELLED", "NOT_EXPORTED", false));
  data.push_back(entry("CARD_PURCHASE", "REJECTED", "NOT_EXPORTED", false));
  data.push_back(entry("CARD_PURCHASE", "COMPLETED", "EXPORTED", false));
  data.push_back(entry("OUT_OF_POCKET", "COMPLETED", "NOT_EXPORTED", false));
  pleo::tally t;
  auto cursor = pleo::add_entries_page(page(data, false, ""), t);
  REQUIRE(cursor.has_value());
  CHECK_FALSE(cursor->has_next);
  CHECK(t.missing_receipts == 3);
  CHECK(t.entries == 8);
}

TEST_CASE("ready for export counts queued entries and totals their bill values, unpriced apart") {
  json::array data;
  auto a = entry("CARD_PURCHASE", "COMPLETED", "QUEUED", true);
  a["totalBillValue"] = {{"currency", "DKK"}, {"minors", 31722}};
  auto b = entry("OUT_OF_POCKET", "COMPLETED", "QUEUED", true);
  b["totalBillValue"] = {{"currency", "DKK"}, {"minors", 18900}};
  b["transactionValue"] = {{"currency", "EUR"}, {"minors", 999999}}; // never summed
  auto c = entry("BILL_INVOICE", "PENDING", "QUEUED", true);
  data = {a, b, c, entry("CARD_PURCHASE", "COMPLETED", "NOT_EXPORTED", true)};
  pleo::tally t;
  REQUIRE(pleo::add_entries_page(page(data, true), t).has_value());
  CHECK(t.ready_for_export == 3);
  CHECK(t.ready_unpriced == 1);
  REQUIRE(t.ready_totals.size() == 1);
  CHECK(t.ready_totals.at("DKK") == 31722 + 18900);
  const auto stored = pleo::to_store(t, "Acme ApS");
  REQUIRE(stored.has_value());
  const auto& f = *stored;
  REQUIRE(f.ready_for_export_total);
  CHECK(f.ready_for_export_total->minor == 50622);
  CHECK(f.ready_for_export_total->currency == "DKK");
  CHECK(f.ready_for_export_unpriced == 1);
}

TEST_CASE("totals in several currencies are unknown rather than summed") {
  json::array data;
  auto a = entry("CARD_PURCHASE", "COMPLETED", "QUEUED", true);
  a["totalBillValue"] = {{"currency", "DKK"}, {"minors", 100}};
  auto b = a;
  b["totalBillValue"] = {{"currency", "SEK"}, {"minors", 100}};
  data = {a, b};
  pleo::tally t;
  REQUIRE(pleo::add_entries_page(page(data, false, ""), t).has_value());
  CHECK_FALSE(pleo::to_store(t, "x")->ready_for_export_total);
  CHECK(pleo::to_store(t, "x")->ready_for_export == 2);
}

TEST_CASE("Pleo's minor units become the store's hundredths by the currency's exponent") {
  CHECK(pleo::to_hundredths("DKK", 6580) == 6580);
  CHECK(pleo::to_hundredths("ISK", 1500) == 150000);
  CHECK(pleo::to_hundredths("JPY", 7) == 700);
  CHECK(pleo::to_hundredths("KWD", 1235) == 124);
  CHECK(pleo::to_hundredths("KWD", -1235) == -124);
}

TEST_CASE("amounts beyond what the store holds are refused, never wrapped") {
  constexpr auto most = std::numeric_limits<std::int64_t>::max();
  constexpr auto least = std::numeric_limits<std::int64_t>::min();
  CHECK(pleo::to_hundredths("DKK", 1'000'000'000'000'000) == 1'000'000'000'000'000);
  CHECK_FALSE(pleo::to_hundredths("DKK", 1'000'000'000'000'001));
  CHECK_FALSE(pleo::to_hundredths("ISK", most / 50)); // times 100 overflows
  CHECK_FALSE(pleo::to_hundredths("KWD", most));
  CHECK_FALSE(pleo::to_hundredths("KWD", least));
  CHECK_FALSE(pleo::to_hundredths("DKK", least));

  // Sums within a page and across pages.
  json::array data;
  auto big = entry("CARD_PURCHASE", "COMPLETED", "QUEUED", true);
  big["totalBillValue"] = {{"currency", "DKK"}, {"minors", most / 2 + 1}};
  data = {big, big};
  pleo::tally t;
  auto r = pleo::add_entries_page(page(data, false, ""), t);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "the amounts ready for export in DKK overflow (accounting entry 1)");
  CHECK(t.ready_totals.empty());
  REQUIRE(pleo::add_entries_page(page(json::array{big}, true), t).has_value());
  r = pleo::add_entries_page(page(json::array{big}, false, ""), t);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "the amounts ready for export in DKK overflow");
  CHECK(t.ready_totals.at("DKK") == most / 2 + 1); // the page that failed added nothing
  CHECK(t.ready_for_export == 1);
  const auto stored = pleo::to_store(t, "x");
  REQUIRE_FALSE(stored.has_value());
  CHECK_THAT(stored.error().message, Catch::Contains("are beyond what can be stored"));

  // A currency that is not three capital letters is malformed, not stored.
  auto odd = entry("CARD_PURCHASE", "COMPLETED", "QUEUED", true);
  odd["totalBillValue"] = {{"currency", "DK\x1b[K"}, {"minors", 100}};
  CHECK_FALSE(pleo::add_entries_page(page(json::array{odd}, false, ""), t).has_value());
}

TEST_CASE("a malformed page is refused whole and adds nothing") {
  pleo::tally t;
  auto good = entry("CARD_PURCHASE", "COMPLETED", "NOT_EXPORTED", false);
  auto no_receipts = good;
  no_receipts.erase("receiptIds");
  auto bad_bill = entry("CARD_PURCHASE", "COMPLETED", "QUEUED", false);
  bad_bill["totalBillValue"] = {{"currency", "DKK"}, {"minors", "12.50"}};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"data": [)", "malformed JSON in the accounting entries"},
      {"[]", "is not a JSON object"},
      {R"({"pagination": {"hasNextPage": false}})", "without a data array"},
      {R"({"data": []})", "without pagination"},
      {page(json::array{good, no_receipts}, false, ""), "accounting entry 1 has no receiptIds array"},
      {page(json::array{bad_bill}, false, ""), "accounting entry 0 has a malformed totalBillValue"},
      {page(json::array{good}, true, ""), "a next page without an endCursor"},
      {R"({"data": [], "pagination": {}})", "pagination without hasNextPage"},
  };
  for (const auto& [body, says] : cases) {
    INFO(body);
    auto r = pleo::add_entries_page(body, t);
    REQUIRE_FALSE(r.has_value());
    CHECK_THAT(r.error().message, Catch::Contains(says));
  }
  CHECK(t.entries == 0);
  CHECK(t.missing_receipts == 0);
}

TEST_CASE("the company's name and the introspected company id are read from their answers") {
  CHECK(*pleo::company_name(R"({"data": {"id": "x", "name": "Acme ApS", "address": {}}})") == "Acme ApS");
  CHECK_FALSE(pleo::company_name(R"({"data": {"id": "x"}})").has_value());
  CHECK(*pleo::introspected_company(R"({"data": {"authMethod": "API_KEY", "clientId": "c", "scope": "",
      "subjectURN": "urn:pleo:company:8f4e2a10-6c3b-4d7e-a1b2-5c6d7e8f9a0b"}})") ==
        "8f4e2a10-6c3b-4d7e-a1b2-5c6d7e8f9a0b");
  CHECK(pleo::introspected_company(R"({"data": {"subjectURN": "urn:pleo:organization:1"}})")->empty());
}

TEST_CASE("a sealed secret opens only with its key and its client id, and every seal uses a new nonce") {
  const auto k = key('k');
  const auto sealed = pleo::seal(k, "pleo-api-key-123", "c-1");
  CHECK(sealed.nonce.size() == 12);
  CHECK(sealed.ciphertext.size() == std::string("pleo-api-key-123").size() + 16);
  CHECK(sealed.ciphertext.find("pleo-api-key") == std::string::npos);
  CHECK(pleo::open(k, sealed, "c-1") == "pleo-api-key-123");
  CHECK_FALSE(pleo::open(k, sealed, "c-2"));
  CHECK_FALSE(pleo::open(key('x'), sealed, "c-1"));
  auto tampered = sealed;
  tampered.ciphertext[0] = static_cast<char>(tampered.ciphertext[0] ^ 1);
  CHECK_FALSE(pleo::open(k, tampered, "c-1"));
  std::set<std::string> nonces;
  for (int i = 0; i < 50; ++i)
    nonces.insert(pleo::seal(k, "same", "c-1").nonce);
  CHECK(nonces.size() == 50);
}

TEST_CASE("the secret key is exactly 32 bytes of standard base64") {
  CHECK(pleo::secret_key::from_base64(pleo::base64_encode(std::string(32, 'a'))));
  CHECK(pleo::secret_key::from_base64(" " + pleo::base64_encode(std::string(32, 'a')) + "\n"));
  CHECK_FALSE(pleo::secret_key::from_base64(pleo::base64_encode(std::string(31, 'a'))));
  CHECK_FALSE(pleo::secret_key::from_base64(pleo::base64_encode(std::string(33, 'a'))));
  CHECK_FALSE(pleo::secret_key::from_base64("not base64 at all, not at all, not at all!!!!"));
  CHECK_FALSE(pleo::secret_key::from_base64(""));
  CHECK(*pleo::base64_decode(pleo::base64_encode("pleo:")) == "pleo:");
  CHECK_FALSE(pleo::base64_decode("abc"));
  CHECK_FALSE(pleo::base64_decode("ab=c"));
}

TEST_CASE("429 and the 5xx a retry can cure are retried, and Retry-After is read as seconds or a date") {
  for (int s : {429, 500, 502, 503, 504})
    CHECK(pleo::worth_retrying(s));
  for (int s : {200, 400, 401, 403, 404, 501})
    CHECK_FALSE(pleo::worth_retrying(s));
  const auto now =
      std::chrono::system_clock::time_point(std::chrono::seconds(1445412478)); // 21 Oct 2015 07:27:58 GMT
  CHECK(pleo::parse_retry_after("120", now) == std::chrono::seconds(120));
  CHECK(pleo::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now) == std::chrono::seconds(2));
  CHECK(pleo::parse_retry_after("Wed, 21 Oct 2015 07:20:00 GMT", now) == std::chrono::seconds(0));
  CHECK_FALSE(pleo::parse_retry_after("soon", now));
  CHECK_FALSE(pleo::parse_retry_after("-1", now));
}

TEST_CASE("retry delays grow, stay capped, carry jitter and never undercut Retry-After") {
  pleo::retry_policy p;
  p.backoff_base = std::chrono::milliseconds(1000);
  p.backoff_cap = std::chrono::milliseconds(8000);
  std::mt19937_64 random(7);
  std::set<long> seen;
  for (int i = 0; i < 200; ++i) {
    const auto first = pleo::retry_delay(p, 1, std::nullopt, random);
    CHECK(first >= std::chrono::milliseconds(500));
    CHECK(first <= std::chrono::milliseconds(1000));
    seen.insert(static_cast<long>(first.count()));
    const auto later = pleo::retry_delay(p, 10, std::nullopt, random);
    CHECK(later >= std::chrono::milliseconds(4000));
    CHECK(later <= std::chrono::milliseconds(8000));
    CHECK(pleo::retry_delay(p, 1, std::chrono::seconds(30), random) == std::chrono::seconds(30));
  }
  CHECK(seen.size() > 50);
}

TEST_CASE("Pleo's token endpoint sits beside its API, and a fake serves it itself") {
  CHECK(pleo::token_url_for("https://external.pleo.io") == "https://auth.pleo.io/oauth/token");
  CHECK(pleo::token_url_for("https://external.staging.pleo.io") ==
        "https://auth.staging.pleo.io/oauth/token");
  CHECK(pleo::token_url_for("http://127.0.0.1:8080") == "http://127.0.0.1:8080/oauth/token");
  CHECK(pleo::token_url_for("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/oauth/token");
}
