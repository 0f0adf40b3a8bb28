#include "s3core/http/response_headers.h"

#include <gtest/gtest.h>

namespace s3core::http_internal {
namespace {

TEST(ResponseHeaderCollectorTest, ParsesStatusAndLowerCasesTrimmedHeaders) {
  ResponseHeaderCollector c;
  c.AddLine("HTTP/1.1 206 Partial Content\r\n");
  c.AddLine("Content-Range:  bytes 0-9/100 \r\n");
  c.AddLine("X-Amz-Request-Id:\ttx123\t\r\n");
  c.AddLine("\r\n");
  EXPECT_EQ(c.status(), 206);
  ASSERT_EQ(c.headers().size(), 2u);
  EXPECT_EQ(c.headers()[0], (std::pair<std::string, std::string>("content-range", "bytes 0-9/100")));
  EXPECT_EQ(c.headers()[1], (std::pair<std::string, std::string>("x-amz-request-id", "tx123")));
}

TEST(ResponseHeaderCollectorTest, InterimResponseIsForgotten) {
  ResponseHeaderCollector c;
  c.AddLine("HTTP/1.1 100 Continue\r\n");
  c.AddLine("X-Interim: yes\r\n");
  c.AddLine("\r\n");
  c.AddLine("HTTP/1.1 200 OK\r\n");
  c.AddLine("ETag: \"abc\"\r\n");
  EXPECT_EQ(c.status(), 200);
  ASSERT_EQ(c.headers().size(), 1u);
  EXPECT_EQ(c.headers()[0].first, "etag");
  EXPECT_EQ(c.headers()[0].second, "\"abc\"");
}

TEST(ResponseHeaderCollectorTest, FoldedLinesJoinAndJunkIsIgnored) {
  ResponseHeaderCollector c;
  c.AddLine("HTTP/1.0 404 Not Found");
  c.AddLine("X-Long: first");
  c.AddLine("   second  ");
  c.AddLine("no colon here");
  c.AddLine(": no name");
  c.AddLine("Empty:");
  EXPECT_EQ(c.status(), 404);
  ASSERT_EQ(c.headers().size(), 2u);
  EXPECT_EQ(c.headers()[0].second, "first second");
  EXPECT_EQ(c.headers()[1].first, "empty");
  EXPECT_EQ(c.headers()[1].second, "");
}

TEST(ResponseHeaderCollectorTest, MalformedStatusLineGivesZero) {
  ResponseHeaderCollector c;
  c.AddLine("HTTP/1.1 2x0 Odd\r\n");
  EXPECT_EQ(c.status(), 0);
}

TEST(HttpResponseTest, HeaderLookupIsByLowerCaseName) {
  HttpResponse r;
  r.headers = {{"etag", "\"1\""}, {"x-amz-meta-a", "x"}, {"x-amz-meta-a", "y"}};
  EXPECT_EQ(r.Header("etag"), "\"1\"");
  EXPECT_EQ(r.Header("x-amz-meta-a"), "x");  // the first of repeated headers
  EXPECT_EQ(r.Header("missing"), "");
  EXPECT_TRUE(r.HasHeader("x-amz-meta-a"));
  EXPECT_FALSE(r.HasHeader("ETag"));
}

}  // namespace
}  // namespace s3core::http_internal
