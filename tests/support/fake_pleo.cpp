#include "support/fake_pleo.hpp"

#include "support/loopback_server.hpp"
#include "support/recorded_body.hpp"

#include <algorithm>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <deque>
#include <fmt/format.h>
#include <map>
#include <mutex>

namespace test_support {

namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::string_view media_type = "application/json;charset=UTF-8";

std::map<std::string, std::string> query_of(std::string_view target) {
  std::map<std::string, std::string> out;
  const auto q = target.find('?');
  if (q == std::string_view::npos) return out;
  const std::string text(target.substr(q + 1));
  auto params = boost::urls::parse_query(text);
  if (!params) return out;
  for (auto p : *params)
    out[form_decode(p.key)] = p.has_value ? form_decode(p.value) : std::string();
  return out;
}

std::string base64_decode(std::string_view in) {
  std::string out(beast::detail::base64::decoded_size(in.size()), '\0');
  auto [written, read] = beast::detail::base64::decode(out.data(), in.data(), in.size());
  out.resize(written);
  return out;
}

// RFC 4648 base32 of the offset's digits: cursors match ^[A-Z2-7=~]+$.
std::string cursor_for(std::size_t offset) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const std::string digits = std::to_string(offset);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : digits) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::size_t> offset_of(std::string_view cursor) {
  std::string digits;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : cursor) {
    int v = c >= 'A' && c <= 'Z' ? c - 'A' : c >= '2' && c <= '7' ? c - '2' + 26 : -1;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      digits += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char d) { return d >= '0' && d <= '9'; }))
    return std::nullopt;
  return static_cast<std::size_t>(std::stoull(digits));
}

std::string entry_json(const fake_entry& e, const std::string& company_id, std::uint64_t n) {
  json::object o{
      {"id", fake_uuid(0x100000000ULL + n)},
      {"companyId", company_id},
      {"employeeId", fake_uuid(0x200000000ULL + n % 17)},
      {"family", e.family},
      {"subFamily", e.sub_family},
      {"status", e.status},
      {"exportStatus", e.export_status},
      {"reviewStatus", "NOT_SET"},
      {"receiptIds", e.has_receipt ? json::array{fake_uuid(0x300000000ULL + n)} : json::array{}},
      {"tags", json::array{}},
      {"splitItems", json::array{}},
      {"attendees", json::array{}},
      {"performedAt", "2026-11-20T12:41:09Z"},
      {"settledAt", "2026-11-22T02:10:00Z"},
      {"bookkeepingDate", "2026-11-22T02:10:00Z"},
      {"createdAt", "2026-11-20T12:41:12Z"},
      {"updatedAt", "2026-11-22T02:10:31Z"},
      {"transactionValue", {{"currency", "EUR"}, {"minors", 4250 + static_cast<std::int64_t>(n % 100)}}},
  };
  if (e.total_minors) o["totalBillValue"] = {{"currency", e.currency}, {"minors", *e.total_minors}};
  if (e.deleted) o["deletedAt"] = "2026-11-23T08:00:00Z";
  return json::serialize(o);
}

bool listed(const json::object& filters, std::string_view key, std::string_view value) {
  const auto* v = filters.if_contains(key);
  if (!v || !v->is_array() || v->get_array().empty()) return true;
  for (const auto& item : v->get_array())
    if (item.is_string() && item.get_string() == value) return true;
  return false;
}

struct token {
  std::string company_id;
  steady::time_point expires;
  std::uint64_t generation = 0;
};

struct reply {
  int status = 200;
  std::string body;
  std::string content_type = std::string(media_type);
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds stall{0};
};

reply body_reply(int status, std::string body, std::string content_type = std::string(media_type)) {
  reply r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}
reply json_reply(int status, const json::value& v) {
  return body_reply(status, json::serialize(v));
}
reply empty_reply(int status) {
  return body_reply(status, "", "text/plain");
}

} // namespace

std::string fake_uuid(std::uint64_t n) {
  return fmt::format("00000000-0000-4000-8000-{:012x}", n);
}

