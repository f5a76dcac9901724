#include "handlers/digest_schedule.hpp"
#include "support/instants.hpp"

#include <catch2/catch.hpp>

using handlers::first_slot;
using handlers::is_due;
using handlers::next_slot_after;
using handlers::parse_iso;
using handlers::slot_for;
using handlers::slot_of_day;
using handlers::slot_time;
using store::frequency;
using test_support::at;

namespace {

slot_time slot_at(const char* iso) {
  return std::chrono::time_point_cast<std::chrono::seconds>(test_support::at(iso));
}

std::string iso(handlers::instant t) {
  return handlers::to_iso(t);
}

} // namespace

TEST_CASE("the slot is 10:00 Copenhagen: 09:00 UTC in winter, 08:00 UTC in summer") {
  CHECK(iso(slot_of_day(at("2026-01-15T12:00:00Z"))) == "2026-01-15T09:00:00Z");
  CHECK(iso(slot_of_day(at("2026-07-15T12:00:00Z"))) == "2026-07-15T08:00:00Z");
}

TEST_CASE("the slot follows the spring change on the last Sunday of March") {
  CHECK(iso(slot_of_day(at("2026-03-28T12:00:00Z"))) == "2026-03-28T09:00:00Z"); // Saturday, CET
  CHECK(iso(slot_of_day(at("2026-03-29T12:00:00Z"))) == "2026-03-29T08:00:00Z"); // the change day, CEST
  CHECK(iso(slot_of_day(at("2026-03-30T12:00:00Z"))) == "2026-03-30T08:00:00Z");
  CHECK(iso(next_slot_after(at("2026-03-28T12:00:00Z"))) == "2026-03-29T08:00:00Z");
  // 2028: the last Sunday of March is the 26th.
  CHECK(iso(slot_of_day(at("2028-03-25T12:00:00Z"))) == "2028-03-25T09:00:00Z");
  CHECK(iso(slot_of_day(at("2028-03-26T12:00:00Z"))) == "2028-03-26T08:00:00Z");
}

TEST_CASE("the slot follows the autumn change on the last Sunday of October") {
  CHECK(iso(slot_of_day(at("2026-10-24T12:00:00Z"))) == "2026-10-24T08:00:00Z"); // Saturday, CEST
  CHECK(iso(slot_of_day(at("2026-10-25T12:00:00Z"))) == "2026-10-25T09:00:00Z"); // the change day, CET
  CHECK(iso(next_slot_after(at("2026-10-24T12:00:00Z"))) == "2026-10-25T09:00:00Z");
  // The Monday after the change: a weekly subscription gets 10:00 local, now 09:00 UTC.
  const auto created = at("2026-10-14T12:00:00Z");
  CHECK(is_due(frequency::weekly, created, slot_at("2026-10-19T08:00:00Z")));
  CHECK(is_due(frequency::weekly, created, slot_at("2026-10-26T09:00:00Z")));
  CHECK_FALSE(is_due(frequency::weekly, created, slot_at("2026-10-26T08:00:00Z"))); // 09:00 local: no slot
}

TEST_CASE("a slot is due from 10:00 until local midnight, not before and not the next day") {
  CHECK_FALSE(slot_for(at("2026-11-30T08:59:59Z"))); // Monday 09:59:59 local
  CHECK(iso(*slot_for(at("2026-11-30T09:00:00Z"))) == "2026-11-30T09:00:00Z");
  CHECK(iso(*slot_for(at("2026-11-30T13:00:00Z"))) == "2026-11-30T09:00:00Z");
  CHECK(iso(*slot_for(at("2026-11-30T22:59:00Z"))) == "2026-11-30T09:00:00Z"); // 23:59 local
  CHECK_FALSE(slot_for(at("2026-11-30T23:00:00Z")));                           // midnight: Tuesday
  CHECK_FALSE(slot_for(at("2026-12-01T08:00:00Z")));                           // Tuesday 09:00 local
  // Summer: 10:00 local is 08:00 UTC, midnight is 22:00 UTC.
  CHECK(iso(*slot_for(at("2026-06-01T21:59:00Z"))) == "2026-06-01T08:00:00Z");
  CHECK_FALSE(slot_for(at("2026-06-01T22:00:00Z")));
}

TEST_CASE("the first digest is the first Monday 10:00 strictly after the subscription") {
  // Monday 30 Nov 2026: 09:59 local is before that day's slot, 10:01 is after it.
  CHECK(iso(first_slot(at("2026-11-30T08:59:00Z"))) == "2026-11-30T09:00:00Z");
  CHECK(iso(first_slot(at("2026-11-30T09:01:00Z"))) == "2026-12-07T09:00:00Z");
  CHECK(iso(first_slot(at("2026-11-30T09:00:00Z"))) == "2026-12-07T09:00:00Z"); // strictly after
  CHECK(iso(first_slot(at("2026-11-27T15:00:00Z"))) == "2026-11-30T09:00:00Z"); // Friday
  CHECK(iso(first_slot(at("2026-11-29T22:59:00Z"))) == "2026-11-30T09:00:00Z"); // Sunday 23:59 local
  // Across the spring change: made Saturday in CET, first slot Monday in CEST.
  CHECK(iso(first_slot(at("2026-03-28T12:00:00Z"))) == "2026-03-30T08:00:00Z");
}

TEST_CASE("the first Monday counts whatever the frequency") {
  const auto made = at("2026-11-30T09:01:00Z"); // Monday after the slot
  for (auto f : {frequency::daily, frequency::weekly, frequency::monthly}) {
    CHECK_FALSE(is_due(f, made, slot_at("2026-11-30T09:00:00Z")));
    CHECK(is_due(f, made, slot_at("2026-12-07T09:00:00Z")));
  }
  const auto before = at("2026-11-30T08:59:00Z");
  for (auto f : {frequency::daily, frequency::weekly, frequency::monthly})
    CHECK(is_due(f, before, slot_at("2026-11-30T09:00:00Z")));
}

