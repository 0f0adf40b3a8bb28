#include "s3core/xml/time_format.h"

#include <array>
#include <chrono>

namespace s3core {
namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads fixed-width fields left to right; every method returns false instead of going past the end.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool Digits(int count, int64_t* out) {
    int64_t value = 0;
    for (int i = 0; i < count; ++i) {
      if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') return false;
      value = value * 10 + (text_[pos_++] - '0');
    }
    *out = value;
    return true;
  }
  bool Literal(std::string_view expected) {
    if (text_.substr(pos_, expected.size()) != expected) return false;
    pos_ += expected.size();
    return true;
  }
  bool Peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool PeekDigit() const { return pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9'; }
  bool AtEnd() const { return pos_ == text_.size(); }
  std::string_view Rest() const { return text_.substr(pos_); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

struct DateTimeFields {
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;           // fraction of the second
  int64_t offset_seconds = 0;  // local time minus UTC
};

Status Invalid(std::string_view kind, std::string_view text, std::string_view why) {
  return Status::UnexpectedResponse("invalid " + std::string(kind) + " '" + std::string(text.substr(0, 64)) +
                                    "': " + std::string(why));
}

// Checks ranges and converts to a TimePoint; `kind` and `text` only feed the error message.
Result<TimePoint> ToTimePoint(const DateTimeFields& f, std::string_view kind, std::string_view text) {
  if (f.month < 1 || f.month > 12) return Invalid(kind, text, "month out of range");
  if (f.day < 1 || f.day > DaysInMonth(f.year, static_cast<unsigned>(f.month))) {
    return Invalid(kind, text, "day out of range");
  }
  // 60 admits a leap second; like timegm() it lands on the next minute.
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return Invalid(kind, text, "time of day out of range");
  const int64_t days = DaysFromCivil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
  const int64_t seconds = days * kSecondsPerDay + f.hour * 3600 + f.minute * 60 + f.second - f.offset_seconds;
  // Strict bounds leave room for the fraction, so the nanosecond sum below cannot overflow.
  constexpr int64_t kLimit = std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count();
  if (seconds >= kLimit || seconds <= -kLimit) return Invalid(kind, text, "year outside the representable range");
  const auto since_epoch = std::chrono::seconds(seconds) + std::chrono::nanoseconds(f.nanos);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(since_epoch));
}

void AppendPadded(std::string* out, int64_t value, int width) {
  std::array<char, 24> digits{};
  int n = 0;
  const bool negative = value < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    digits[static_cast<size_t>(n++)] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) out->push_back('-');
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(digits[static_cast<size_t>(--n)]);
}

struct BrokenDown {
  CivilDate date;
  int64_t hour = 0, minute = 0, second = 0, millis = 0;
  int64_t days = 0;  // since the epoch, for the weekday
};

BrokenDown BreakDown(TimePoint time) {
  const auto since_epoch = time.time_since_epoch();
  const auto whole_seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  BrokenDown b;
  b.millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - whole_seconds).count();
  const int64_t seconds = whole_seconds.count();
  // Floor division, so that times before 1970 fall on the right day.
  b.days = seconds / kSecondsPerDay - (seconds % kSecondsPerDay < 0 ? 1 : 0);
  const int64_t second_of_day = seconds - b.days * kSecondsPerDay;
  b.date = CivilFromDays(b.days);
  b.hour = second_of_day / 3600;
  b.minute = second_of_day / 60 % 60;
  b.second = second_of_day % 60;
  return b;
}

}  // namespace

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  // Shift the year to start in March, so the leap day is the last day of the "year".
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);                  // [0, 399]
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