struct fake_pleo::impl {
  mutable std::mutex mutex;
  std::map<std::string, fake_company> companies; // by id
  std::map<std::string, std::deque<scripted_fault>> faults;
  std::map<std::string, bool> revoked;
  std::map<std::string, token> tokens;
  std::uint64_t token_generation = 0; // tokens older than this are expired
  std::uint64_t issued = 0;
  std::chrono::seconds token_lifetime{3600};
  std::optional<json::value> expires_in_answer;
  std::string oauth_client_id, oauth_client_secret;
  std::vector<pleo_request> log;

  // Whose credential the request carries; empty when none is valid.
  std::string authenticate(const std::string& authorization) {
    if (authorization.starts_with("Basic ")) {
      const auto user = base64_decode(std::string_view(authorization).substr(6));
      const auto colon = user.find(':');
      if (colon == std::string::npos || colon + 1 != user.size()) return {};
      const auto key = user.substr(0, colon);
      for (const auto& [id, c] : companies)
        if (!c.api_key.empty() && c.api_key == key) return revoked[id] ? std::string() : id;
      return {};
    }
    if (authorization.starts_with("Bearer ")) {
      auto it = tokens.find(authorization.substr(7));
      if (it == tokens.end() || it->second.generation < token_generation ||
          steady::now() >= it->second.expires)
        return {};
      return it->second.company_id;
    }
    return {};
  }

  std::optional<scripted_fault> take_fault(const std::string& company_id, const std::string& operation) {
    auto it = faults.find(company_id);
    if (it == faults.end()) return std::nullopt;
    for (auto f = it->second.begin(); f != it->second.end(); ++f) {
      if (!f->operation.empty() && f->operation != operation) continue;
      auto fault = *f;
      it->second.erase(f);
      return fault;
    }
    return std::nullopt;
  }

  static reply fault_reply(const scripted_fault& f) {
    switch (f.kind) {
    case fake_fault::too_many_requests: {
      auto r = json_reply(429, json::object{{"type", "TOO_MANY_REQUESTS"}, {"message", "slow down"}});
      r.headers.emplace_back("Retry-After", std::to_string(f.retry_after_seconds));
      return r;
    }
    case fake_fault::unavailable:
      return empty_reply(503);
    case fake_fault::unauthorized:
      return empty_reply(401);
    case fake_fault::forbidden:
      return empty_reply(403);
    case fake_fault::malformed_json:
      return body_reply(200, R"({"data": [{"id": "3b0f6c1e", "family": "CARD_PUR)");
    case fake_fault::stall:
      break;
    }
    return empty_reply(500);
  }

  reply token_endpoint(const http::request<http::string_body>& req, pleo_request& rec) {
    if (!oauth_client_id.empty()) {
      const std::string expected = "Basic " + [&] {
        std::string plain = oauth_client_id + ":" + oauth_client_secret;
        std::string out(beast::detail::base64::encoded_size(plain.size()), '\0');
        out.resize(beast::detail::base64::encode(out.data(), plain.data(), plain.size()));
        return out;
      }();
      if (std::string(req[http::field::authorization]) != expected)
        return json_reply(401, json::object{{"error", "invalid_client"}});
    }
    std::map<std::string, std::string> form;
    if (auto params = boost::urls::parse_query(req.body()))
      for (auto p : *params)
        form[form_decode(p.key)] = p.has_value ? form_decode(p.value) : std::string();
    if (form["grant_type"] != "refresh_token")
      return json_reply(400, json::object{{"error", "unsupported_grant_type"}});
    auto company = std::find_if(companies.begin(), companies.end(), [&](const auto& kv) {
      return !kv.second.refresh_token.empty() && kv.second.refresh_token == form["refresh_token"];
    });
    if (company == companies.end()) return json_reply(400, json::object{{"error", "invalid_grant"}});
    rec.company_id = company->first;
    if (auto f = take_fault(company->first, "token")) {
      auto r = fault_reply(*f);
      r.stall = f->stall;
      return r;
    }
    const auto access = fmt::format("at-{}-{}", company->first.substr(company->first.size() - 4), ++issued);
    tokens[access] = {company->first, steady::now() + token_lifetime, token_generation};
    company->second.refresh_token =
        fmt::format("rt-{}-{}", company->first.substr(company->first.size() - 4), issued);
    return json_reply(200,
                      json::object{{"access_token", access},
                                   {"token_type", "Bearer"},
                                   {"expires_in", expires_in_answer ? *expires_in_answer
                                                                    : json::value(token_lifetime.count())},
                                   {"refresh_token", company->second.refresh_token},
                                   {"scope", "expense:read"}});
  }

