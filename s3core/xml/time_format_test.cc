#include "s3core/xml/time_format.h"

#include <gtest/gtest.h>

#include <chrono>

namespace s3core {
namespace {

using std::chrono::sys_days;
using namespace std::chrono_literals;

// The standard library's calendar is the independent oracle for our arithmetic.
TimePoint At(int y, unsigned m, unsigned d, std::chrono::nanoseconds time_of_day = {}) {
  const sys_days day{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(day.time_since_epoch() + time_of_day));
}

TEST(CivilDaysTest, KnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
}

TEST(CivilDaysTest, AgreesWithStdChronoAndRoundTrips) {
  for (int64_t days = -150000; days <= 150000; days += 37) {
    const std::chrono::year_month_day ymd{sys_days{std::chrono::days{days}}};
    const auto month = static_cast<unsigned>(ymd.month());
    const auto day = static_cast<unsigned>(ymd.day());
    ASSERT_EQ(DaysFromCivil(static_cast<int>(ymd.year()), month, day), days);
    const CivilDate back = CivilFromDays(days);
    ASSERT_EQ(back.year, static_cast<int>(ymd.year()));
    ASSERT_EQ(back.month, month);
    ASSERT_EQ(back.day, day);
  }
}

TEST(ParseIso8601Test, S3ListingFormatWithMillis) {
  Result<TimePoint> t = ParseIso8601("2009-10-12T17:50:30.000Z");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, At(2009, 10, 12, 17h + 50min + 30s));

