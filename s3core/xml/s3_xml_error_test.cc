// Error document tests: <Error> bodies as AWS and Ceph RGW 16 write them, and the late
// errors S3 sends inside an HTTP 200 answer.
#include "s3core/xml/s3_xml.h"

#include <gtest/gtest.h>

#include "s3core/xml/xml_test_util.h"

namespace s3core {
namespace {

using xml_test::ExpectUnexpected;

// ---- <Error> ----

TEST(ParseErrorTest, AwsNoSuchKey) {
  Result<S3ErrorBody> e = ParseError(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The resource you requested does not exist</Message>
  <Resource>/mybucket/myfoto.jpg</Resource>
  <RequestId>4442587FB7D0A2F9</RequestId>
  <HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>
</Error>)");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->code, "NoSuchKey");
  EXPECT_EQ(e->message, "The resource you requested does not exist");
  EXPECT_EQ(e->resource, "/mybucket/myfoto.jpg");
  EXPECT_EQ(e->request_id, "4442587FB7D0A2F9");
  EXPECT_EQ(e->host_id, "Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==");
}

TEST(ParseErrorTest, RgwEmptyMessageAndHostId) {
  Result<S3ErrorBody> e = ParseError(
      R"(<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message></Message>)"
      R"(<BucketName>missing</BucketName><RequestId>tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1234-default</RequestId>)"
      R"(<HostId>1234-default-default</HostId></Error>)");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->code, "NoSuchBucket");
  EXPECT_EQ(e->message, "");
  EXPECT_EQ(e->request_id, "tx00000a1b2c3d4e5f6a7b8-0065a1b2c3-1234-default");
  EXPECT_EQ(e->host_id, "1234-default-default");
}

TEST(ParseErrorTest, MissingRequestIdAndMessageAreTolerated) {
  Result<S3ErrorBody> e = ParseError("<Error><Code>AccessDenied</Code></Error>");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->code, "AccessDenied");
  EXPECT_TRUE(e->message.empty());
  EXPECT_TRUE(e->request_id.empty());
}

TEST(ParseErrorTest, ByteOrderMarkAndCrLfAreAccepted) {
  Result<S3ErrorBody> e = ParseError("\xef\xbb\xbf<?xml version=\"1.0\"?>\r\n<Error>\r\n<Code>SlowDown</Code>\r\n</Error>\r\n");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->code, "SlowDown");
}

TEST(ParseErrorTest, NonXmlAndWrongDocumentsAreUnexpectedResponse) {
  ExpectUnexpected(ParseError(""), "empty body");
  ExpectUnexpected(ParseError("Internal Server Error"), "not well-formed");
  ExpectUnexpected(ParseError("<html><body><h1>502 Bad Gateway</h1></body></html>"), "not <Error>");
  ExpectUnexpected(ParseError("<Error><Message>no code</Message></Error>"), "no <Code>");
  ExpectUnexpected(ParseError("<Error><Code> </Code></Error>"), "empty <Code>");
  ExpectUnexpected(ParseError("<Error><Code>SlowDown</Code>"), "not well-formed");
  ExpectUnexpected(ParseError(std::string("\0\xff\xfe<Error>", 8)), "");
}

TEST(ErrorResponseStatusTest, ParsedBodyClassifiesByCode) {
  Status s = ErrorResponseStatus(
      404, "<Error><Code>NoSuchKey</Code><Message></Message><RequestId>tx1</RequestId></Error>", "tx-header");
  EXPECT_EQ(s.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(s.s3_code(), "NoSuchKey");
  EXPECT_EQ(s.http_status(), 404);
  EXPECT_EQ(s.request_id(), "tx1");

  s = ErrorResponseStatus(503, "<Error><Code>SlowDown</Code><Message>Please reduce</Message></Error>", "tx2");
  EXPECT_EQ(s.kind(), ErrorKind::kThrottled);
  EXPECT_EQ(s.request_id(), "tx2");  // the header fills in for the missing <RequestId>
  EXPECT_EQ(s.message(), "Please reduce");
}

TEST(ErrorResponseStatusTest, NoBodyOrHtmlFallsBackToHttpStatus) {
  Status s = ErrorResponseStatus(404, "", "tx3");  // HEAD
  EXPECT_EQ(s.kind(), ErrorKind::kNotFound);
  EXPECT_EQ(s.request_id(), "tx3");
  EXPECT_TRUE(s.s3_code().empty());

  s = ErrorResponseStatus(502, "<html><body>Bad Gateway\n</body></html>");
  EXPECT_EQ(s.kind(), ErrorKind::kServerError);
  EXPECT_NE(s.message().find("non-S3 error body: <html><body>Bad Gateway"), std::string::npos) << s.message();
}

// ---- 200 with an <Error> body ----

constexpr const char* kInternalErrorIn200 =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message>)"
    R"(<RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>)";

TEST(ErrorIn200Test, IsErrorDocument) {
  EXPECT_TRUE(IsErrorDocument(kInternalErrorIn200));
  EXPECT_TRUE(IsErrorDocument("  <s3:Error xmlns:s3='x'><s3:Code>X</s3:Code></s3:Error>"));
  EXPECT_FALSE(IsErrorDocument("<CompleteMultipartUploadResult/>"));
  EXPECT_FALSE(IsErrorDocument("<Error>"));
  EXPECT_FALSE(IsErrorDocument(""));
}

TEST(ErrorIn200Test, CompleteMultipartUploadReturnsClassifiedStatus) {
  Result<std::string> r = ParseCompleteMultipartUpload(kInternalErrorIn200);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kServerError);
  EXPECT_TRUE(r.status().IsRetryable());
  EXPECT_EQ(r.status().s3_code(), "InternalError");
  EXPECT_EQ(r.status().request_id(), "656c76696e6727732072657175657374");
  EXPECT_NE(r.status().message().find("HTTP 200"), std::string::npos);
}

TEST(ErrorIn200Test, KnownCodesKeepTheirKindUnknownOnesAreServerErrors) {
  Result<CopyResult> copy = ParseCopyObjectResult("<Error><Code>SlowDown</Code></Error>");
  EXPECT_EQ(copy.status().kind(), ErrorKind::kThrottled);
  Result<std::string> done = ParseCompleteMultipartUpload("<Error><Code>NoSuchUpload</Code></Error>");
  EXPECT_EQ(done.status().kind(), ErrorKind::kNotFound);
  done = ParseCompleteMultipartUpload("<Error><Code>SomethingNew</Code></Error>");
  EXPECT_EQ(done.status().kind(), ErrorKind::kServerError);
  // An <Error> without a code is still a broken response, not a success.
  ExpectUnexpected(ParseCompleteMultipartUpload("<Error><Message>x</Message></Error>"), "no <Code>");
}

}  // namespace
}  // namespace s3core
