// Time stamps as S3 writes them, parsed and formatted without the C library.
//
// timegm() is a GNU extension, mktime() and strptime() read the process locale and time zone,
// and both work in time_t: so this file does the calendar arithmetic itself (days from a
// proleptic Gregorian civil date, after H. Hinnant's public-domain algorithm). Every function is
// pure and thread-safe.
//
// TimePoint is std::chrono::system_clock::time_point, which libstdc++ keeps in int64
// nanoseconds: years 1678..2261 fit. Dates outside that range are rejected, not wrapped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "s3core/model.h"
#include "s3core/status.h"

namespace s3core {

// Days since 1970-01-01 of a proleptic Gregorian date (negative before 1970). No validation.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};
CivilDate CivilFromDays(int64_t days_since_epoch);

// ISO 8601 / RFC 3339 date-time as S3 XML carries it:
//   2009-10-12T17:50:30.000Z      (LastModified, Initiated; any number of fraction digits)
//   2019-12-11T23:32:47+00:00     (CreationDate in some ListBuckets answers; also -05:00, +0530)
// A zone (Z or an offset) is required: a time without one is ambiguous. Fractions finer than a
// nanosecond are truncated. Errors are kUnexpectedResponse, since every input comes from a server.
Result<TimePoint> ParseIso8601(std::string_view text);

// RFC 1123 HTTP date, as in the Last-Modified and Date headers: "Wed, 12 Oct 2009 17:50:00 GMT".
// The weekday name must be a valid one but is not checked against the date; "UTC" and "+0000"
// are accepted in place of "GMT". The obsolete RFC 850 and asctime forms are not.
Result<TimePoint> ParseHttpDate(std::string_view text);

// "2009-10-12T17:50:30.000Z": extended ISO 8601 with milliseconds (truncated, not rounded).
std::string FormatIso8601(TimePoint time);
// "20130524T000000Z": the basic form SigV4 uses in X-Amz-Date (whole seconds, truncated).
std::string FormatIso8601Basic(TimePoint time);
// "Wed, 12 Oct 2009 17:50:00 GMT": RFC 1123, for If-Modified-Since and the like.
std::string FormatHttpDate(TimePoint time);

}  // namespace s3core