  t = ParseIso8601("2024-01-02T03:04:05.678Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, At(2024, 1, 2, 3h + 4min + 5s + 678ms));
}

TEST(ParseIso8601Test, FractionsOfAnyLengthAndNone) {
  EXPECT_EQ(ParseIso8601("2020-05-06T07:08:09Z").value(), At(2020, 5, 6, 7h + 8min + 9s));
  EXPECT_EQ(ParseIso8601("2020-05-06T07:08:09.5Z").value(), At(2020, 5, 6, 7h + 8min + 9s + 500ms));
  EXPECT_EQ(ParseIso8601("2020-05-06T07:08:09.123456789Z").value(),
            At(2020, 5, 6, 7h + 8min + 9s + 123456789ns));
  // Digits past nanoseconds are dropped, not rounded.
  EXPECT_EQ(ParseIso8601("2020-05-06T07:08:09.1234567899999Z").value(),
            At(2020, 5, 6, 7h + 8min + 9s + 123456789ns));
}

TEST(ParseIso8601Test, ZoneOffsets) {
  // The form the AWS ListBuckets example uses for CreationDate.
  EXPECT_EQ(ParseIso8601("2019-12-11T23:32:47+00:00").value(), At(2019, 12, 11, 23h + 32min + 47s));
  EXPECT_EQ(ParseIso8601("2019-12-11T18:32:47-05:00").value(), At(2019, 12, 11, 23h + 32min + 47s));
  EXPECT_EQ(ParseIso8601("2019-12-12T05:02:47+0530").value(), At(2019, 12, 11, 23h + 32min + 47s));
}

TEST(ParseIso8601Test, CalendarEdges) {
  EXPECT_TRUE(ParseIso8601("2024-02-29T00:00:00Z").ok());
  EXPECT_TRUE(ParseIso8601("2000-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseIso8601("2023-02-29T00:00:00Z").ok());
  EXPECT_FALSE(ParseIso8601("1900-02-29T00:00:00Z").ok());
  EXPECT_EQ(ParseIso8601("1969-12-31T23:59:59.250Z").value(), At(1969, 12, 31, 23h + 59min + 59s + 250ms));
  // A leap second rolls over, as timegm() does.
  EXPECT_EQ(ParseIso8601("2016-12-31T23:59:60Z").value(), At(2017, 1, 1));
}

TEST(ParseIso8601Test, RejectsMalformedWithClearMessage) {
  for (const char* bad : {"", "2009-10-12", "2009-10-12T17:50:30", "2009-10-12T17:50:30.000",
                          "2009-10-12 17:50:30Z", "2009-13-12T17:50:30Z", "2009-00-12T17:50:30Z",
                          "2009-10-32T17:50:30Z", "2009-10-00T17:50:30Z", "2009-10-12T24:00:00Z",
                          "2009-10-12T17:60:30Z", "2009-10-12T17:50:61Z", "2009-10-12T17:50:30.Z",
                          "2009-10-12T17:50:30.000Zjunk", "2009-10-12T17:50:30+25:00",
                          "2009-10-12T17:50:30+05", "-009-10-12T17:50:30Z", "2009-1-12T17:50:30Z",
                          "20091012T175030Z"}) {
    Result<TimePoint> t = ParseIso8601(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().kind(), ErrorKind::kUnexpectedResponse) << bad;
    EXPECT_NE(t.status().message().find("invalid ISO 8601 time"), std::string::npos) << t.status().ToString();
  }
}

TEST(ParseIso8601Test, YearsOutsideTimePointRangeAreErrorsNotWraparound) {
  Result<TimePoint> t = ParseIso8601("9999-12-31T23:59:59Z");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("representable"), std::string::npos);
  EXPECT_FALSE(ParseIso8601("0001-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseIso8601("2200-01-01T00:00:00Z").ok());
  EXPECT_TRUE(ParseIso8601("1700-01-01T00:00:00Z").ok());
}

TEST(ParseHttpDateTest, Rfc1123) {
  // The weekday of the S3 documentation's example is wrong (2009-10-12 was a Monday); servers
  // are not trusted on it, so it is not checked.
  EXPECT_EQ(ParseHttpDate("Wed, 12 Oct 2009 17:50:00 GMT").value(), At(2009, 10, 12, 17h + 50min));
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT").value(), At(1970, 1, 1));
  EXPECT_EQ(ParseHttpDate("Thu, 1 Jan 1970 00:00:00 GMT").value(), At(1970, 1, 1));
  EXPECT_EQ(ParseHttpDate("Sat, 29 Feb 2020 23:59:59 UTC").value(), At(2020, 2, 29, 23h + 59min + 59s));
  EXPECT_EQ(ParseHttpDate("Sat, 29 Feb 2020 23:59:59 +0000").value(), At(2020, 2, 29, 23h + 59min + 59s));
}

TEST(ParseHttpDateTest, RejectsOtherForms) {
  for (const char* bad : {"", "Wed 12 Oct 2009 17:50:00 GMT", "Xyz, 12 Oct 2009 17:50:00 GMT",
                          "Wed, 12 Okt 2009 17:50:00 GMT", "Wed, 12 Oct 2009 17:50:00 PST",
                          "Wed, 12 Oct 2009 17:50:00", "Wed, 12 Oct 2009 17:50 GMT", "Wed, 31 Feb 2009 17:50:00 GMT",
                          "Wednesday, 12-Oct-09 17:50:00 GMT", "Wed Oct 12 17:50:00 2009",
                          "Wed, 12 Oct 2009 17:50:00 GMT "}) {
    Result<TimePoint> t = ParseHttpDate(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().kind(), ErrorKind::kUnexpectedResponse);
  }
}

TEST(FormatTimeTest, KnownValues) {
  EXPECT_EQ(FormatIso8601Basic(At(2013, 5, 24)), "20130524T000000Z");
  EXPECT_EQ(FormatIso8601Basic(At(2015, 8, 30, 12h + 36min + 59s + 999ms)), "20150830T123659Z");
  EXPECT_EQ(FormatIso8601(At(2009, 10, 12, 17h + 50min + 30s + 7ms)), "2009-10-12T17:50:30.007Z");
  EXPECT_EQ(FormatHttpDate(At(2009, 10, 12, 17h + 50min)), "Mon, 12 Oct 2009 17:50:00 GMT");
  EXPECT_EQ(FormatHttpDate(At(1970, 1, 1)), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(FormatHttpDate(At(1969, 12, 31, 23h + 59min + 59s + 500ms)), "Wed, 31 Dec 1969 23:59:59 GMT");
  EXPECT_EQ(FormatIso8601(At(1969, 12, 31, 23h + 59min + 59s + 500ms)), "1969-12-31T23:59:59.500Z");
}

TEST(FormatTimeTest, ParseInvertsFormat) {
  // Millisecond steps across 1965..2035 hit every weekday, month end and leap day.
  for (int64_t ms = -157'766'400'000; ms < 2'082'758'400'000; ms += 86'400'000LL * 13 + 3'600'007) {
    const TimePoint t{std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms))};
    ASSERT_EQ(ParseIso8601(FormatIso8601(t)).value(), t) << FormatIso8601(t);
    const TimePoint whole = std::chrono::floor<std::chrono::seconds>(t);
    ASSERT_EQ(ParseHttpDate(FormatHttpDate(t)).value(), whole) << FormatHttpDate(t);
    const std::string basic = FormatIso8601Basic(t);
    const std::string extended = basic.substr(0, 4) + "-" + basic.substr(4, 2) + "-" + basic.substr(6, 5) + ":" +
                                 basic.substr(11, 2) + ":" + basic.substr(13);
    ASSERT_EQ(ParseIso8601(extended).value(), whole) << basic;
  }
}

}  // namespace
}  // namespace s3core
