#include "handlers/format.hpp"

#include "handlers/digest_schedule.hpp"
#include "text/utf8.hpp"

#include <chrono>
#include <cstdlib>
#include <date/tz.h>
#include <optional>

namespace handlers {
namespace {

// Groups digits in threes with '.' (Danish thousands separator).
std::string group_thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return out;
}

} // namespace

std::string format_money(const store::money& m) {
  const bool negative = m.minor < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(m.minor + 1)) + 1 : static_cast<std::uint64_t>(m.minor);
  const auto cents = magnitude % 100;
  std::string out = m.currency.empty() ? std::string{} : m.currency + " ";
  if (negative) out += '-';
  out += group_thousands(magnitude / 100);
  out += ',';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

std::string format_count(std::int64_t n) {
  // The magnitude of INT64_MIN does not fit in int64; in uint64 it does.
  if (n < 0) return "-" + group_thousands(0 - static_cast<std::uint64_t>(n));
  return group_thousands(static_cast<std::uint64_t>(n));
}

std::string counted(std::int64_t n, std::string_view one, std::string_view many) {
  return say(n == 1 ? one : many, fmt::arg("count", format_count(n)));
}

std::string portal_link(std::string_view url_template, std::string_view client_id) {
  static constexpr std::string_view placeholder = "{client_id}";
  std::string out;
  out.reserve(url_template.size() + client_id.size());
  if (auto at = url_template.find(placeholder); at != std::string_view::npos)
    out.append(url_template.substr(0, at))
        .append(client_id)
        .append(url_template.substr(at + placeholder.size()));
  else
    out.append(url_template).append(client_id); // a template without the placeholder is a base URL
  return out;
}

local_time copenhagen_time(std::chrono::sys_seconds t) {
  static const date::time_zone* zone = date::locate_zone("Europe/Copenhagen");
  const auto local = zone->to_local(t);
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss clock{local - day};
  local_time out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<unsigned>(ymd.month());
  out.day = static_cast<unsigned>(ymd.day());
  out.weekday = date::weekday{day}.iso_encoding() - 1;
  out.hour = static_cast<unsigned>(clock.hours().count());
  out.minute = static_cast<unsigned>(clock.minutes().count());
  return out;
}

std::string format_date(const local_time& lt, const catalogue& t, bool with_year) {
  const auto month = nth_name(t.months, lt.month - 1);
  if (!with_year) return say(t.date_no_year, fmt::arg("day", lt.day), fmt::arg("month", month));
  return say(t.date_with_year, fmt::arg("day", lt.day), fmt::arg("month", month), fmt::arg("year", lt.year));
}

std::string format_clock(const local_time& lt, const catalogue& t) {
  return say(t.clock, fmt::arg("hour", fmt::format("{:02}", lt.hour)),
             fmt::arg("minute", fmt::format("{:02}", lt.minute)));
}

std::string_view weekday_name(const local_time& lt, const catalogue& t) {
  return nth_name(t.weekdays, lt.weekday);
}

namespace {

std::string date_and_clock(const local_time& lt, const catalogue& t, bool with_year) {
  return say(t.date_and_clock, fmt::arg("date", format_date(lt, t, with_year)),
             fmt::arg("clock", format_clock(lt, t)));
}

} // namespace

std::string format_local_time(std::string_view iso_utc, const catalogue& t) {
  const auto utc = parse_iso(iso_utc);
  if (!utc) return std::string{iso_utc};
  return date_and_clock(copenhagen_time(date::floor<std::chrono::seconds>(*utc)), t, true);
}

std::string format_local_time(std::string_view iso_utc, const catalogue& t,
                              std::chrono::system_clock::time_point now) {
  const auto utc = parse_iso(iso_utc);
  if (!utc) return std::string{iso_utc};
  const auto lt = copenhagen_time(date::floor<std::chrono::seconds>(*utc));
  return date_and_clock(lt, t, lt.year != copenhagen_time(date::floor<std::chrono::seconds>(now)).year);
}

bool valid_utf8(std::string_view text) {
  return text::utf8::valid(text);
}

std::size_t utf8_length(std::string_view text) {
  return text::utf8::length(text);
}

std::string clip(std::string_view utf8, std::size_t max_chars) {
  if (utf8_length(utf8) <= max_chars) return std::string{utf8};
  if (max_chars == 0) return {};
  std::size_t chars = 0;
  std::size_t at = 0;
  for (; at < utf8.size(); ++at) {
    if ((static_cast<unsigned char>(utf8[at]) & 0xC0) != 0x80) {
      if (chars == max_chars - 1) break;
      ++chars;
    }
  }
  std::string out{utf8.substr(0, at)};
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out + "\u2026";
}

std::string quoted(std::string_view utf8, std::size_t max_chars) {
  return "\u201c" + clip(utf8, max_chars) + "\u201d";
}

} // namespace handlers
