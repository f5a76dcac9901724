#pragma once
// A firm on a real SQLite file whose clients are companies of the fake
// Pleo API (tests/support/fake_pleo.hpp), a secret key, and the connector's
// command-line functions run against both.

#include "bot/cli/platform_list.hpp"
#include "handlers/context.hpp"
#include "handlers/dispatch.hpp"
#include "handlers/request.hpp"
#include "pleo/commands.hpp"
#include "pleo/secret_box.hpp"
#include "store/clients.hpp"
#include "store/credentials.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/snapshot.hpp"
#include "support/fake_pleo.hpp"
#include "support/firm_files.hpp"
#include "support/running_app.hpp"
#include "support/view_text.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pleo_test {

using test_support::fake_company;
using test_support::fake_entry;
using test_support::fake_pleo;

// Old figures (27 Nov) for four clients; the companies in Pleo say otherwise.
inline const std::string pleo_firm_snapshot = test_support::firm_file("pleo_firm");

// A fresh key of 32 zero-to-31 bytes, base64.
inline std::string test_key() {
  std::string bytes;
  for (int i = 0; i < 32; ++i)
    bytes += static_cast<char>(i * 7 + 3);
  return pleo::base64_encode(bytes);
}

// Appends `n` copies of `e`; returns n (so expected figures read as sums).
inline int add(std::vector<fake_entry>& entries, int n, const fake_entry& e) {
  for (int i = 0; i < n; ++i)
    entries.push_back(e);
  return n;
}

inline fake_entry card(std::string status, std::string export_status, bool receipt) {
  fake_entry e;
  e.status = std::move(status);
  e.export_status = std::move(export_status);
  e.has_receipt = receipt;
  return e;
}

inline fake_entry queued(std::string family, std::optional<std::int64_t> total, bool receipt = true) {
  fake_entry e;
  e.family = std::move(family);
  e.sub_family = e.family == "CARD_PURCHASE" ? "IN_STORE" : "";
  e.export_status = "QUEUED";
  e.has_receipt = receipt;
  e.total_minors = total;
  return e;
}

// A few entries that count as nothing: receipts attached, exported.
inline std::vector<fake_entry> quiet_entries() {
  std::vector<fake_entry> entries;
  add(entries, 3, card("COMPLETED", "NOT_EXPORTED", true));
  add(entries, 2, card("COMPLETED", "EXPORTED", false));
  add(entries, 1, card("COMPLETED", "NOT_EXPORTED", false));
  return entries;
}

struct pleo_firm {
  test_support::temp_path file{".db"};
  fake_pleo api;
  pleo::command_settings settings;
  std::map<std::string, std::string> company_of; // client id -> company id
  std::map<std::string, std::string> api_key_of; // client id -> API key

  pleo_firm() {
    {
      store::database db(file.str());
      auto r = bot::import_snapshot(db, pleo_firm_snapshot, "2026-11-27T09:00:00Z");
      if (!r.ok) throw std::runtime_error("snapshot: " + r.error);
    }
    settings.db_path = file.str();
    settings.secret_key_base64 = test_key();
    settings.sync.api.api_url = api.base_url();
    settings.sync.api.request_timeout = std::chrono::milliseconds(3000);
    settings.sync.api.retries.backoff_base = std::chrono::milliseconds(20);
    settings.sync.api.retries.backoff_cap = std::chrono::milliseconds(200);
    settings.sync.requests_per_minute = 60000;
    settings.sync.page_size = 10;
  }

  // A company in the fake for the client, reached with an API key.
  void company(const std::string& client_id, const std::string& name, std::vector<fake_entry> entries,
               int number) {
    auto c = new_company(client_id, name, std::move(entries), number);
    c.api_key = "pleo-api-key-" + client_id + "-s3cr3t";
    api_key_of[client_id] = c.api_key;
    api.add_company(std::move(c));
  }

