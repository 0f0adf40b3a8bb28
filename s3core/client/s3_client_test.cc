// S3Client against a scripted HttpClient: request shapes, error mapping and retry behaviour.
#include "s3core/client/s3_client.h"

#include <deque>
#include <functional>
#include <mutex>

#include <gtest/gtest.h>

#include "s3core/client/client_factory.h"
#include "s3core/client/s3_headers.h"

namespace s3core {
namespace {

struct Recorded {
  std::string method, url, body;
  Headers headers;
  std::string Header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return "";
  }
  bool Has(const std::string& name) const {
    for (const auto& h : headers) {
      if (h.first == name) return true;
    }
    return false;
  }
};

// Answers each request with the next scripted reply and records what it was sent.
class ScriptedHttpClient : public HttpClient {
 public:
  using Reply = std::function<Result<HttpResponse>(const HttpRequest&, BodySink*)>;

  void Then(Reply reply) { replies_.push_back(std::move(reply)); }
  void ThenStatus(int status, std::string body = "", Headers headers = {}) {
    Then([=](const HttpRequest&, BodySink* sink) -> Result<HttpResponse> {
      HttpResponse r;
      r.status = status;
      r.headers = headers;
      if (status / 100 == 2 && sink != nullptr) {
        S3_RETURN_IF_ERROR(sink->Write(body.data(), body.size()));
      } else {
        r.body = body;
      }
      return r;
    });
  }

  Result<HttpResponse> Send(const HttpRequest& request, BodySink* sink) override {
    Recorded rec{request.method, request.url, "", request.headers};
    if (request.body != nullptr) {
      char buf[4096];
      for (;;) {
        auto n = request.body->Read(buf, sizeof buf);
        if (!n.ok()) return n.status();
        if (*n == 0) break;
        rec.body.append(buf, *n);
      }
    }
    std::lock_guard lock(mu_);
    sent.push_back(rec);
    if (replies_.empty()) return Status::Internal("no scripted reply left");
    Reply reply = std::move(replies_.front());
    replies_.pop_front();
    return reply(request, sink);
  }

  std::vector<Recorded> sent;

 private:
  std::mutex mu_;
  std::deque<Reply> replies_;
};

class S3ClientTest : public ::testing::Test {
 protected:
  S3ClientTest() {
    S3ClientConfig config;
    config.endpoint = *Endpoint::Parse("http://127.0.0.1:7480");
    config.region = "us-east-1";
    config.retry.base_delay = std::chrono::milliseconds(1);
    config.retry.throttle_base_delay = std::chrono::milliseconds(1);
    config.retry.max_attempts = 3;
    http_ = std::make_shared<ScriptedHttpClient>();
    Credentials creds{"AKIDTEST", "secretsecret", "", std::nullopt, "static"};
    client_ = std::make_unique<S3Client>(config, http_, std::make_shared<StaticCredentialsProvider>(creds));
  }

