// CurlHttpClient against the local TestHttpServer: methods, streaming bodies, headers,
// keep-alive and concurrency. Failure paths are in curl_http_client_faults_test.cc.
#include "s3core/http/curl_http_client.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "s3core/http/testing/test_http_server.h"

namespace s3core {
namespace {

using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng());
  return out;
}

HttpRequest Request(std::string method, std::string url, BodySource* body = nullptr) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = body;
  return r;
}

TEST(CurlHttpClientTest, GetStreamsBodyIntoSink) {
  const std::string payload = RandomBytes(3 << 20, 1);
  TestHttpServer server([&](const TestRequest&) { return TestResponse::Ok(payload); });
  ASSERT_TRUE(server.status().ok()) << server.status().ToString();
  CurlHttpClient client;
  std::string got;
  StringSink sink(&got);
  auto resp = client.Send(Request("GET", server.Url("/bucket/key?x=1")), &sink);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_TRUE(resp->body.empty());  // it went to the sink
  EXPECT_EQ(got, payload);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/bucket/key?x=1");
  EXPECT_EQ(reqs[0].Header("host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_FALSE(reqs[0].HasHeader("accept-encoding"));  // bodies are raw bytes, never compressed
}

TEST(CurlHttpClientTest, GetWithoutSinkCollectsBody) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok("<ListBucketResult/>"); });
  CurlHttpClient client;
  auto resp = client.Send(Request("GET", server.Url("/b?list-type=2")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "<ListBucketResult/>");
}

TEST(CurlHttpClientTest, PathIsSentAsIs) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  auto resp = client.Send(Request("GET", server.Url("/b/a/../c/./d%20e")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].target, "/b/a/../c/./d%20e");  // no dot-segment squashing
}

TEST(CurlHttpClientTest, PutStreamsBufferSource) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  const std::string payload = RandomBytes(5 << 20, 2);  // above libcurl's 100-continue threshold
  BufferSource source(payload);
  auto resp = client.Send(Request("PUT", server.Url("/b/k"), &source), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].Header("content-length"), std::to_string(payload.size()));
  EXPECT_FALSE(reqs[0].HasHeader("expect"));  // no extra round trip
  EXPECT_FALSE(reqs[0].HasHeader("transfer-encoding"));
  EXPECT_EQ(reqs[0].body, payload);
}

class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    char path[] = "/tmp/s3core_http_test_XXXXXX";
    fd_ = ::mkstemp(path);
    path_ = path;
    if (fd_ >= 0) written_ = ::write(fd_, contents.data(), contents.size());
  }
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  ssize_t written() const { return written_; }

 private:
  int fd_ = -1;
  ssize_t written_ = -1;
  std::string path_;
};

TEST(CurlHttpClientTest, PutStreamsFileRange) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  const std::string contents = RandomBytes(4 << 20, 3);
  TempFile file(contents);
  ASSERT_EQ(file.written(), static_cast<ssize_t>(contents.size()));
  const uint64_t offset = 12345;
  const uint64_t length = (3 << 20) + 17;
  FileRangeSource source(file.fd(), offset, length);
  auto resp = client.Send(Request("PUT", server.Url("/b/part?partNumber=1&uploadId=u"), &source), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].Header("content-length"), std::to_string(length));
  EXPECT_EQ(reqs[0].body, contents.substr(offset, length));
}

TEST(CurlHttpClientTest, PutWithoutBodySendsZeroLength) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  auto resp = client.Send(Request("PUT", server.Url("/bucket")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].Header("content-length"), "0");
  EXPECT_EQ(reqs[0].body, "");
}

TEST(CurlHttpClientTest, PostFromMemoryAndFromStream) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::Ok("echo:" + r.body); });
  CurlHttpClient client;
  const std::string xml = "<CompleteMultipartUpload><Part/></CompleteMultipartUpload>";
  BufferSource memory(xml);
  auto resp = client.Send(Request("POST", server.Url("/b/k?uploadId=1"), &memory), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "echo:" + xml);

  const std::string big = RandomBytes(300 * 1024, 4);
  TempFile file(big);
  FileRangeSource stream(file.fd(), 0, big.size());
  resp = client.Send(Request("POST", server.Url("/b?delete"), &stream), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "echo:" + big);

  resp = client.Send(Request("POST", server.Url("/b/k?uploads")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_FALSE(r.HasHeader("content-type")) << "libcurl's form content type leaked";
    EXPECT_FALSE(r.HasHeader("expect"));
    EXPECT_FALSE(r.HasHeader("transfer-encoding"));
  }
  EXPECT_EQ(reqs[0].Header("content-length"), std::to_string(xml.size()));
  EXPECT_EQ(reqs[1].Header("content-length"), std::to_string(big.size()));
  EXPECT_EQ(reqs[2].Header("content-length"), "0");
}

TEST(CurlHttpClientTest, HeadReturnsHeadersWithoutBody) {
  TestHttpServer server([](const TestRequest& r) {
    TestResponse resp = TestResponse::Ok(r.method == "HEAD" ? "" : "after");
    if (r.method == "HEAD") resp.headers = {{"Content-Length", "123456789"}, {"ETag", "\"e\""}};
    return resp;
  });
  CurlHttpClient client;
  std::string sunk;
  StringSink sink(&sunk);
  auto resp = client.Send(Request("HEAD", server.Url("/b/k")), &sink);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->Header("content-length"), "123456789");
  EXPECT_EQ(resp->Header("etag"), "\"e\"");
  EXPECT_TRUE(sunk.empty());
  // The connection is still in step: the next request on it gets its own answer.
  resp = client.Send(Request("GET", server.Url("/b/k")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "after");
  EXPECT_EQ(server.connection_count(), 1u);
}