TEST_CASE("daily digests go out Monday to Friday after the first Monday") {
  const auto made = at("2026-11-25T12:00:00Z");                                 // Wednesday
  CHECK_FALSE(is_due(frequency::daily, made, slot_at("2026-11-26T09:00:00Z"))); // before the first Monday
  CHECK_FALSE(is_due(frequency::daily, made, slot_at("2026-11-27T09:00:00Z")));
  CHECK(is_due(frequency::daily, made, slot_at("2026-11-30T09:00:00Z")));
  CHECK(is_due(frequency::daily, made, slot_at("2026-12-01T09:00:00Z")));
  CHECK(is_due(frequency::daily, made, slot_at("2026-12-04T09:00:00Z")));       // Friday
  CHECK_FALSE(is_due(frequency::daily, made, slot_at("2026-12-05T09:00:00Z"))); // Saturday
  CHECK_FALSE(is_due(frequency::daily, made, slot_at("2026-12-06T09:00:00Z"))); // Sunday
  CHECK_FALSE(is_due(frequency::daily, made, slot_at("2026-12-01T10:00:00Z"))); // not a slot instant
}

TEST_CASE("weekly digests go out every Monday") {
  const auto made = at("2026-11-25T12:00:00Z");
  CHECK(is_due(frequency::weekly, made, slot_at("2026-11-30T09:00:00Z")));
  CHECK_FALSE(is_due(frequency::weekly, made, slot_at("2026-12-01T09:00:00Z")));
  CHECK(is_due(frequency::weekly, made, slot_at("2026-12-07T09:00:00Z")));
  CHECK(is_due(frequency::weekly, made, slot_at("2026-12-14T09:00:00Z")));
}

TEST_CASE("monthly digests go out on the first Monday of each month, across month and year ends") {
  const auto made = at("2026-11-10T12:00:00Z");                             // Tuesday
  CHECK(is_due(frequency::monthly, made, slot_at("2026-11-16T09:00:00Z"))); // its first Monday
  CHECK_FALSE(is_due(frequency::monthly, made, slot_at("2026-11-23T09:00:00Z")));
  CHECK_FALSE(is_due(frequency::monthly, made, slot_at("2026-11-30T09:00:00Z"))); // last Monday of November
  CHECK(is_due(frequency::monthly, made, slot_at("2026-12-07T09:00:00Z")));       // Dec 1 is a Tuesday
  CHECK(is_due(frequency::monthly, made, slot_at("2027-01-04T09:00:00Z")));
  CHECK_FALSE(is_due(frequency::monthly, made, slot_at("2027-01-11T09:00:00Z")));
}

TEST_CASE("leap years: 29 February 2028 is a daily slot and March's first Monday follows it") {
  const auto made = at("2028-02-01T12:00:00Z");
  CHECK(iso(slot_of_day(at("2028-02-29T12:00:00Z"))) == "2028-02-29T09:00:00Z");
  CHECK(is_due(frequency::daily, made, slot_at("2028-02-29T09:00:00Z"))); // a Tuesday
  CHECK_FALSE(is_due(frequency::weekly, made, slot_at("2028-02-29T09:00:00Z")));
  CHECK_FALSE(is_due(frequency::monthly, made, slot_at("2028-02-28T09:00:00Z"))); // last Monday of Feb
  CHECK(is_due(frequency::monthly, made, slot_at("2028-03-06T09:00:00Z")));
  CHECK(iso(next_slot_after(at("2028-02-28T12:00:00Z"))) == "2028-02-29T09:00:00Z");
  CHECK(iso(next_slot_after(at("2028-02-29T12:00:00Z"))) == "2028-03-01T09:00:00Z");
}

TEST_CASE("instants parse with a zone exactly and without one as Copenhagen time") {
  CHECK(iso(at("2026-11-30T09:00:00Z")) == "2026-11-30T09:00:00Z");
  CHECK(iso(at("2026-11-30T10:00:00+01:00")) == "2026-11-30T09:00:00Z");
  CHECK(iso(at("2026-11-30T14:00")) == "2026-11-30T13:00:00Z");
  CHECK(iso(at("2026-07-01T14:00:00")) == "2026-07-01T12:00:00Z");
  CHECK_FALSE(parse_iso("tomorrow"));
  CHECK_FALSE(parse_iso("2026-11-30T09:00:00Zjunk"));
  CHECK_FALSE(parse_iso(""));
}

TEST_CASE("a slot reads as the local day and time, in English or Danish") {
  CHECK(handlers::describe_slot(slot_at("2026-11-30T09:00:00Z"), handlers::english) ==
        "Monday 30 Nov 2026 at 10:00 (Copenhagen)");
  CHECK(handlers::describe_slot(slot_at("2026-12-07T09:00:00Z"), handlers::english) ==
        "Monday 7 Dec 2026 at 10:00 (Copenhagen)");
  CHECK(handlers::describe_slot(slot_at("2026-11-30T09:00:00Z"), handlers::danish) ==
        "mandag 30. november 2026 kl. 10.00 (dansk tid)");
  // Summer time: 10:00 local is 08:00 UTC.
  CHECK(handlers::describe_slot(slot_at("2026-06-01T08:00:00Z"), handlers::danish) ==
        "mandag 1. juni 2026 kl. 10.00 (dansk tid)");
  CHECK(handlers::describe_slot_day(slot_at("2026-12-07T09:00:00Z"), handlers::danish) ==
        "mandag 7. december 2026");
}