  reply entries_search(const http::request<http::string_body>& req, const fake_company& c) {
    auto query = query_of(req.target());
    boost::system::error_code ec;
    auto body = json::parse(req.body(), ec);
    if (ec || !body.is_object() || !body.get_object().contains("includeDeleted") ||
        !body.get_object().at("includeDeleted").is_bool())
      return json_reply(400,
                        json::object{{"type", "BAD_REQUEST"}, {"message", "includeDeleted is required"}});
    const auto& filters = body.get_object();
    const bool include_deleted = filters.at("includeDeleted").get_bool();
    int limit = 20;
    if (query.contains("limit")) {
      limit = std::atoi(query["limit"].c_str());
      if (limit < 1 || limit > 100)
        return json_reply(400, json::object{{"type", "BAD_REQUEST"}, {"message", "limit must be 1..100"}});
    }
    std::size_t offset = 0;
    if (query.contains("after")) {
      auto o = offset_of(query["after"]);
      if (!o) return json_reply(400, json::object{{"type", "BAD_REQUEST"}, {"message", "bad cursor"}});
      offset = *o;
    }
    std::vector<std::size_t> matching;
    for (std::size_t i = 0; i < c.entries.size(); ++i) {
      const auto& e = c.entries[i];
      if (e.deleted && !include_deleted) continue;
      if (!listed(filters, "families", e.family) || !listed(filters, "status", e.status) ||
          !listed(filters, "exportStatus", e.export_status))
        continue;
      matching.push_back(i);
    }
    const auto end = std::min(matching.size(), offset + static_cast<std::size_t>(limit));
    std::string data = "[";
    for (std::size_t k = offset; k < end; ++k) {
      if (k > offset) data += ',';
      data += entry_json(c.entries[matching[k]], c.id, matching[k]);
    }
    data += "]";
    json::object pagination{
        {"currentRequestPagination",
         {{"parameters", {{"company_id", json::array{c.id}}}}, {"limit", limit}, {"after", query["after"]}}},
        {"hasNextPage", end < matching.size()},
        {"hasPreviousPage", offset > 0},
        {"total", matching.size()},
    };
    if (end > offset) {
      pagination["startCursor"] = cursor_for(offset + 1);
      pagination["endCursor"] = cursor_for(end);
    }
    return body_reply(200, "{\"data\":" + data + ",\"pagination\":" + json::serialize(pagination) + "}");
  }

  reply handle(const http::request<http::string_body>& req, pleo_request& rec) {
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    if (path == "/oauth/token" && req.method() == http::verb::post) {
      rec.operation = "token";
      return token_endpoint(req, rec);
    }
    if (path == "/v1/introspect" && req.method() == http::verb::get)
      rec.operation = "introspect";
    else if (path.starts_with("/v1/companies/") && req.method() == http::verb::get)
      rec.operation = "company";
    else if (path == "/v1/accounting-entries:search" && req.method() == http::verb::post)
      rec.operation = "entries";
    else
      rec.operation = "other";

    rec.company_id = authenticate(rec.authorization);
    if (rec.company_id.empty()) return empty_reply(401);
    if (auto f = take_fault(rec.company_id, rec.operation)) {
      if (f->kind != fake_fault::stall) return fault_reply(*f);
      auto r = handle_operation(req, rec, path);
      r.stall = f->stall;
      return r;
    }
    return handle_operation(req, rec, path);
  }

