#pragma once
// A fake of Pleo's External API on 127.0.0.1 (its own thread), written from
// the OpenAPI files of the reference pack: GET /v1/introspect, GET
// /v1/companies/{companyId}, POST /v1/accounting-entries:search (filters
// includeDeleted, families, status, exportStatus; cursor pages with limit
// 1..100) and an OAuth token endpoint at /oauth/token (refresh_token grant,
// rotating refresh tokens). Credentials are HTTP Basic API keys or Bearer
// access tokens, each for one company. Every request is recorded with its
// arrival time; faults (429 with Retry-After, 503, 401, 403, malformed
// JSON, a stall past the client's timeout) are scripted per company.

#include <boost/core/noncopyable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace test_support {

// One accounting entry (AccountingEntryV1); the JSON is built from these fields.
struct fake_entry {
  std::string family = "CARD_PURCHASE";
  std::string sub_family = "ONLINE";
  std::string status = "COMPLETED";
  std::string export_status = "NOT_EXPORTED";
  bool has_receipt = false;
  bool deleted = false;
  std::optional<std::int64_t> total_minors; // totalBillValue.minors; none: no totalBillValue
  std::string currency = "DKK";
};

struct fake_company {
  std::string id; // a uuid
  std::string name;
  std::string api_key;       // empty: no API key
  std::string refresh_token; // empty: no OAuth grant
  std::vector<fake_entry> entries;
};

enum class fake_fault {
  too_many_requests, // 429 with Retry-After
  unavailable,       // 503
  unauthorized,      // 401
  forbidden,         // 403
  malformed_json,    // 200 with a cut-off body
  stall,             // answers only after `stall`
};

struct scripted_fault {
  fake_fault kind = fake_fault::unavailable;
  std::string operation; // "introspect", "company", "entries", "token"; empty: any
  int retry_after_seconds = 1;
  std::chrono::milliseconds stall{0};
};

struct pleo_request {
  std::chrono::steady_clock::time_point at;
  std::string method;
  std::string target;        // path and query
  std::string operation;     // "introspect", "company", "entries", "token", "other"
  std::string company_id;    // whose credential it carried (empty: none valid)
  std::string authorization; // the header as received
  std::string body;
  int status = 0;
  std::string answer; // an error's body (a 200's is left out)
};

class fake_pleo : boost::noncopyable {
public:
  fake_pleo();
  ~fake_pleo();

  std::string base_url() const; // "http://127.0.0.1:PORT"

  void add_company(fake_company c);
  void add_entries(const std::string& company_id, const std::vector<fake_entry>& entries);
  // The next requests of the company matching the fault's operation get the faults, in order.
  void script(const std::string& company_id, scripted_fault fault);
  // Every request with the company's API key answers 401 (a revoked key).
  void revoke_api_key(const std::string& company_id);
  // Access tokens issued so far answer 401 from now on (they expired).
  void expire_access_tokens();
  // Lifetime given to new access tokens (default one hour).
  void set_token_lifetime(std::chrono::seconds lifetime);
  // What the token endpoint says expires_in is from now on (a huge or
  // negative number, say), whatever the tokens' real lifetime.
  void answer_expires_in(boost::json::value v);
  // The token endpoint then requires this OAuth client (HTTP Basic).
  void require_oauth_client(const std::string& client_id, const std::string& client_secret);
  // The refresh token the company's grant now accepts (it rotates on use).
  std::string current_refresh_token(const std::string& company_id) const;

  std::vector<pleo_request> requests() const;
  std::size_t count(const std::string& operation) const;
  // The most requests that arrived within any `window` (sliding), of every
  // company or of one company's credential.
  std::size_t most_within(std::chrono::steady_clock::duration window,
                          const std::string& company_id = {}) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Deterministic uuid-shaped ids: fake_uuid(7) -> "00000000-0000-4000-8000-000000000007".
std::string fake_uuid(std::uint64_t n);

} // namespace test_support
