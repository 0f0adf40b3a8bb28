#include "s3core/credentials/text_util.h"

#include <gtest/gtest.h>

namespace s3core::credentials_internal {
namespace {

using std::chrono::system_clock;

int64_t Seconds(std::optional<system_clock::time_point> t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

TEST(ParseExpirationTest, AcceptsTheFormsAwsSends) {
  // 2019-11-09T13:34:41Z = 1573306481 (date -u -d ... +%s)
  auto t = ParseExpiration("2019-11-09T13:34:41Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(Seconds(t), 1573306481);
  EXPECT_EQ(Seconds(ParseExpiration("2019-11-09T13:34:41.123Z")), 1573306481);
  EXPECT_EQ(Seconds(ParseExpiration("2019-11-09T15:34:41+02:00")), 1573306481);
  EXPECT_EQ(Seconds(ParseExpiration("2019-11-09T08:34:41-0500")), 1573306481);
  EXPECT_EQ(Seconds(ParseExpiration(" 2019-11-09T13:34:41Z\n")), 1573306481);
  EXPECT_EQ(Seconds(ParseExpiration("1970-01-01T00:00:00Z")), 0);
  EXPECT_EQ(Seconds(ParseExpiration("2024-02-29T00:00:00Z")), 1709164800);
  auto fraction = ParseExpiration("2019-11-09T13:34:41.5Z");
  ASSERT_TRUE(fraction.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(fraction->time_since_epoch()).count() % 1000, 500);
}

TEST(ParseExpirationTest, RejectsMalformedTimes) {
  for (const char* bad : {"", "2019-11-09", "2019-11-09T13:34:41", "2019-11-09T13:34Z", "2019-13-09T13:34:41Z",
                          "2023-02-29T00:00:00Z", "2019-11-09T24:00:00Z", "2019-11-09T13:34:41.Z",
                          "2019-11-09T13:34:41Zjunk", "1573306481", "abcd-ef-ghT13:34:41Z"}) {
    EXPECT_FALSE(ParseExpiration(bad).has_value()) << bad;
  }
}

TEST(TextUtilTest, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(PercentEncode("arn:aws:iam::123:role/x+y=z"), "arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fx%2By%3Dz");
  EXPECT_EQ(PercentEncode(" \xC3\xA9"), "%20%C3%A9");
}

TEST(TextUtilTest, ScrubRemovesEveryOccurrence) {
  EXPECT_EQ(Scrub("token abc and abc again", "abc"), "token <redacted> and <redacted> again");
  EXPECT_EQ(Scrub("nothing here", ""), "nothing here");
  EXPECT_EQ(Scrub("aaaa", "aa"), "<redacted><redacted>");
}

TEST(TextUtilTest, TrimAndCase) {
  EXPECT_EQ(Trim(" \t x y \r\n"), "x y");
  EXPECT_EQ(Trim(" \r\n"), "");
  EXPECT_EQ(ToLower("AbC"), "abc");
  EXPECT_TRUE(EqualsIgnoreCase("TRUE", "true"));
  EXPECT_FALSE(EqualsIgnoreCase("true", "tru"));
}

}  // namespace
}  // namespace s3core::credentials_internal