  // A company reached with OAuth; returns the refresh token to store.
  std::string oauth_company(const std::string& client_id, const std::string& name,
                            std::vector<fake_entry> entries, int number) {
    auto c = new_company(client_id, name, std::move(entries), number);
    c.refresh_token = "pleo-refresh-" + client_id + "-s3cr3t";
    auto token = c.refresh_token;
    api.add_company(std::move(c));
    return token;
  }

  // Acme and Bravo in Pleo, each with its API key added; Bravo's is revoked
  // in Pleo when `bravo_revoked`.
  void acme_and_bravo_with_keys(bool bravo_revoked = false) {
    company("c-acme", "Acme ApS", quiet_entries(), 1);
    company("c-bravo", "Bravo ApS", quiet_entries(), 2);
    if (bravo_revoked) api.revoke_api_key(company_of["c-bravo"]);
    REQUIRE(add_credential("c-acme", api_key_of["c-acme"]) == 0);
    REQUIRE(add_credential("c-bravo", api_key_of["c-bravo"]) == 0);
  }

  int add_credential(const std::string& client_id, const std::string& secret, bool oauth = false) {
    std::istringstream in(secret + "\n");
    std::ostringstream out, err;
    const int rc = pleo::credentials_add(settings, client_id, oauth, in, false, out, err);
    INFO(err.str());
    return rc;
  }

  struct run {
    int exit_code = 0;
    std::string out;
    std::string err;
  };

  run sync(std::optional<std::string> only = std::nullopt) {
    std::ostringstream out, err;
    run r;
    r.exit_code = pleo::sync_once(settings, only, false, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  run list(std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
    std::ostringstream out, err;
    run r;
    r.exit_code = pleo::credentials_list(settings, out, err, now);
    r.out = out.str();
    r.err = err.str();
    return r;
  }

  store::client client(const std::string& id) {
    store::database db(file.str());
    auto anna = store::directory{db}.member_by_id("p-1", "m-anna");
    REQUIRE(anna);
    auto c = store::clients{db}.visible(*anna, id);
    REQUIRE(c);
    return *c;
  }

  // The client's stored credential, opened with the firm's key.
  pleo::opened_credential stored_credential(const std::string& client_id, store::credential_kind kind) {
    store::database db(file.str());
    const auto cred = store::credentials{db}.find(client_id);
    REQUIRE(cred);
    const auto key = pleo::secret_key::from_base64(test_key());
    REQUIRE(key);
    auto opened = pleo::open_credential(*key, cred->secret, client_id, kind);
    REQUIRE(opened);
    return *opened;
  }

  // The card Anna (an admin) gets for `client NAME`, as text.
  std::string card(const std::string& name,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
    store::database db(file.str());
    handlers::settings hs;
    handlers::context ctx{db, hs, now};
    handlers::caller who;
    who.partner = *store::directory{db}.partner_by_id("p-1");
    who.member = store::directory{db}.member_by_id("p-1", "m-anna");
    who.chat = {"slack", "T0001", "U-anna", "anna@firm.example", "C-general", ""};
    auto reply = handlers::on_command(ctx, who, "client " + name);
    REQUIRE(reply.message);
    return test_support::all_text(*reply.message);
  }

  // What a company of either kind is made of; the client now stands for it.
  fake_company new_company(const std::string& client_id, const std::string& name,
                           std::vector<fake_entry> entries, int number) {
    fake_company c;
    c.id = test_support::fake_uuid(static_cast<std::uint64_t>(number));
    c.name = name;
    c.entries = std::move(entries);
    company_of[client_id] = c.id;
    return c;
  }
};

// Where text would steer a terminal: a C0 control other than the line
// feed ending a line, DEL, or a C1 control in UTF-8; npos when nowhere.
inline std::size_t raw_control_at(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F)
      return i;
  }
  return std::string_view::npos;
}

// Every byte of a file ("" when it does not exist).
inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

} // namespace pleo_test