  reply handle_operation(const http::request<http::string_body>& req, const pleo_request& rec,
                         const std::string& path) {
    const auto& c = companies.at(rec.company_id);
    if (rec.operation == "introspect") {
      const bool oauth = rec.authorization.starts_with("Bearer ");
      return json_reply(200, json::object{{"data",
                                           {{"applicationName", "partnerbot"},
                                            {"authMethod", oauth ? "OAUTH2" : "API_KEY"},
                                            {"clientId", fake_uuid(42)},
                                            {"scope", "expense:read export:read"},
                                            {"subjectURN", "urn:pleo:company:" + c.id}}}});
    }
    if (rec.operation == "company") {
      const auto id = path.substr(std::string_view("/v1/companies/").size());
      if (!companies.contains(id)) return empty_reply(404);
      if (id != c.id) return empty_reply(403);
      return json_reply(200, json::object{{"data",
                                           {{"id", c.id},
                                            {"name", c.name},
                                            {"organizationId", fake_uuid(7)},
                                            {"registrationNumber", "DK12345678"},
                                            {"address",
                                             {{"addressLine1", "Vesterbrogade 1"},
                                              {"country", "DK"},
                                              {"locality", "København"},
                                              {"postalCode", "1620"}}}}}});
    }
    if (rec.operation == "entries") {
      auto query = query_of(req.target());
      if (!query.contains("company_id") && !query.contains("organization_id"))
        return json_reply(400, json::object{{"type", "BAD_REQUEST"}, {"message", "company_id is required"}});
      if (query["company_id"] != c.id) return empty_reply(403);
      return entries_search(req, c);
    }
    return empty_reply(404);
  }

  // Records the request and answers it, stalling first when a fault says so.
  fake_answer serve(const http::request<http::string_body>& req) {
    pleo_request rec;
    rec.at = steady::now();
    rec.method = std::string(req.method_string());
    rec.target = std::string(req.target());
    rec.authorization = std::string(req[http::field::authorization]);
    rec.body = req.body();
    reply r;
    {
      std::lock_guard lock(mutex);
      r = handle(req, rec);
      rec.status = r.status;
      if (r.status != 200) rec.answer = r.body;
      log.push_back(rec);
    }
    r.headers.insert(r.headers.begin(), std::pair<std::string, std::string>{"Content-Type", r.content_type});
    return {response_to(req, static_cast<unsigned>(r.status), std::move(r.body), r.headers), r.stall};
  }

  // Last, so destroyed first: no session outlives the state it reads.
  loopback_server server{[this](const loopback_server::request& req) { return serve(req); }, 1024 * 1024};
};

fake_pleo::fake_pleo() : impl_(std::make_unique<impl>()) {}

fake_pleo::~fake_pleo() = default;

std::string fake_pleo::base_url() const {
  return impl_->server.origin();
}

void fake_pleo::add_company(fake_company c) {
  std::lock_guard lock(impl_->mutex);
  auto id = c.id;
  impl_->companies[id] = std::move(c);
}

void fake_pleo::add_entries(const std::string& company_id, const std::vector<fake_entry>& entries) {
  std::lock_guard lock(impl_->mutex);
  auto& list = impl_->companies.at(company_id).entries;
  list.insert(list.end(), entries.begin(), entries.end());
}

void fake_pleo::script(const std::string& company_id, scripted_fault fault) {
  std::lock_guard lock(impl_->mutex);
  impl_->faults[company_id].push_back(std::move(fault));
}

void fake_pleo::revoke_api_key(const std::string& company_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->revoked[company_id] = true;
}

void fake_pleo::expire_access_tokens() {
  std::lock_guard lock(impl_->mutex);
  ++impl_->token_generation;
}

void fake_pleo::answer_expires_in(boost::json::value v) {
  std::lock_guard lock(impl_->mutex);
  impl_->expires_in_answer = std::move(v);
}

void fake_pleo::set_token_lifetime(std::chrono::seconds lifetime) {
  std::lock_guard lock(impl_->mutex);
  impl_->token_lifetime = lifetime;
}

void fake_pleo::require_oauth_client(const std::string& client_id, const std::string& client_secret) {
  std::lock_guard lock(impl_->mutex);
  impl_->oauth_client_id = client_id;
  impl_->oauth_client_secret = client_secret;
}

std::string fake_pleo::current_refresh_token(const std::string& company_id) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->companies.at(company_id).refresh_token;
}

std::vector<pleo_request> fake_pleo::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::size_t fake_pleo::count(const std::string& operation) const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<std::size_t>(std::count_if(
      impl_->log.begin(), impl_->log.end(), [&](const pleo_request& r) { return r.operation == operation; }));
}

std::size_t fake_pleo::most_within(steady::duration window, const std::string& company_id) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<steady::time_point> at;
  for (const auto& r : impl_->log)
    if (company_id.empty() || r.company_id == company_id) at.push_back(r.at);
  std::size_t most = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    while (at[i] - at[first] >= window)
      ++first;
    most = std::max(most, i - first + 1);
  }
  return most;
}

} // namespace test_support
