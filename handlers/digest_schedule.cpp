#include "handlers/digest_schedule.hpp"

#include "handlers/format.hpp"

#include <algorithm>
#include <date/date.h>
#include <date/tz.h>
#include <sstream>

namespace handlers {
namespace {

using namespace std::chrono_literals;

constexpr auto slot_hour = 10h;

const date::time_zone* copenhagen() {
  static const date::time_zone* zone = date::locate_zone("Europe/Copenhagen");
  return zone;
}

date::local_days local_day_of(instant t) {
  const auto local = copenhagen()->to_local(std::chrono::time_point_cast<std::chrono::seconds>(t));
  return date::floor<date::days>(local);
}

// 10:00 never falls in a DST gap or overlap in Copenhagen (they are at 02:00-03:00),
// so `earliest` only matters for a zone that would change rules.
slot_time slot_on(date::local_days day) {
  return copenhagen()->to_sys(day + slot_hour, date::choose::earliest);
}

bool is_monday(date::local_days day) {
  return date::weekday{day} == date::Monday;
}

bool is_workday(date::local_days day) {
  const date::weekday wd{day};
  return wd != date::Saturday && wd != date::Sunday;
}

bool is_first_monday_of_month(date::local_days day) {
  return is_monday(day) && date::year_month_day{day}.day() <= date::day{7};
}

} // namespace

slot_time slot_of_day(instant t) {
  return slot_on(local_day_of(t));
}

std::optional<slot_time> slot_for(instant t) {
  const auto day = local_day_of(t);
  const auto slot = slot_on(day);
  if (t < slot) return std::nullopt;
  return slot; // local midnight ends the day, and with it the slot
}

slot_time next_slot_after(instant t) {
  const auto day = local_day_of(t);
  const auto today = slot_on(day);
  if (t < today) return today;
  return slot_on(day + date::days{1});
}

slot_time first_slot(instant created_at) {
  auto day = local_day_of(created_at);
  if (!is_monday(day) || created_at >= slot_on(day)) {
    // The next Monday after this day.
    day += date::days{1};
    while (!is_monday(day))
      day += date::days{1};
  }
  return slot_on(day);
}

bool is_due(store::frequency f, instant created_at, slot_time slot) {
  const auto first = first_slot(created_at);
  if (slot < first) return false;
  const auto day = local_day_of(slot);
  if (slot_on(day) != slot) return false; // not a slot at all
  if (slot == first) return true;
  switch (f) {
  case store::frequency::daily:
    return is_workday(day);
  case store::frequency::weekly:
    return is_monday(day);
  case store::frequency::monthly:
    return is_first_monday_of_month(day);
  }
  return false;
}

slot_time next_due(store::frequency f, instant created_at, instant after) {
  // Slots are a day apart, and every subscription is due at least on the
  // first Monday of a month, so this ends within about five weeks.
  auto slot = next_slot_after(std::max(after, created_at));
  while (!is_due(f, created_at, slot))
    slot = next_slot_after(slot);
  return slot;
}

std::string to_iso(instant t) {
  return date::format("%FT%TZ", std::chrono::time_point_cast<std::chrono::seconds>(t));
}

namespace {

// "YYYY-MM-DDTHH:MM:SSZ", the form the store writes: parsed without streams,
// since a digest pass reads one per subscription.
std::optional<instant> parse_canonical_utc(std::string_view t) {
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t[19] != 'Z')
    return std::nullopt;
  int v[6] = {};
  const int starts[6] = {0, 5, 8, 11, 14, 17};
  const int widths[6] = {4, 2, 2, 2, 2, 2};
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < widths[i]; ++j) {
      const char c = t[static_cast<std::size_t>(starts[i] + j)];
      if (c < '0' || c > '9') return std::nullopt;
      v[i] = v[i] * 10 + (c - '0');
    }
  const date::year_month_day ymd{date::year{v[0]}, date::month{static_cast<unsigned>(v[1])},
                                 date::day{static_cast<unsigned>(v[2])}};
  if (!ymd.ok() || v[3] > 23 || v[4] > 59 || v[5] > 60) return std::nullopt;
  return instant{date::sys_days{ymd} + std::chrono::hours{v[3]} + std::chrono::minutes{v[4]} +
                 std::chrono::seconds{v[5]}};
}

} // namespace

std::optional<instant> parse_iso(std::string_view text) {
  if (auto fast = parse_canonical_utc(text)) return fast;
  std::string s{text};
  for (auto& c : s)
    if (c == ' ') c = 'T';
  if (!s.empty() && (s.back() == 'z')) s.back() = 'Z';
  // With a zone: an exact instant.
  for (const char* fmt : {"%FT%TZ", "%FT%T%Ez", "%FT%RZ", "%FT%R%Ez"}) {
    std::istringstream in{s};
    date::sys_seconds tp;
    in >> date::parse(fmt, tp);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return instant{tp};
  }
  // Without a zone: Copenhagen wall-clock time.
  for (const char* fmt : {"%FT%T", "%FT%R"}) {
    std::istringstream in{s};
    date::local_seconds tp;
    in >> date::parse(fmt, tp);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof())
      return instant{copenhagen()->to_sys(tp, date::choose::earliest)};
  }
  return std::nullopt;
}

std::string describe_slot(slot_time slot, const catalogue& t) {
  const auto lt = copenhagen_time(slot);
  return say(t.slot_when, fmt::arg("weekday", weekday_name(lt, t)), fmt::arg("date", format_date(lt, t)),
             fmt::arg("clock", format_clock(lt, t)));
}

std::string describe_slot_day(slot_time slot, const catalogue& t) {
  const auto lt = copenhagen_time(slot);
  return say(t.slot_day, fmt::arg("weekday", weekday_name(lt, t)), fmt::arg("date", format_date(lt, t)));
}

} // namespace handlers