  std::shared_ptr<ScriptedHttpClient> http_;
  std::unique_ptr<S3Client> client_;
};

const char kSlowDown[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message></Message>"
    "<RequestId>tx1</RequestId></Error>";

TEST_F(S3ClientTest, PutObjectSendsSignedRequestWithMetadata) {
  http_->ThenStatus(200, "", {{"etag", "\"abc123\""}});
  BufferSource body("hello");
  PutObjectRequest req;
  req.bucket = "bucket";
  req.key = "dir/file name.txt";
  req.body = &body;
  req.options.content_type = "text/plain";
  req.options.metadata = {{"mode", "33188"}, {"uid", "0"}};
  req.options.storage_class = "STANDARD_IA";
  auto result = client_->PutObject(req);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->etag, "abc123");
  ASSERT_EQ(http_->sent.size(), 1u);
  const Recorded& r = http_->sent[0];
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url, "http://127.0.0.1:7480/bucket/dir/file%20name.txt");
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.Header("x-amz-meta-mode"), "33188");
  EXPECT_EQ(r.Header("x-amz-storage-class"), "STANDARD_IA");
  EXPECT_EQ(r.Header("content-type"), "text/plain");
  EXPECT_EQ(r.Header("x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(r.Header("authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIDTEST/", 0), 0u);
  EXPECT_EQ(r.Header("authorization").find("secretsecret"), std::string::npos);
}

TEST_F(S3ClientTest, RetriesThrottlingAndResendsTheWholeBody) {
  http_->ThenStatus(503, kSlowDown);
  http_->Then([](const HttpRequest&, BodySink*) -> Result<HttpResponse> {
    return Status::Transport(false, 56, "Connection reset by peer");
  });
  http_->ThenStatus(200, "", {{"etag", "\"e\""}});
  BufferSource body("payload");
  PutObjectRequest req{"bucket", "k", &body, {}, "", ""};
  auto result = client_->PutObject(req);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(http_->sent.size(), 3u);
  for (const auto& r : http_->sent) EXPECT_EQ(r.body, "payload");
}

TEST_F(S3ClientTest, DoesNotRetryAccessDeniedAndKeepsTheCause) {
  // The request id comes from the header when the error document has none.
  http_->ThenStatus(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
                    {{"x-amz-request-id", "tx-header"}});
  auto result = client_->HeadBucket("bucket");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(http_->sent.size(), 1u);
  EXPECT_EQ(result.kind(), ErrorKind::kAccessDenied);
  EXPECT_EQ(result.s3_code(), "AccessDenied");
  EXPECT_EQ(result.request_id(), "tx-header");
  EXPECT_EQ(result.http_status(), 403);
  EXPECT_NE(result.message().find("HeadBucket bucket"), std::string::npos);
}

TEST_F(S3ClientTest, HeadWithoutBodyClassifiesByStatus) {
  http_->ThenStatus(404, "", {{"x-amz-request-id", "tx9"}});
  auto result = client_->HeadObject({"bucket", "missing", "", "", {}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotFound());
  EXPECT_EQ(result.status().request_id(), "tx9");
}

TEST_F(S3ClientTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 3; ++i) {
    http_->Then([](const HttpRequest&, BodySink*) -> Result<HttpResponse> {
      return Status::Transport(true, 28, "Operation timed out");
    });
  }
  auto result = client_->DeleteObject("bucket", "k");
  EXPECT_EQ(http_->sent.size(), 3u);
  EXPECT_EQ(result.kind(), ErrorKind::kTimeout);
  EXPECT_EQ(result.curl_code(), 28);
}

TEST_F(S3ClientTest, GetObjectResetsTheSinkBeforeARetry) {
  // The first attempt delivers half a body, then the connection drops.
  http_->Then([](const HttpRequest&, BodySink* sink) -> Result<HttpResponse> {
    S3_RETURN_IF_ERROR(sink->Write("hel", 3));
    return Status::Transport(false, 56, "reset");
  });
  http_->ThenStatus(206, "hello", {{"content-range", "bytes 0-4/12"}, {"etag", "\"x\""}});
  std::string out;
  StringSink sink(&out);
  GetObjectRequest req;
  req.bucket = "bucket";
  req.key = "k";
  req.range = ByteRange{0, 5};
  auto info = client_->GetObject(req, sink);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(out, "hello");
  EXPECT_EQ(info->size, 12u);
  EXPECT_EQ(http_->sent[1].Header("range"), "bytes=0-4");
}

TEST_F(S3ClientTest, CopyObjectErrorInside200IsRetriedThenReported) {
  const std::string error_doc = "<Error><Code>InternalError</Code><Message>We encountered an internal error"
                                "</Message><RequestId>r</RequestId></Error>";
  for (int i = 0; i < 3; ++i) http_->ThenStatus(200, error_doc);
  CopyObjectRequest req;
  req.source_bucket = "src";
  req.source_key = "a b";
  req.bucket = "dst";
  req.key = "c";
  auto result = client_->CopyObject(req);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(http_->sent.size(), 3u);
  EXPECT_EQ(result.status().kind(), ErrorKind::kServerError);
  EXPECT_EQ(result.status().s3_code(), "InternalError");
  EXPECT_EQ(http_->sent[0].Header("x-amz-copy-source"), "src/a%20b");
  EXPECT_EQ(http_->sent[0].Header("x-amz-metadata-directive"), "COPY");
}

TEST_F(S3ClientTest, CompleteWithEmptyEtagAsksHead) {
  // RGW 16 answers CompleteMultipartUpload with an empty <ETag>.
  http_->ThenStatus(200,
                    "<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag></ETag>"
                    "</CompleteMultipartUploadResult>");
  http_->ThenStatus(200, "", {{"etag", "\"abc-2\""}, {"content-length", "10"}});
  CompleteMultipartUploadRequest req{"bucket", "k", "upload1", {{1, "e1"}, {2, "e2"}}};
  auto result = client_->CompleteMultipartUpload(req);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->etag, "abc-2");
  ASSERT_EQ(http_->sent.size(), 2u);
  EXPECT_EQ(http_->sent[0].url, "http://127.0.0.1:7480/bucket/k?uploadId=upload1");
  EXPECT_NE(http_->sent[0].body.find("<PartNumber>2</PartNumber>"), std::string::npos);
  EXPECT_EQ(http_->sent[1].method, "HEAD");
}

