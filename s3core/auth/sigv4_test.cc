// SigV4 as S3 uses it: the examples of the Amazon S3 API Reference ("Signature Calculations for
// the Authorization Header: Transferring Payload in a Single Chunk" and "Authenticating Requests:
// Using Query Parameters"), UriEncode, and the signer's own rules (anonymous requests, session
// tokens, re-signing, unsigned headers, presign limits).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "s3core/auth/sigv4.h"

namespace s3core {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using QueryParams = std::vector<std::pair<std::string, std::string>>;

constexpr char kHost[] = "examplebucket.s3.amazonaws.com";

Credentials DocCredentials() {
  Credentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  c.source = "test";
  return c;
}

SigningParams DocParams(std::string payload_hash) {
  SigningParams p;
  p.region = "us-east-1";
  p.service = "s3";
  p.now = std::chrono::sys_days{std::chrono::year{2013} / 5 / 24};
  p.payload_hash = std::move(payload_hash);
  return p;
}

// Every value of header `name` (exact, lower-case as the signer writes them).
std::vector<std::string> HeaderValues(const SignableRequest& r, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [n, v] : r.headers) {
    if (n == name) values.push_back(v);
  }
  return values;
}

std::string OnlyHeader(const SignableRequest& r, const std::string& name) {
  auto values = HeaderValues(r, name);
  EXPECT_EQ(values.size(), 1u) << name;
  return values.empty() ? "" : values.front();
}

std::string DocAuthorization(const std::string& signed_headers, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=" +
         signed_headers + ", Signature=" + signature;
}

std::string DocStringToSign(const std::string& digest) {
  return "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n" + digest;
}

// Signs, then recomputes the canonical request from the signed headers (minus Authorization) so
// the documented canonical request and string-to-sign can be compared as well.
struct Signed {
  SignableRequest request;
  std::string creq;
};

Signed SignDocRequest(SignableRequest request, const SigningParams& params) {
  SignRequest(request, DocCredentials(), params);
  SignableRequest without_auth = request;
  std::erase_if(without_auth.headers, [](const auto& h) { return h.first == "authorization"; });
  return {request, CanonicalRequest(without_auth, SignedHeaderNames(without_auth), params.payload_hash)};
}

