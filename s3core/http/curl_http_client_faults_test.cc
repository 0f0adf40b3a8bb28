// CurlHttpClient failure paths: refused and reset connections, timeouts, truncated bodies,
// failing sinks and sources, invalid input, and what error messages may contain.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>

#include "s3core/http/curl_http_client.h"
#include "s3core/http/testing/test_http_server.h"

namespace s3core {
namespace {

using std::chrono::milliseconds;
using testing::RefusingPort;
using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;
using Fault = TestResponse::Fault;
using Clock = std::chrono::steady_clock;

HttpRequest Request(std::string method, std::string url, BodySource* body = nullptr) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.body = body;
  return r;
}

TestResponse Faulty(Fault fault, std::string body = {}, size_t truncate_at = 0) {
  TestResponse r = TestResponse::Ok(std::move(body));
  r.fault = fault;
  r.truncate_at = truncate_at;
  return r;
}

TEST(CurlHttpClientFaultsTest, ConnectionRefusedIsNetworkError) {
  RefusingPort closed;
  ASSERT_NE(closed.port(), 0);
  CurlHttpClient client;
  auto resp = client.Send(Request("GET", "http://127.0.0.1:" + std::to_string(closed.port()) + "/b/k"), nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  EXPECT_EQ(resp.status().curl_code(), CURLE_COULDNT_CONNECT);
  EXPECT_TRUE(resp.status().IsRetryable());
}

TEST(CurlHttpClientFaultsTest, MessageNamesTheHostButNoSecrets) {
  RefusingPort closed;
  CurlHttpClient client;
  HttpRequest req = Request("GET", "http://user:hunter2@127.0.0.1:" + std::to_string(closed.port()) +
                                       "/b/k?X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok");
  req.headers = {{"Authorization", "AWS4-HMAC-SHA256 Signature=cafebabe"}};
  auto resp = client.Send(req, nullptr);
  ASSERT_FALSE(resp.ok());
  const std::string text = resp.status().ToString();
  EXPECT_NE(text.find("GET http://127.0.0.1:" + std::to_string(closed.port()) + "/b/k"), std::string::npos) << text;
  for (const char* secret : {"hunter2", "deadbeef", "tok", "cafebabe"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
  }
}

TEST(CurlHttpClientFaultsTest, SlowServerTimesOutInBoundedTime) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = TestResponse::Ok("late");
    r.delay = milliseconds(5000);
    return r;
  });
  HttpClientOptions options;
  options.request_timeout = milliseconds(300);
  CurlHttpClient client(options);
  const auto start = Clock::now();
  auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
  const auto elapsed = Clock::now() - start;
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kTimeout) << resp.status().ToString();
  EXPECT_EQ(resp.status().curl_code(), CURLE_OPERATION_TIMEDOUT);
  EXPECT_LT(elapsed, milliseconds(2500));
}

TEST(CurlHttpClientFaultsTest, StalledTransferHitsLowSpeedLimit) {
  TestHttpServer server([](const TestRequest&) {
    TestResponse r = TestResponse::Ok("late");
    r.delay = milliseconds(5000);
    return r;
  });
  HttpClientOptions options;  // no total timeout: only the low-speed limit can end it
  options.low_speed_bytes = 1;
  options.low_speed_time = std::chrono::seconds(1);
  CurlHttpClient client(options);
  const auto start = Clock::now();
  auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kTimeout) << resp.status().ToString();
  EXPECT_LT(Clock::now() - start, milliseconds(4000));
}

TEST(CurlHttpClientFaultsTest, ResetBeforeAnswerIsNetworkError) {
  for (Fault fault : {Fault::kResetWithoutResponse, Fault::kCloseWithoutResponse}) {
    TestHttpServer server([&](const TestRequest&) { return Faulty(fault); });
    CurlHttpClient client;
    auto resp = client.Send(Request("GET", server.Url("/")), nullptr);
    ASSERT_FALSE(resp.ok());
    EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  }
}

TEST(CurlHttpClientFaultsTest, ResetMidResponseIsNetworkError) {
  TestHttpServer server([](const TestRequest&) { return Faulty(Fault::kResetMidBody, std::string(100'000, 'x'), 5000); });
  CurlHttpClient client;
  std::string got;
  StringSink sink(&got);
  auto resp = client.Send(Request("GET", server.Url("/")), &sink);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  EXPECT_LE(got.size(), 5000u);
}

TEST(CurlHttpClientFaultsTest, TruncatedBodyIsAnError) {
  TestHttpServer server([](const TestRequest&) { return Faulty(Fault::kTruncateBody, std::string(1000, 'y'), 600); });
  CurlHttpClient client;
  std::string got;
  StringSink sink(&got);
  auto resp = client.Send(Request("GET", server.Url("/")), &sink);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kNetwork) << resp.status().ToString();
  EXPECT_EQ(resp.status().curl_code(), CURLE_PARTIAL_FILE);
  EXPECT_EQ(got, std::string(600, 'y'));  // what came is there; the caller resets on retry
}

// A sink that refuses with a chosen status after some bytes.
class FailingSink final : public BodySink {
 public:
  FailingSink(size_t accept, Status error) : accept_(accept), error_(std::move(error)) {}
  Status Write(const char*, size_t n) override {
    if (received_ + n > accept_) return error_;
    received_ += n;
    return Status();
  }
  void Reset() override { received_ = 0; }
  size_t received() const { return received_; }

 private:
  size_t accept_;
  Status error_;
  size_t received_ = 0;
};

TEST(CurlHttpClientFaultsTest, SinkErrorAbortsWithItsOwnStatus) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(std::string(4 << 20, 'z')); });
  CurlHttpClient client;
  FailingSink cancelled(100'000, Status::Error(ErrorKind::kCancelled, "reader went away"));
  auto resp = client.Send(Request("GET", server.Url("/")), &cancelled);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kCancelled);
  EXPECT_EQ(resp.status().message(), "reader went away");

  char small[10];
  BufferSink too_small(small, sizeof(small));
  resp = client.Send(Request("GET", server.Url("/")), &too_small);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kIo) << resp.status().ToString();
}

