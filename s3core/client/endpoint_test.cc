#include "s3core/client/endpoint.h"

#include <gtest/gtest.h>

namespace s3core {
namespace {

TEST(EndpointTest, ParsesFullUrl) {
  auto ep = Endpoint::Parse("HTTP://127.0.0.1:7480");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->scheme, "http");
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 7480);
  EXPECT_EQ(ep->Authority(), "127.0.0.1:7480");
  EXPECT_EQ(ep->ToString(), "http://127.0.0.1:7480");
}

TEST(EndpointTest, DefaultsToHttpsAndOmitsDefaultPort) {
  auto ep = Endpoint::Parse("Minio.Example.com:443/");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->scheme, "https");
  EXPECT_EQ(ep->host, "minio.example.com");
  EXPECT_EQ(ep->Authority(), "minio.example.com");
  EXPECT_EQ(ep->base_path, "");
}

TEST(EndpointTest, KeepsBasePathAndIpv6) {
  auto ep = Endpoint::Parse("http://[::1]:9000/s3/");
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_EQ(ep->host, "[::1]");
  EXPECT_EQ(ep->port, 9000);
  EXPECT_EQ(ep->base_path, "/s3");
}

TEST(EndpointTest, RefusesMalformedUrls) {
  for (const char* bad : {"", "ftp://host", "http://", "http://host:0", "http://host:70000", "http://host:",
                          "http://host:12ab", "http://user:pw@host", "http://host/?a=b", "http://ho st",
                          "http://[::1", "http://host#frag", "http://h\xc3\xa9st"}) {
    auto ep = Endpoint::Parse(bad);
    EXPECT_FALSE(ep.ok()) << bad;
    if (!ep.ok()) {
      EXPECT_EQ(ep.status().kind(), ErrorKind::kInvalidArgument) << bad;
      EXPECT_NE(ep.status().message().find("invalid endpoint URL"), std::string::npos);
    }
  }
}

TEST(EndpointTest, AwsDetection) {
  EXPECT_TRUE(Endpoint::ForAwsRegion("eu-west-1").IsAws());
  EXPECT_EQ(Endpoint::ForAwsRegion("eu-west-1").ToString(), "https://s3.eu-west-1.amazonaws.com");
  EXPECT_FALSE(Endpoint::Parse("http://127.0.0.1:7480")->IsAws());
  EXPECT_FALSE(Endpoint::Parse("https://amazonaws.com.evil.org")->IsAws());
}

TEST(BucketNameTest, AcceptsValidNames) {
  for (const std::string& ok : {std::string("abc"), std::string("my-bucket.v2"), std::string("a1b"),
                                std::string("0bucket9"), std::string(63, 'a')}) {
    EXPECT_TRUE(ValidateBucketName(ok).ok()) << ok;
  }
}

TEST(BucketNameTest, RefusesInvalidNamesWithReason) {
  EXPECT_NE(ValidateBucketName("ab").message().find("3 to 63"), std::string::npos);
  EXPECT_NE(ValidateBucketName("My-Bucket").message().find("lower-case"), std::string::npos);
  EXPECT_NE(ValidateBucketName("-abc").message().find("start and end"), std::string::npos);
  EXPECT_NE(ValidateBucketName("a..b").message().find("adjacent"), std::string::npos);
  EXPECT_NE(ValidateBucketName("192.168.1.1").message().find("IP address"), std::string::npos);
  EXPECT_FALSE(ValidateBucketName("xn--abc").ok());
  EXPECT_FALSE(ValidateBucketName("abc-s3alias").ok());
  EXPECT_FALSE(ValidateBucketName("a_b").ok());
  EXPECT_FALSE(ValidateBucketName("../etc").ok());
  EXPECT_FALSE(ValidateBucketName(std::string(64, 'a')).ok());
}

TEST(ObjectKeyTest, Bounds) {
  EXPECT_FALSE(ValidateObjectKey("").ok());
  EXPECT_TRUE(ValidateObjectKey(std::string(1024, 'k')).ok());
  EXPECT_FALSE(ValidateObjectKey(std::string(1025, 'k')).ok());
}

TEST(ResolveTargetTest, PathStyle) {
  auto ep = *Endpoint::Parse("http://127.0.0.1:7480");
  auto t = ResolveTarget(ep, AddressingStyle::kAuto, "bucket", "dir/a b+c.txt");
  EXPECT_EQ(t.host, "127.0.0.1:7480");
  EXPECT_EQ(t.url_prefix, "http://127.0.0.1:7480");
  EXPECT_EQ(t.encoded_path, "/bucket/dir/a%20b%2Bc.txt");
}

TEST(ResolveTargetTest, VirtualHostStyleOnAws) {
  auto ep = Endpoint::ForAwsRegion("us-east-1");
  auto t = ResolveTarget(ep, AddressingStyle::kAuto, "bucket", "k");
  EXPECT_EQ(t.host, "bucket.s3.us-east-1.amazonaws.com");
  EXPECT_EQ(t.encoded_path, "/k");
  // Dotted names stay path-style on AWS (TLS wildcard certificates do not cover them).
  EXPECT_EQ(ResolveTarget(ep, AddressingStyle::kAuto, "my.bucket", "k").encoded_path, "/my.bucket/k");
  // Forced virtual-host style on any endpoint.
  auto local = *Endpoint::Parse("http://localhost:7480");
  EXPECT_EQ(ResolveTarget(local, AddressingStyle::kVirtualHost, "b1c", "").host, "b1c.localhost:7480");
}

TEST(ResolveTargetTest, NoBucketAndBasePath) {
  auto ep = *Endpoint::Parse("http://host/s3");
  EXPECT_EQ(ResolveTarget(ep, AddressingStyle::kPath, "", "").encoded_path, "/s3/");
  EXPECT_EQ(ResolveTarget(ep, AddressingStyle::kPath, "b", "").encoded_path, "/s3/b/");
}

TEST(EncodeQueryTest, ValuelessAndEncoded) {
  EXPECT_EQ(EncodeQuery({}), "");
  EXPECT_EQ(EncodeQuery({{"uploads", ""}}), "?uploads");
  EXPECT_EQ(EncodeQuery({{"prefix", "a b/c"}, {"max-keys", "10"}}), "?prefix=a%20b%2Fc&max-keys=10");
}

}  // namespace
}  // namespace s3core
