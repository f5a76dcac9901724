#include "pleo/figures.hpp"

#include "text/utf8.hpp"

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

// The store's bound on amounts (store/money.hpp), in hundredths.
constexpr std::int64_t largest_amount = 1'000'000'000'000'000;

// a += b unless that overflows.
bool add_checked(std::int64_t& a, std::int64_t b) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return false;
  a = sum;
  return true;
}

// ISO 4217: three capital letters.
bool currency_code(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
}

// The code point of the well-formed UTF-8 sequence at `i` and its length;
// length 0 when the bytes there are not one.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  const auto len = text::utf8::sequence_length(b0);
  if (len == 0 || s.size() - i < len) return 0;
  cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < least[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

bool dropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

bool line_break_or_tab(char32_t cp) {
  return cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || cp == 0x85 || cp == 0x2028 ||
         cp == 0x2029;
}

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
    if (!currency_code(currency) || !amount)
      return failure{fmt::format("accounting entry {} has a malformed totalBillValue", i)};
    if (!add_checked(page.ready_totals[std::string(currency)], *amount))
      return failure{
          fmt::format("the amounts ready for export in {} overflow (accounting entry {})", currency, i)};
  }

  const auto& p = pagination->get_object();
  const auto* has_next = p.if_contains("hasNextPage");
  if (!has_next || !has_next->is_bool()) return failure{"pagination without hasNextPage"};
  page_cursor cursor;
  cursor.has_next = has_next->get_bool();
  cursor.end_cursor = std::string(string_or_empty(p, "endCursor"));
  if (cursor.has_next && cursor.end_cursor.empty()) return failure{"a next page without an endCursor"};

  // Only a whole well-formed page counts.
  auto totals = t.ready_totals;
  for (const auto& [currency, amount] : page.ready_totals)
    if (!add_checked(totals[currency], amount))
      return failure{fmt::format("the amounts ready for export in {} overflow", currency)};
  t.ready_totals = std::move(totals);
  t.missing_receipts += page.missing_receipts;
  t.ready_for_export += page.ready_for_export;
  t.ready_unpriced += page.ready_unpriced;
  t.entries += page.entries;
  return cursor;
}

result<std::string> company_name(std::string_view body) {
  auto parsed = parse_object(body, "the company");
  if (!parsed) return parsed.error();
  const auto* data = parsed->if_contains("data");
  if (!data || !data->is_object()) return failure{"the company without a data object"};
  auto name = clean_text(string_or_empty(data->get_object(), "name"), longest_company_name);
  if (name.empty()) return failure{"the company without a name"};
  return {boost::system::in_place_value, std::move(name)};
}

std::string clean_text(std::string_view text, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(text.size(), 4 * max_chars));
  std::size_t chars = 0;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size() && chars < max_chars;) {
    char32_t cp = 0;
    const auto len = decode(text, i, cp);
    const auto piece = len == 0 ? std::string_view("\xEF\xBF\xBD") : text.substr(i, len);
    i += len == 0 ? 1 : len;
    if (len != 0 && (cp == ' ' || line_break_or_tab(cp))) {
      pending_space = !out.empty();
      continue;
    }
    if (len != 0 && dropped(cp)) continue;
    if (pending_space) {
      if (chars + 1 >= max_chars) break;
      out += ' ';
      ++chars;
      pending_space = false;
    }
    out += piece;
    ++chars;
  }
  return out;
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

std::optional<std::int64_t> to_hundredths(std::string_view currency, std::int64_t minors) {
  std::int64_t hundredths = minors;
  if (among(no_decimals, currency)) {
    if (__builtin_mul_overflow(minors, 100, &hundredths)) return std::nullopt;
  } else if (among(three_decimals, currency)) {
    // Rounded half away from zero, without the overflow of adding 5 first.
    hundredths = minors / 10 + (minors % 10 >= 5 ? 1 : minors % 10 <= -5 ? -1 : 0);
  }
  if (hundredths > largest_amount || hundredths < -largest_amount) return std::nullopt;
  return hundredths;
}

result<store::synced_figures> to_store(const tally& t, std::string company_name) {
  store::synced_figures f;
  f.company_name = std::move(company_name);
  f.missing_receipts = t.missing_receipts;
  f.ready_for_export = t.ready_for_export;
  f.ready_for_export_unpriced = t.ready_unpriced;
  if (t.ready_totals.size() == 1) {
    const auto& [currency, minors] = *t.ready_totals.begin();
    const auto hundredths = to_hundredths(currency, minors);
    if (!hundredths)
      return failure{fmt::format("the amounts ready for export ({} {} in minor units) are beyond what can be "
                                 "stored",
                                 currency, minors)};
    f.ready_for_export_total = store::money{*hundredths, currency};
  }
  return f;
}

} // namespace pleo
