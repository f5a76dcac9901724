#include "store/money.hpp"

#include <chrono>
#include <fmt/format.h>

namespace store {
namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

std::optional<int> number(std::string_view s, std::size_t pos, std::size_t len) {
  if (pos + len > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (!digit(s[i])) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

} // namespace

std::optional<std::int64_t> parse_amount(std::string_view text) {
  constexpr std::int64_t limit = 1'000'000'000'000'000; // 10^15 major units is beyond any wallet
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 15) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return std::nullopt;
  std::int64_t major = 0;
  for (char c : whole) {
    if (!digit(c)) return std::nullopt;
    major = major * 10 + (c - '0');
  }
  std::int64_t minor = 0;
  for (std::size_t i = 0; i < 2; ++i) {
    minor *= 10;
    if (i < fraction.size()) {
      if (!digit(fraction[i])) return std::nullopt;
      minor += fraction[i] - '0';
    }
  }
  if (major >= limit) return std::nullopt;
  const std::int64_t value = major * 100 + minor;
  return negative ? -value : value;
}

std::optional<std::string> normalize_timestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM|-HH:MM]
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return std::nullopt;
  const auto y = number(s, 0, 4), mo = number(s, 5, 2), d = number(s, 8, 2);
  const auto h = number(s, 11, 2), mi = number(s, 14, 2), se = number(s, 17, 2);
  if (!y || !mo || !d || !h || !mi || !se || *h > 23 || *mi > 59 || *se > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*y},
                                         std::chrono::month{static_cast<unsigned>(*mo)},
                                         std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const auto start = pos;
    while (pos < s.size() && digit(s[pos]))
      ++pos;
    if (pos == start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    const auto oh = number(s, pos + 1, 2), om = number(s, pos + 4, 2);
    if (!oh || !om || pos + 3 >= s.size() || s[pos + 3] != ':' || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  using namespace std::chrono;
  const auto local = sys_days{date} + hours{*h} + minutes{*mi} + seconds{std::min(*se, 59)};
  const auto utc = local - minutes{offset_minutes};
  const auto day = floor<days>(utc);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> tod{utc - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count());
}

} // namespace store
