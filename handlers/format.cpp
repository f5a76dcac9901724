#include "handlers/format.hpp"

#include "store/utf8.hpp"

#include <date/tz.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

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

std::string portal_link(std::string_view url_template, std::string_view client_id) {
  static constexpr std::string_view placeholder = "{client_id}";
  std::string out{url_template};
  if (auto at = out.find(placeholder); at != std::string::npos)
    out.replace(at, placeholder.size(), client_id);
  else
    out += client_id; // a template without the placeholder is a base URL
  return out;
}

std::string format_local_time(std::string_view iso_utc) {
  std::istringstream in{std::string{iso_utc}};
  date::sys_seconds utc;
  in >> date::parse("%FT%TZ", utc);
  if (in.fail()) return std::string{iso_utc};
  const auto local = date::make_zoned("Europe/Copenhagen", utc);
  return date::format("%d %b %Y %H:%M", local);
}

bool valid_utf8(std::string_view text) { return store::utf8::valid(text); }

std::size_t utf8_length(std::string_view text) { return store::utf8::length(text); }

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
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "\u2026";
}

} // namespace handlers