CivilDate CivilFromDays(int64_t days_since_epoch) {
  const int64_t z = days_since_epoch + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(z - era * 146097);  // [0, 146096]
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;  // month counted from March, [0, 11]
  CivilDate date;
  date.day = day_of_year - (153 * mp + 2) / 5 + 1;
  date.month = mp < 10 ? mp + 3 : mp - 9;
  date.year = static_cast<int64_t>(year_of_era) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

Result<TimePoint> ParseIso8601(std::string_view text) {
  constexpr std::string_view kKind = "ISO 8601 time";
  Cursor c(text);
  DateTimeFields f;
  if (!c.Digits(4, &f.year) || !c.Literal("-") || !c.Digits(2, &f.month) || !c.Literal("-") ||
      !c.Digits(2, &f.day) || !c.Literal("T") || !c.Digits(2, &f.hour) || !c.Literal(":") ||
      !c.Digits(2, &f.minute) || !c.Literal(":") || !c.Digits(2, &f.second)) {
    return Invalid(kKind, text, "expected YYYY-MM-DDThh:mm:ss");
  }
  if (c.Literal(".")) {
    if (!c.PeekDigit()) return Invalid(kKind, text, "empty fraction");
    int64_t scale = 100'000'000;
    while (c.PeekDigit()) {
      int64_t digit = 0;
      c.Digits(1, &digit);
      f.nanos += digit * scale;
      scale /= 10;  // past nine digits the scale is 0: finer digits are dropped
    }
  }
  if (c.Literal("Z")) {
    f.offset_seconds = 0;
  } else if (c.Peek('+') || c.Peek('-')) {
    int64_t sign = 1;
    if (c.Literal("-")) {
      sign = -1;
    } else {
      c.Literal("+");
    }
    int64_t hours = 0, minutes = 0;
    if (!c.Digits(2, &hours)) return Invalid(kKind, text, "bad zone offset");
    c.Literal(":");  // both +hh:mm and +hhmm occur
    if (!c.Digits(2, &minutes) || hours > 23 || minutes > 59) return Invalid(kKind, text, "bad zone offset");
    f.offset_seconds = sign * (hours * 3600 + minutes * 60);
  } else {
    return Invalid(kKind, text, "missing time zone (Z or +hh:mm)");
  }
  if (!c.AtEnd()) return Invalid(kKind, text, "trailing characters");
  return ToTimePoint(f, kKind, text);
}

Result<TimePoint> ParseHttpDate(std::string_view text) {
  constexpr std::string_view kKind = "HTTP date";
  Cursor c(text);
  bool weekday_ok = false;
  for (std::string_view name : kWeekdayNames) weekday_ok = weekday_ok || c.Literal(name);
  if (!weekday_ok || !c.Literal(", ")) return Invalid(kKind, text, "expected a weekday like 'Wed, '");
  DateTimeFields f;
  // RFC 1123 says two digits; some servers write "Wed, 1 Oct ...".
  if (!c.Digits(1, &f.day)) return Invalid(kKind, text, "bad day");
  if (int64_t second_digit = 0; c.PeekDigit() && c.Digits(1, &second_digit)) f.day = f.day * 10 + second_digit;
  if (!c.Literal(" ")) return Invalid(kKind, text, "bad day");
  for (size_t i = 0; i < kMonthNames.size() && f.month == 0; ++i) {
    if (c.Literal(kMonthNames[i])) f.month = static_cast<int64_t>(i) + 1;
  }
  if (f.month == 0) return Invalid(kKind, text, "bad month name");
  if (!c.Literal(" ") || !c.Digits(4, &f.year) || !c.Literal(" ") || !c.Digits(2, &f.hour) || !c.Literal(":") ||
      !c.Digits(2, &f.minute) || !c.Literal(":") || !c.Digits(2, &f.second) || !c.Literal(" ")) {
    return Invalid(kKind, text, "expected 'DD Mon YYYY hh:mm:ss'");
  }
  if (!(c.Literal("GMT") || c.Literal("UTC") || c.Literal("+0000")) || !c.AtEnd()) {
    return Invalid(kKind, text, "zone must be GMT");
  }
  return ToTimePoint(f, kKind, text);
}

std::string FormatIso8601(TimePoint time) {
  const BrokenDown b = BreakDown(time);
  std::string out;
  out.reserve(24);
  AppendPadded(&out, b.date.year, 4);
  out += '-';
  AppendPadded(&out, b.date.month, 2);
  out += '-';
  AppendPadded(&out, b.date.day, 2);
  out += 'T';
  AppendPadded(&out, b.hour, 2);
  out += ':';
  AppendPadded(&out, b.minute, 2);
  out += ':';
  AppendPadded(&out, b.second, 2);
  out += '.';
  AppendPadded(&out, b.millis, 3);
  out += 'Z';
  return out;
}

std::string FormatIso8601Basic(TimePoint time) {
  const BrokenDown b = BreakDown(time);
  std::string out;
  out.reserve(16);
  AppendPadded(&out, b.date.year, 4);
  AppendPadded(&out, b.date.month, 2);
  AppendPadded(&out, b.date.day, 2);
  out += 'T';
  AppendPadded(&out, b.hour, 2);
  AppendPadded(&out, b.minute, 2);
  AppendPadded(&out, b.second, 2);
  out += 'Z';
  return out;
}

std::string FormatHttpDate(TimePoint time) {
  const BrokenDown b = BreakDown(time);
  // 1970-01-01 was a Thursday (index 4); the modulo is made non-negative for earlier dates.
  const int64_t weekday = ((b.days % 7) + 7 + 4) % 7;
  std::string out(kWeekdayNames[static_cast<size_t>(weekday)]);
  out += ", ";
  AppendPadded(&out, b.date.day, 2);
  out += ' ';
  out += kMonthNames[b.date.month - 1];
  out += ' ';
  AppendPadded(&out, b.date.year, 4);
  out += ' ';
  AppendPadded(&out, b.hour, 2);
  out += ':';
  AppendPadded(&out, b.minute, 2);
  out += ':';
  AppendPadded(&out, b.second, 2);
  out += " GMT";
  return out;
}

}  // namespace s3core