TEST(SigV4S3Examples, GetObjectWithRange) {
  const auto params = DocParams(std::string(kEmptyPayloadSha256));
  const Signed s = SignDocRequest({"GET", kHost, "/test.txt", {}, {{"Range", "bytes=0-9"}}}, params);
  EXPECT_EQ(s.creq,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(s.creq, params),
            DocStringToSign("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"));
  EXPECT_EQ(OnlyHeader(s.request, "authorization"),
            DocAuthorization("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  EXPECT_EQ(OnlyHeader(s.request, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(OnlyHeader(s.request, "x-amz-content-sha256"), kEmptyPayloadSha256);
}

TEST(SigV4S3Examples, PutObjectWithSignedPayload) {
  const std::string payload_hash = Sha256Hex("Welcome to Amazon S3.");
  ASSERT_EQ(payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const auto params = DocParams(payload_hash);
  // The key "test$file.text" arrives encoded once; S3 must not see it encoded twice.
  const Signed s = SignDocRequest({"PUT", kHost, "/test%24file.text", {},
                                   {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                    {"x-amz-storage-class", "REDUCED_REDUNDANCY"}}},
                                  params);
  EXPECT_EQ(s.creq,
            "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
            "x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(StringToSign(s.creq, params),
            DocStringToSign("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"));
  EXPECT_EQ(OnlyHeader(s.request, "authorization"),
            DocAuthorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                             "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"));
  EXPECT_EQ(OnlyHeader(s.request, "x-amz-content-sha256"), payload_hash);
}

TEST(SigV4S3Examples, GetBucketLifecycle) {
  const auto params = DocParams(std::string(kEmptyPayloadSha256));
  const Signed s = SignDocRequest({"GET", kHost, "/", {{"lifecycle", ""}}, {}}, params);
  EXPECT_EQ(s.creq,
            "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(s.creq, params),
            DocStringToSign("9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"));
  EXPECT_EQ(OnlyHeader(s.request, "authorization"),
            DocAuthorization("host;x-amz-content-sha256;x-amz-date",
                             "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"));
}

TEST(SigV4S3Examples, ListObjectsQueryIsSortedWhateverTheOrderGiven) {
  const auto params = DocParams(std::string(kEmptyPayloadSha256));
  const Signed s = SignDocRequest({"GET", kHost, "/", {{"prefix", "J"}, {"max-keys", "2"}}, {}}, params);
  EXPECT_EQ(s.creq,
            "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StringToSign(s.creq, params),
            DocStringToSign("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"));
  EXPECT_EQ(OnlyHeader(s.request, "authorization"),
            DocAuthorization("host;x-amz-content-sha256;x-amz-date",
                             "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
}

TEST(SigV4S3Examples, PresignedGetObject) {
  const SignableRequest request{"GET", kHost, "/test.txt", {}, {}};
  const QueryParams query = PresignQuery(request, DocCredentials(), DocParams("ignored for presigning"), 86400s);
  EXPECT_THAT(query, ElementsAre(Pair("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                                 Pair("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"),
                                 Pair("X-Amz-Date", "20130524T000000Z"), Pair("X-Amz-Expires", "86400"),
                                 Pair("X-Amz-SignedHeaders", "host"),
                                 Pair("X-Amz-Signature",
                                      "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")));

  // The documented canonical request: auth parameters in the query, UNSIGNED-PAYLOAD last.
  SignableRequest canonical = request;
  canonical.query.assign(query.begin(), query.end() - 1);
  const std::string creq = CanonicalRequest(canonical, "host", std::string(kUnsignedPayload));
  EXPECT_EQ(creq,
            "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
            "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
  EXPECT_EQ(StringToSign(creq, DocParams("")),
            DocStringToSign("3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04"));
}

TEST(UriEncodeTest, KeepsUnreservedCharacters) {
  const std::string unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  EXPECT_EQ(UriEncode(unreserved, true), unreserved);
  EXPECT_EQ(UriEncode("", true), "");
}

TEST(UriEncodeTest, EncodesEverythingElseAsUpperHex) {
  EXPECT_EQ(UriEncode("a b", true), "a%20b");  // never '+'
  EXPECT_EQ(UriEncode("a+b=c&d", true), "a%2Bb%3Dc%26d");
  EXPECT_EQ(UriEncode("!*'()$,;:@?#[]", true), "%21%2A%27%28%29%24%2C%3B%3A%40%3F%23%5B%5D");
  EXPECT_EQ(UriEncode("100%", true), "100%25");  // no double-encoding guard: input is raw
  EXPECT_EQ(UriEncode("\xE1\x88\xB4", true), "%E1%88%B4");  // UTF-8 bytes one by one
  EXPECT_EQ(UriEncode(std::string("\x00\x7f\xff", 3), true), "%00%7F%FF");
}

TEST(UriEncodeTest, SlashDependsOnEncodeSlash) {
  EXPECT_EQ(UriEncode("dir/sub dir/file.txt", false), "dir/sub%20dir/file.txt");
  EXPECT_EQ(UriEncode("dir/sub dir/file.txt", true), "dir%2Fsub%20dir%2Ffile.txt");
}

TEST(SigV4Test, AnonymousCredentialsLeaveTheRequestUnsigned) {
  SignableRequest request{"GET", kHost, "/test.txt", {{"versionId", "1"}}, {{"range", "bytes=0-9"}}};
  const SignableRequest before = request;
  Credentials anonymous;
  anonymous.source = "anonymous";
  SignRequest(request, anonymous, DocParams(std::string(kEmptyPayloadSha256)));
  EXPECT_EQ(request.headers, before.headers);
  EXPECT_EQ(request.query, before.query);
  EXPECT_TRUE(PresignQuery(request, anonymous, DocParams(""), 60s).empty());
}

TEST(SigV4Test, SessionTokenIsSentAndSigned) {
  Credentials creds = DocCredentials();
  creds.session_token = "FwoGZXIvYXdzEXAMPLETOKEN==";
  SignableRequest with_token{"GET", kHost, "/test.txt", {}, {}};
  SignRequest(with_token, creds, DocParams(std::string(kEmptyPayloadSha256)));
  EXPECT_EQ(OnlyHeader(with_token, "x-amz-security-token"), "FwoGZXIvYXdzEXAMPLETOKEN==");
  const std::string authorization = OnlyHeader(with_token, "authorization");
  EXPECT_THAT(authorization, HasSubstr("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
  EXPECT_THAT(authorization, Not(HasSubstr(creds.session_token)));
  EXPECT_THAT(authorization, Not(HasSubstr(creds.secret_access_key)));

  SignableRequest without_token{"GET", kHost, "/test.txt", {}, {}};
  SignRequest(without_token, DocCredentials(), DocParams(std::string(kEmptyPayloadSha256)));
  EXPECT_TRUE(HeaderValues(without_token, "x-amz-security-token").empty());
  EXPECT_NE(OnlyHeader(without_token, "authorization"), authorization);
}

TEST(SigV4Test, PresignWithSessionTokenSignsTheToken) {
  Credentials creds = DocCredentials();
  creds.session_token = "token/with+chars=";
  const SignableRequest request{"GET", kHost, "/test.txt", {}, {}};
  const QueryParams query = PresignQuery(request, creds, DocParams(""), 3600s);
  ASSERT_EQ(query.size(), 7u);
  EXPECT_EQ(query[4], std::make_pair(std::string("X-Amz-Security-Token"), creds.session_token));
  EXPECT_EQ(query[5].first, "X-Amz-SignedHeaders");
  EXPECT_EQ(query[6].first, "X-Amz-Signature");
  const QueryParams without = PresignQuery(request, DocCredentials(), DocParams(""), 3600s);
  EXPECT_NE(query[6].second, without.back().second);
}

TEST(SigV4Test, DefaultPayloadIsUnsigned) {
  SigningParams params = DocParams("");
  params.payload_hash = SigningParams{}.payload_hash;
  EXPECT_EQ(params.payload_hash, kUnsignedPayload);
  for (const std::string& hash : {std::string(kUnsignedPayload), std::string()}) {
    params.payload_hash = hash;
    SignableRequest request{"PUT", kHost, "/big.bin", {}, {}};
    SignRequest(request, DocCredentials(), params);
    EXPECT_EQ(OnlyHeader(request, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    std::erase_if(request.headers, [](const auto& h) { return h.first == "authorization"; });
    EXPECT_THAT(CanonicalRequest(request, SignedHeaderNames(request), "UNSIGNED-PAYLOAD"),
                HasSubstr("\nUNSIGNED-PAYLOAD"));
  }
}

TEST(SigV4Test, SigningTwiceReplacesTheSignerHeaders) {
  const auto params = DocParams(std::string(kEmptyPayloadSha256));
  SignableRequest once{"GET", kHost, "/test.txt", {}, {{"Range", "bytes=0-9"}}};
  SignRequest(once, DocCredentials(), params);
  SignableRequest twice = once;
  SignRequest(twice, DocCredentials(), params);
  EXPECT_EQ(OnlyHeader(twice, "authorization"), OnlyHeader(once, "authorization"));
  EXPECT_EQ(HeaderValues(twice, "x-amz-date").size(), 1u);
  EXPECT_EQ(HeaderValues(twice, "x-amz-content-sha256").size(), 1u);

  // Stale signer headers in any case, and a token from expired credentials, are dropped too.
  SignableRequest stale{"GET", kHost, "/test.txt", {},
                        {{"Range", "bytes=0-9"}, {"X-Amz-Date", "19990101T000000Z"},
                         {"Authorization", "old"}, {"X-Amz-Security-Token", "expired"}}};
  SignRequest(stale, DocCredentials(), params);
  EXPECT_EQ(OnlyHeader(stale, "authorization"),
            DocAuthorization("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  EXPECT_EQ(stale.headers.size(), 4u);
}

TEST(SigV4Test, ProxyManagedHeadersAreSentButNotSigned) {
  const auto params = DocParams(std::string(kEmptyPayloadSha256));
  SignableRequest request{"GET", kHost, "/test.txt", {},
                          {{"Range", "bytes=0-9"}, {"User-Agent", "s3csi/0.1"}, {"Expect", "100-continue"},
                           {"Connection", "keep-alive"}, {"X-Forwarded-For", "10.0.0.1"}, {"Host", "ignored"}}};
  EXPECT_EQ(SignedHeaderNames(request), "host;range");
  SignRequest(request, DocCredentials(), params);
  // Same signature as the documented request without them.
  EXPECT_EQ(OnlyHeader(request, "authorization"),
            DocAuthorization("host;range;x-amz-content-sha256;x-amz-date",
                             "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
  EXPECT_EQ(OnlyHeader(request, "User-Agent"), "s3csi/0.1");
}

TEST(SigV4Test, HeadersWithMeaningToS3AreSigned) {
  const SignableRequest request{"PUT", kHost, "/k", {},
                                {{"Content-Type", "text/plain"}, {"Content-MD5", "abc=="},
                                 {"If-None-Match", "*"}, {"x-amz-meta-Mode", "33188"},
                                 {"Content-Length", "5"}, {"Cache-Control", "no-cache"}}};
  EXPECT_EQ(SignedHeaderNames(request),
            "cache-control;content-length;content-md5;content-type;host;if-none-match;x-amz-meta-mode");
  EXPECT_TRUE(IsUnsignedHeader("USER-AGENT"));
  EXPECT_TRUE(IsUnsignedHeader("transfer-encoding"));
  EXPECT_FALSE(IsUnsignedHeader("x-amz-date"));
  EXPECT_FALSE(IsUnsignedHeader("range"));
}

TEST(SigV4Test, PathIsUsedAsGivenAndEmptyPathIsRoot) {
  const SignableRequest dotted{"GET", kHost, "/bucket/a/../b//c%2Fd", {}, {}};
  EXPECT_THAT(CanonicalRequest(dotted, "host", "UNSIGNED-PAYLOAD"), HasSubstr("GET\n/bucket/a/../b//c%2Fd\n"));
  const SignableRequest empty{"GET", kHost, "", {}, {}};
  EXPECT_THAT(CanonicalRequest(empty, "host", "UNSIGNED-PAYLOAD"), HasSubstr("GET\n/\n"));
}

TEST(SigV4Test, PresignClampsExpiryToSevenDays) {
  const SignableRequest request{"GET", kHost, "/test.txt", {}, {}};
  auto expires_of = [&](std::chrono::seconds expires) {
    for (const auto& [name, value] : PresignQuery(request, DocCredentials(), DocParams(""), expires)) {
      if (name == "X-Amz-Expires") return value;
    }
    return std::string("missing");
  };
  EXPECT_EQ(expires_of(604800s), "604800");
  EXPECT_EQ(expires_of(std::chrono::hours(24 * 30)), "604800");
  EXPECT_EQ(expires_of(0s), "1");
  EXPECT_EQ(expires_of(-5s), "1");
}

TEST(SigV4Test, PresignSignsExtraHeadersAndExistingQuery) {
  SignableRequest request{"PUT", kHost, "/upload.bin", {{"uploadId", "abc"}, {"partNumber", "3"}},
                          {{"Content-Type", "application/octet-stream"}}};
  const QueryParams query = PresignQuery(request, DocCredentials(), DocParams(""), 900s);
  ASSERT_EQ(query.size(), 6u);  // only the auth parameters: the caller's query is already in its URL
  EXPECT_EQ(query[4], std::make_pair(std::string("X-Amz-SignedHeaders"), std::string("content-type;host")));
  // The caller's query parameters are covered by the signature.
  request.query[0].second = "xyz";
  EXPECT_NE(PresignQuery(request, DocCredentials(), DocParams(""), 900s).back().second, query.back().second);
}

TEST(SigV4Test, DatesAreUtc) {
  const auto t = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + 23h + 59min + 58s + 999ms;
  EXPECT_EQ(AmzDate(t), "20240229T235958Z");
  EXPECT_EQ(AmzDateStamp(t), "20240229");
  SigningParams p;
  p.region = "eu-west-3";
  p.now = t;
  EXPECT_EQ(CredentialScope(p), "20240229/eu-west-3/s3/aws4_request");
}

TEST(SigV4Test, Sha256HexOfKnownInputs) {
  EXPECT_EQ(Sha256Hex(""), kEmptyPayloadSha256);
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace s3core

namespace s3core {
namespace {

TEST(Sha256HexBodyTest, StreamedBodyHashesLikeContiguous) {
  std::string big(200'000, 'x');
  for (size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
  BufferSource source(big);
  char first[3];
  ASSERT_TRUE(source.Read(first, sizeof first).ok());  // a partly read body is rewound first
  auto hex = Sha256Hex(static_cast<BodySource&>(source));
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(*hex, Sha256Hex(std::string_view(big)));
  auto again = source.Read(first, sizeof first);  // and rewound after
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(std::string(first, 3), big.substr(0, 3));
}

}  // namespace
}  // namespace s3core
