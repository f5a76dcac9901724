#pragma once
// The figures DESIGN.md defines, derived from Pleo's answers. Pure
// functions over response bodies; safe from any thread.
//
//   missing receipts  CARD_PURCHASE entries with an empty receiptIds, not
//                     CANCELLED or REJECTED, not EXPORTED
//   ready for export  entries with exportStatus QUEUED: their count, and the
//                     total of totalBillValue (minor units; the company's
//                     currency), counting those without one apart; a sum
//                     that would overflow is an error, never wraps
//
// Enum values are compared as plain strings (the models declare them as
// strings), so an unknown value simply matches no rule.

#include "store/sync_state.hpp"

#include <boost/system/result.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pleo {

// Why something could not be had from Pleo, in words for the operator; never
// holds a secret. `stopped`: the sync was told to stop, nobody failed.
struct failure {
  std::string message;
  bool stopped = false;
};
// (A failure is constructible from a string too: return a string value as
// `{boost::system::in_place_value, text}`.)
template <typename T> using result = boost::system::result<T, failure>;

// The export statuses an entry can have before it is exported: the search
// asks for these only, which leaves out the bulk of a company's history.
inline constexpr std::string_view open_export_statuses[] = {"CREATED", "EXPORTING", "NOT_CREATED",
                                                            "NOT_EXPORTED", "QUEUED"};

struct tally {
  int missing_receipts = 0;
  int ready_for_export = 0;
  std::map<std::string, std::int64_t> ready_totals; // currency -> Pleo minor units
  int ready_unpriced = 0;
  std::int64_t entries = 0;
};

struct page_cursor {
  bool has_next = false;
  std::string end_cursor;
};

// Adds one page of `POST /v1/accounting-entries:search` to `t`; the error
// names what is malformed.
result<page_cursor> add_entries_page(std::string_view body, tally& t);
// `GET /v1/companies/{id}`: the company's name, cleaned (see clean_text)
// to at most `longest_company_name` characters.
result<std::string> company_name(std::string_view body);
inline constexpr std::size_t longest_company_name = 200;

// Text from Pleo made plain data before it is stored: control characters
// (C0, DEL, C1), bidirectional overrides and isolates, and byte-order marks
// dropped; line breaks and tabs become spaces; bytes that are not UTF-8
// become U+FFFD; surrounding spaces trimmed; at most `max_chars` code
// points, never cutting one.
std::string clean_text(std::string_view text, std::size_t max_chars);
// `GET /v1/introspect`: the company id in `subjectURN` ("urn:pleo:company:<id>"),
// empty when the credential names no company.
result<std::string> introspected_company(std::string_view body);

// Pleo's minor units (the currency's own exponent: ISK has none) as the
// store's hundredths; nullopt beyond what the store holds (+/- 10^15, as
// for snapshot amounts).
std::optional<std::int64_t> to_hundredths(std::string_view currency, std::int64_t minors);
// The store's figures; a total in several currencies is unknown, a total
// beyond what the store holds an error.
result<store::synced_figures> to_store(const tally& t, std::string company_name);

} // namespace pleo
