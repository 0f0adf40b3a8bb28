#include "s3core/client/s3_headers.h"

#include <gtest/gtest.h>

namespace s3core {
namespace {

std::string Find(const Headers& headers, const std::string& name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST(S3HeadersTest, Base64AndMd5) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Md5Base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

TEST(S3HeadersTest, SseModes) {
  Headers h;
  ServerSideEncryption sse;
  sse.mode = ServerSideEncryption::Mode::kS3;
  AddSseHeaders(sse, false, false, h);
  EXPECT_EQ(Find(h, "x-amz-server-side-encryption"), "AES256");

  h.clear();
  sse.mode = ServerSideEncryption::Mode::kKms;
  sse.kms_key_id = "arn:aws:kms:key/1";
  AddSseHeaders(sse, false, false, h);
  EXPECT_EQ(Find(h, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(Find(h, "x-amz-server-side-encryption-aws-kms-key-id"), "arn:aws:kms:key/1");

  h.clear();
  AddSseHeaders(sse, /*for_read=*/true, false, h);
  EXPECT_TRUE(h.empty());  // reading SSE-KMS objects needs no headers

  h.clear();
  sse.mode = ServerSideEncryption::Mode::kCustomerKey;
  sse.customer_key = std::string(32, '\x01');
  AddSseHeaders(sse, true, /*copy_source=*/true, h);
  EXPECT_EQ(Find(h, "x-amz-copy-source-server-side-encryption-customer-algorithm"), "AES256");
  EXPECT_EQ(Find(h, "x-amz-copy-source-server-side-encryption-customer-key-md5"), Md5Base64(sse.customer_key));
}

TEST(S3HeadersTest, WriteHeadersValidateMetadata) {
  WriteOptions options;
  options.metadata = {{"mode", "420"}};
  options.acl = "private";
  Headers h;
  ASSERT_TRUE(AddWriteHeaders(options, true, h).ok());
  EXPECT_EQ(Find(h, "x-amz-meta-mode"), "420");
  EXPECT_EQ(Find(h, "x-amz-acl"), "private");

  Headers without;
  ASSERT_TRUE(AddWriteHeaders(options, false, without).ok());
  EXPECT_EQ(Find(without, "x-amz-meta-mode"), "<absent>");

  options.metadata = {{"bad name", "x"}};
  EXPECT_EQ(AddWriteHeaders(options, true, h).kind(), ErrorKind::kInvalidArgument);
  options.metadata = {{"ok", "line\r\nInjected: yes"}};
  EXPECT_EQ(AddWriteHeaders(options, true, h).kind(), ErrorKind::kInvalidArgument);
}

TEST(S3HeadersTest, ObjectInfoFromHeaders) {
  HttpResponse r;
  r.status = 206;
  r.headers = {{"etag", "\"d41d8cd98f00b204e9800998ecf8427e\""},
               {"content-length", "10"},
               {"content-range", "bytes 0-9/12345"},
               {"last-modified", "Wed, 12 Oct 2009 17:50:00 GMT"},
               {"x-amz-meta-mode", "33188"},
               {"x-amz-storage-class", "STANDARD_IA"}};
  auto info = ObjectInfoFromHeaders(r, "k");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->size, 12345u);
  EXPECT_EQ(info->etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(info->metadata.at("mode"), "33188");
  EXPECT_EQ(info->storage_class, "STANDARD_IA");
  EXPECT_EQ(std::chrono::system_clock::to_time_t(info->last_modified), 1255369800);

  r.headers = {{"content-length", "-5"}};
  EXPECT_EQ(ObjectInfoFromHeaders(r, "k").status().kind(), ErrorKind::kUnexpectedResponse);
  r.headers = {{"content-range", "bytes 0-9"}};
  EXPECT_FALSE(ObjectInfoFromHeaders(r, "k").ok());
}

TEST(S3HeadersTest, RangeValues) {
  EXPECT_EQ(RangeHeaderValue({0, 10}), "bytes=0-9");
  EXPECT_EQ(RangeHeaderValue({5, std::nullopt}), "bytes=5-");
  EXPECT_EQ(StripQuotes("\"abc\""), "abc");
  EXPECT_EQ(StripQuotes("abc"), "abc");
}

}  // namespace
}  // namespace s3core