TEST_F(S3ClientTest, CompleteRetriedAfterLostAnswerFindsTheObject) {
  http_->Then([](const HttpRequest&, BodySink*) -> Result<HttpResponse> {
    return Status::Transport(false, 52, "Empty reply from server");
  });
  http_->ThenStatus(404, "<Error><Code>NoSuchUpload</Code></Error>");
  http_->ThenStatus(200, "", {{"etag", "\"final-1\""}});
  CompleteMultipartUploadRequest req{"bucket", "k", "u", {{1, "e1"}}};
  auto result = client_->CompleteMultipartUpload(req);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->etag, "final-1");
}

TEST_F(S3ClientTest, CompleteRefusesUnorderedParts) {
  auto result = client_->CompleteMultipartUpload({"bucket", "k", "u", {{2, "a"}, {1, "b"}}});
  EXPECT_EQ(result.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(http_->sent.empty());
}

TEST_F(S3ClientTest, InvalidInputNeverReachesTheServer) {
  EXPECT_EQ(client_->HeadBucket("Bad_Bucket").kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(client_->DeleteObject("bucket", "").kind(), ErrorKind::kInvalidArgument);
  ListObjectsRequest list;
  list.bucket = "bucket";
  list.max_keys = 0;
  EXPECT_FALSE(client_->ListObjects(list).ok());
  UploadPartRequest part;
  part.bucket = "bucket";
  part.key = "k";
  part.upload_id = "u";
  part.part_number = 10001;
  BufferSource body("x");
  part.body = &body;
  EXPECT_FALSE(client_->UploadPart(part).ok());
  EXPECT_TRUE(http_->sent.empty());
}

TEST_F(S3ClientTest, DeleteObjectsSendsContentMd5) {
  http_->ThenStatus(200, "<DeleteResult><Deleted><Key>a</Key></Deleted></DeleteResult>");
  auto result = client_->DeleteObjects("bucket", {"a", "b&c"});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Recorded& r = http_->sent[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "http://127.0.0.1:7480/bucket/?delete");
  EXPECT_EQ(r.Header("content-md5"), Md5Base64(r.body));
  EXPECT_NE(r.body.find("b&amp;c"), std::string::npos);
  EXPECT_EQ(result->deleted, std::vector<std::string>{"a"});
}

TEST_F(S3ClientTest, ListObjectsAsksForV2AndUrlEncoding) {
  http_->ThenStatus(200, "<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  ListObjectsRequest req;
  req.bucket = "bucket";
  req.prefix = "dir/";
  req.delimiter = "/";
  auto result = client_->ListObjects(req);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(http_->sent[0].url,
            "http://127.0.0.1:7480/bucket/?list-type=2&encoding-type=url&max-keys=1000&prefix=dir%2F&delimiter=%2F");
}

TEST(S3ClientOptionsTest, RequesterPaysAndSseCustomerKeyHeaders) {
  S3ClientConfig config;
  config.endpoint = *Endpoint::Parse("http://127.0.0.1:1");
  config.request_options.requester_pays = true;
  auto http = std::make_shared<ScriptedHttpClient>();
  http->ThenStatus(200, "", {{"etag", "\"e\""}});
  S3Client client(config, http, std::make_shared<StaticCredentialsProvider>(Credentials{"A", "S", "T", {}, "s"}));
  PutObjectRequest req;
  req.bucket = "bucket";
  req.key = "k";
  req.options.sse.mode = ServerSideEncryption::Mode::kCustomerKey;
  req.options.sse.customer_key = std::string(32, 'k');
  ASSERT_TRUE(client.PutObject(req).ok());
  const Recorded& r = http->sent[0];
  EXPECT_EQ(r.Header("x-amz-request-payer"), "requester");
  EXPECT_EQ(r.Header("x-amz-security-token"), "T");
  EXPECT_EQ(r.Header("x-amz-server-side-encryption-customer-algorithm"), "AES256");
  EXPECT_EQ(r.Header("x-amz-server-side-encryption-customer-key"), Base64Encode(std::string(32, 'k')));
  EXPECT_EQ(r.Header("x-amz-server-side-encryption-customer-key-md5"), Md5Base64(std::string(32, 'k')));
  EXPECT_NE(r.Header("authorization").find("x-amz-request-payer"), std::string::npos);

  req.options.sse.customer_key = "short";
  EXPECT_EQ(client.PutObject(req).status().kind(), ErrorKind::kInvalidArgument);
}

TEST(S3ClientOptionsTest, SignedPayloadHashesTheBody) {
  S3ClientConfig config;
  config.endpoint = *Endpoint::Parse("http://127.0.0.1:1");
  config.sign_payload = true;
  auto http = std::make_shared<ScriptedHttpClient>();
  http->ThenStatus(200, "", {{"etag", "\"e\""}});
  S3Client client(config, http, std::make_shared<StaticCredentialsProvider>(Credentials{"A", "S", "", {}, "s"}));
  BufferSource body("abc");
  ASSERT_TRUE(client.PutObject({"bucket", "k", &body, {}, "", ""}).ok());
  EXPECT_EQ(http->sent[0].Header("x-amz-content-sha256"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(S3ClientOptionsTest, PresignedUrlCarriesQueryAuth) {
  S3ClientConfig config;
  config.endpoint = *Endpoint::Parse("http://127.0.0.1:7480");
  auto http = std::make_shared<ScriptedHttpClient>();
  S3Client client(config, http, std::make_shared<StaticCredentialsProvider>(Credentials{"A", "S", "", {}, "s"}));
  auto url = client.PresignUrl("GET", "bucket", "a b", std::chrono::seconds(60));
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->rfind("http://127.0.0.1:7480/bucket/a%20b?", 0), 0u);
  EXPECT_NE(url->find("X-Amz-Signature="), std::string::npos);
  EXPECT_NE(url->find("X-Amz-Expires=60"), std::string::npos);
  EXPECT_FALSE(client.PresignUrl("GET", "bucket", "k", std::chrono::seconds(8 * 24 * 3600)).ok());
}

TEST(ClientFactoryTest, RefusesMalformedEndpointAndResolvesRegion) {
  S3Settings bad;
  bad.endpoint = "ftp://example.com";
  auto refused = MakeS3Client(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().kind(), ErrorKind::kInvalidArgument);

  S3Settings from_env;
  from_env.credentials.env = Environment::Fake({{"AWS_REGION", "eu-central-1"}}, "/nonexistent");
  auto bundle = MakeS3Client(from_env);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  EXPECT_EQ(bundle->client->config().region, "eu-central-1");
  EXPECT_EQ(bundle->client->config().endpoint.ToString(), "https://s3.eu-central-1.amazonaws.com");

  S3Settings fallback;
  fallback.credentials.env = Environment::Fake({}, "/nonexistent");
  EXPECT_EQ(MakeS3Client(fallback)->client->config().region, "us-east-1");
}

}  // namespace
}  // namespace s3core