// A source that fails, or ends early, after `good` bytes.
class BrokenSource final : public BodySource {
 public:
  BrokenSource(uint64_t size, size_t good, bool fail) : size_(size), good_(good), fail_(fail) {}
  Result<size_t> Read(char* buf, size_t n) override {
    if (pos_ >= good_) {
      if (fail_) return Status::Io("disk on fire");
      return size_t{0};
    }
    const size_t count = std::min(n, good_ - pos_);
    std::fill(buf, buf + count, 'q');
    pos_ += count;
    return count;
  }
  bool Rewind() override { pos_ = 0; return true; }
  uint64_t Size() const override { return size_; }

 private:
  uint64_t size_;
  size_t good_;
  bool fail_;
  size_t pos_ = 0;
};

TEST(CurlHttpClientFaultsTest, BodySourceErrorSurfacesAsItself) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  HttpClientOptions options;
  options.request_timeout = milliseconds(10'000);  // a wrong implementation would hang, not pass
  CurlHttpClient client(options);
  for (const char* method : {"PUT", "POST"}) {
    BrokenSource failing(1 << 20, 300'000, /*fail=*/true);
    auto resp = client.Send(Request(method, server.Url("/b/k"), &failing), nullptr);
    ASSERT_FALSE(resp.ok()) << method;
    EXPECT_EQ(resp.status().kind(), ErrorKind::kIo) << resp.status().ToString();
    EXPECT_EQ(resp.status().message(), "disk on fire");

    BrokenSource short_source(1 << 20, 1000, /*fail=*/false);
    resp = client.Send(Request(method, server.Url("/b/k"), &short_source), nullptr);
    ASSERT_FALSE(resp.ok()) << method;
    EXPECT_EQ(resp.status().kind(), ErrorKind::kIo) << resp.status().ToString();
  }
  EXPECT_EQ(server.request_count(), 0u);  // no incomplete body was ever taken for a request
}

TEST(CurlHttpClientFaultsTest, DeadKeptAliveConnectionIsRetriedWithRewoundBody) {
  // The server drops the second request on the first connection without answering, as a server
  // does when it closes an idle connection just as the request arrives. libcurl then resends on
  // a new connection, which needs the body rewound through the seek callback.
  std::atomic<int> seen{0};
  TestHttpServer server([&](const TestRequest& r) {
    if (seen.fetch_add(1) == 1) return Faulty(Fault::kCloseWithoutResponse);
    return TestResponse::Ok("len=" + std::to_string(r.body.size()));
  });
  CurlHttpClient client;
  const std::string data(700'000, 'q');
  // A streamed (non-contiguous) source, so that only the seek callback can replay it.
  BrokenSource first(data.size(), data.size(), false);
  auto resp = client.Send(Request("PUT", server.Url("/b/1"), &first), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  BrokenSource second(data.size(), data.size(), false);
  resp = client.Send(Request("PUT", server.Url("/b/2"), &second), nullptr);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->body, "len=" + std::to_string(data.size()));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].body, data);
  EXPECT_EQ(server.connection_count(), 2u);
}

TEST(CurlHttpClientFaultsTest, InvalidInputIsRejectedBeforeSending) {
  TestHttpServer server([](const TestRequest&) { return TestResponse::Ok(); });
  CurlHttpClient client;
  HttpRequest req = Request("GET", server.Url("/"));
  req.headers = {{"x-amz-meta-a", "secret\r\nInjected: yes"}};
  auto resp = client.Send(req, nullptr);
  ASSERT_FALSE(resp.ok());
  EXPECT_EQ(resp.status().kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(resp.status().message().find("secret"), std::string::npos);

  resp = client.Send(Request("GET", server.Url("/a\r\nb")), nullptr);
  EXPECT_EQ(resp.status().kind(), ErrorKind::kInvalidArgument);
  resp = client.Send(Request("G T", server.Url("/")), nullptr);
  EXPECT_EQ(resp.status().kind(), ErrorKind::kInvalidArgument);
  resp = client.Send(Request("GET", "not a url"), nullptr);
  EXPECT_FALSE(resp.ok());
  resp = client.Send(Request("GET", "ftp://127.0.0.1/x"), nullptr);
  EXPECT_EQ(resp.status().kind(), ErrorKind::kInvalidArgument) << resp.status().ToString();
  EXPECT_EQ(server.request_count(), 0u);
}

}  // namespace
}  // namespace s3core
