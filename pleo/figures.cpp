#include "pleo/figures.hpp"

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <limits>

namespace pleo {
namespace {

namespace json = boost::json;

result<json::object> parse_object(std::string_view body, std::string_view what) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  if (ec) return failure{fmt::format("malformed JSON in {}: {}", what, ec.message())};
  if (!v.is_object()) return failure{fmt::format("{} is not a JSON object", what)};
  return std::move(v.as_object());
}

std::string_view string_or_empty(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

std::optional<std::int64_t> integer(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.get_uint64());
  return std::nullopt;
}

// ISO 4217 exponents other than 2 among the currencies a company may hold.
constexpr std::array<std::string_view, 16> no_decimals = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                                          "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                                                          "VUV", "XAF", "XOF", "XPF"};
constexpr std::array<std::string_view, 7> three_decimals = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};

template <std::size_t N> bool among(const std::array<std::string_view, N>& list, std::string_view c) {
  return std::find(list.begin(), list.end(), c) != list.end();
}

} // namespace

result<page_cursor> add_entries_page(std::string_view body, tally& t) {
  auto parsed = parse_object(body, "the accounting entries");
  if (!parsed) return parsed.error();
  const auto& top = *parsed;
  const auto* data = top.if_contains("data");
  if (!data || !data->is_array()) return failure{"accounting entries without a data array"};
  const auto* pagination = top.if_contains("pagination");
  if (!pagination || !pagination->is_object()) return failure{"accounting entries without pagination"};

  tally page;
  for (std::size_t i = 0; i < data->get_array().size(); ++i) {
    const auto& item = data->get_array()[i];
    if (!item.is_object()) return failure{fmt::format("accounting entry {} is not an object", i)};
    const auto& e = item.get_object();
    const auto family = string_or_empty(e, "family");
    const auto status = string_or_empty(e, "status");
    const auto export_status = string_or_empty(e, "exportStatus");
    const auto* receipts = e.if_contains("receiptIds");
    if (!receipts || !receipts->is_array())
      return failure{fmt::format("accounting entry {} has no receiptIds array", i)};
    ++page.entries;
    if (family == "CARD_PURCHASE" && receipts->get_array().empty() && status != "CANCELLED" &&
        status != "REJECTED" && export_status != "EXPORTED")
      ++page.missing_receipts;
    if (export_status != "QUEUED") continue;
    ++page.ready_for_export;
    const auto* bill = e.if_contains("totalBillValue");
    if (!bill || bill->is_null()) {
      ++page.ready_unpriced;
      continue;
    }
    if (!bill->is_object())
      return failure{fmt::format("accounting entry {} has a totalBillValue that is not an object", i)};
    const auto currency = string_or_empty(bill->get_object(), "currency");
    const auto* minors = bill->get_object().if_contains("minors");
    const auto amount = minors ? integer(*minors) : std::nullopt;
    if (currency.empty() || !amount)
      return failure{fmt::format("accounting entry {} has a malformed totalBillValue", i)};
    page.ready_totals[std::string(currency)] += *amount;
  }

  const auto& p = pagination->get_object();
  const auto* has_next = p.if_contains("hasNextPage");
  if (!has_next || !has_next->is_bool()) return failure{"pagination without hasNextPage"};
  page_cursor cursor;
  cursor.has_next = has_next->get_bool();
  cursor.end_cursor = std::string(string_or_empty(p, "endCursor"));
  if (cursor.has_next && cursor.end_cursor.empty()) return failure{"a next page without an endCursor"};

  // Only a whole well-formed page counts.
  t.missing_receipts += page.missing_receipts;
  t.ready_for_export += page.ready_for_export;
  t.ready_unpriced += page.ready_unpriced;
  t.entries += page.entries;
  for (const auto& [currency, amount] : page.ready_totals)
    t.ready_totals[currency] += amount;
  return cursor;
}

result<std::string> company_name(std::string_view body) {
  auto parsed = parse_object(body, "the company");
  if (!parsed) return parsed.error();
  const auto* data = parsed->if_contains("data");
  if (!data || !data->is_object()) return failure{"the company without a data object"};
  const auto name = string_or_empty(data->get_object(), "name");
  if (name.empty()) return failure{"the company without a name"};
  return {boost::system::in_place_value, std::string(name)};
}

result<std::string> introspected_company(std::string_view body) {
  auto parsed = parse_object(body, "the introspection");
  if (!parsed) return parsed.error();
  const auto* data = parsed->if_contains("data");
  if (!data || !data->is_object()) return failure{"the introspection without a data object"};
  constexpr std::string_view prefix = "urn:pleo:company:";
  const auto subject = string_or_empty(data->get_object(), "subjectURN");
  if (!subject.starts_with(prefix)) return {boost::system::in_place_value, std::string()};
  return {boost::system::in_place_value, std::string(subject.substr(prefix.size()))};
}

std::int64_t to_hundredths(std::string_view currency, std::int64_t minors) {
  if (among(no_decimals, currency)) return minors * 100;
  if (among(three_decimals, currency)) return (minors >= 0 ? minors + 5 : minors - 5) / 10;
  return minors;
}

store::synced_figures to_store(const tally& t, std::string company_name) {
  store::synced_figures f;
  f.company_name = std::move(company_name);
  f.missing_receipts = t.missing_receipts;
  f.ready_for_export = t.ready_for_export;
  f.ready_for_export_unpriced = t.ready_unpriced;
  if (t.ready_totals.size() == 1) {
    const auto& [currency, minors] = *t.ready_totals.begin();
    f.ready_for_export_total = store::money{to_hundredths(currency, minors), currency};
  }
  return f;
}

} // namespace pleo