TEST(CurlHttpClientTest, DeleteSendsMethod) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::WithStatus(204); });
  CurlHttpClient client;
  auto resp = client.Send(Request("DELETE", server.Url("/b/k")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->status, 204);
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].method, "DELETE");
}

TEST(CurlHttpClientTest, ErrorBodyIsCollectedAndSinkUntouched) {
  const std::string xml = "<Error><Code>NoSuchKey</Code><RequestId>tx1</RequestId></Error>";
  TestHttpServer server([&](const TestRequest&) { return TestResponse::WithStatus(404, xml); });
  CurlHttpClient client;
  std::string sunk;
  StringSink sink(&sunk);
  auto resp = client.Send(Request("GET", server.Url("/b/missing")), &sink);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();  // an HTTP error is not a transport error
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(resp->body, xml);
  EXPECT_TRUE(sunk.empty());
}

TEST(CurlHttpClientTest, HugeErrorBodyIsBoundedAndConnectionKept) {
  const std::string big = RandomBytes(CurlHttpClient::kMaxErrorBodyBytes + 100'000, 5);
  TestHttpServer server([&](const TestRequest&) { return TestResponse::WithStatus(500, big); });
  CurlHttpClient client;
  for (int i = 0; i < 2; ++i) {
    auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->status, 500);
    EXPECT_EQ(resp->body, big.substr(0, CurlHttpClient::kMaxErrorBodyBytes));
  }
  EXPECT_EQ(server.connection_count(), 1u);  // the rest was drained, not left on the wire
}

TEST(CurlHttpClientTest, ResponseHeaderNamesAreLowerCased) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = TestResponse::Ok();
    r.headers = {{"X-Amz-Request-Id", "  tx-42  "}, {"ETag", "\"abc\""}, {"X-Amz-Meta-Color", "blue"}};
    return r;
  });
  CurlHttpClient client;
  auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->Header("x-amz-request-id"), "tx-42");
  EXPECT_EQ(resp->Header("etag"), "\"abc\"");
  EXPECT_EQ(resp->Header("x-amz-meta-color"), "blue");
  EXPECT_FALSE(resp->HasHeader("X-Amz-Request-Id"));
  for (const auto& [name, value] : resp->headers) {
    for (char c : name) EXPECT_FALSE(c >= 'A' && c <= 'Z') << name;
  }
}

TEST(CurlHttpClientTest, RequestHeadersAreSentAsGiven) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  HttpRequest req = Request("GET", server.Url("/b/k"));
  req.headers = {{"Authorization", "AWS4-HMAC-SHA256 Credential=AK/..."},
                 {"x-amz-date", "20240101T000000Z"},
                 {"Range", "bytes=0-9"},
                 {"x-amz-empty", ""}};
  auto resp = client.Send(req, nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].Header("authorization"), "AWS4-HMAC-SHA256 Credential=AK/...");
  EXPECT_EQ(reqs[0].Header("x-amz-date"), "20240101T000000Z");
  EXPECT_EQ(reqs[0].Header("range"), "bytes=0-9");
  EXPECT_TRUE(reqs[0].HasHeader("x-amz-empty"));
  EXPECT_EQ(reqs[0].Header("x-amz-empty"), "");
}

TEST(CurlHttpClientTest, SequentialRequestsReuseOneConnection) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::Ok(r.target); });
  CurlHttpClient client;
  const std::string payload = RandomBytes(100'000, 6);
  for (int i = 0; i < 30; ++i) {
    const std::string target = "/b/k" + std::to_string(i);
    BufferSource body(payload);
    auto resp = client.Send(Request(i % 3 == 0 ? "PUT" : "GET", server.Url(target), i % 3 == 0 ? &body : nullptr),
                            nullptr);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
    EXPECT_EQ(resp->body, target);
  }
  EXPECT_EQ(server.connection_count(), 1u);
  for (const auto& r : server.requests()) EXPECT_EQ(r.connection_id, 1u);
  EXPECT_EQ(client.idle_handles(), 1u);
}

TEST(CurlHttpClientTest, ManyThreadsAtOnce) {
  TestHttpServer server([](const TestRequest& r) { return TestResponse::Ok(r.target + "|" + r.body); });
  CurlHttpClient client;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string target = "/b/t" + std::to_string(t) + "-" + std::to_string(i);
        const std::string body = i % 2 == 0 ? std::string(1000 + i, static_cast<char>('a' + t)) : "";
        BufferSource source(body);
        std::string got;
        StringSink sink(&got);
        auto resp = client.Send(Request(i % 2 == 0 ? "PUT" : "GET", server.Url(target),
                                        i % 2 == 0 ? &source : nullptr),
                                &sink);
        if (!resp.ok() || resp->status != 200 || got != target + "|" + body) failures.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.request_count(), size_t{kThreads * kPerThread});
  // Each thread holds at most one handle at a time, and each handle one connection.
  EXPECT_LE(server.connection_count(), size_t{kThreads});
  EXPECT_LE(client.idle_handles(), size_t{kThreads});
}

TEST(CurlHttpClientTest, PoolKeepsAtMostMaxConnectionsIdle) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = TestResponse::Ok("x");
    r.delay = std::chrono::milliseconds(50);  // so that the threads overlap
    return r;
  });
  HttpClientOptions options;
  options.max_connections = 2;
  CurlHttpClient client(options);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
      if (!resp.ok() || resp->body != "x") failures.fetch_add(1);
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(client.idle_handles(), 2u);
}

}  // namespace
}  // namespace s3core
