// The RequestObserver hook of S3Client, over the real libcurl client against a scripted server:
// one event per logical request (after retries), with the outcome, status, bytes and attempts.
#include "s3core/client/request_observer.h"

#include <atomic>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "s3core/client/s3_client.h"
#include "s3core/http/curl_http_client.h"
#include "s3core/http/testing/test_http_server.h"

namespace s3core {
namespace {

using testing::TestHttpServer;
using testing::TestRequest;
using testing::TestResponse;

class RecordingObserver : public RequestObserver {
 public:
  void OnRequest(const RequestEvent& event) override {
    std::lock_guard lock(mu_);
    events_.push_back({std::string(event.operation), event});
  }
  std::vector<std::pair<std::string, RequestEvent>> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, RequestEvent>> events_;
};

class RequestObserverTest : public ::testing::Test {
 protected:
  void StartClient(TestHttpServer::Handler handler) {
    server_ = std::make_unique<TestHttpServer>(std::move(handler));
    ASSERT_TRUE(server_->status().ok()) << server_->status().ToString();
    S3ClientConfig config;
    config.endpoint = *Endpoint::Parse(server_->Url(""));
    config.addressing = AddressingStyle::kPath;
    config.retry.base_delay = std::chrono::milliseconds(1);
    config.retry.throttle_base_delay = std::chrono::milliseconds(1);
    config.retry.max_attempts = 3;
    config.observer = observer_;
    Credentials creds{"AKIDTEST", "secretsecret", "", std::nullopt, "static"};
    client_ = std::make_unique<S3Client>(config, std::make_shared<CurlHttpClient>(HttpClientOptions{}),
                                         std::make_shared<StaticCredentialsProvider>(creds));
  }

  std::shared_ptr<RecordingObserver> observer_ = std::make_shared<RecordingObserver>();
  std::unique_ptr<TestHttpServer> server_;
  std::unique_ptr<S3Client> client_;
};

TEST_F(RequestObserverTest, ReportsEachSuccessfulRequestOnceWithItsBytes) {
  StartClient([](const TestRequest& request) {
    TestResponse r = TestResponse::Ok(request.method == "GET" ? "hello world" : "");
    r.headers = {{"ETag", "\"e1\""}};
    return r;
  });
  BufferSource body("12345");
  PutObjectRequest put{"bucket", "k", &body, {}, "", ""};
  ASSERT_TRUE(client_->PutObject(put).ok());
  std::string got;
  StringSink sink(&got);
  GetObjectRequest get;
  get.bucket = "bucket";
  get.key = "k";
  ASSERT_TRUE(client_->GetObject(get, sink).ok());
  EXPECT_EQ(got, "hello world");

  const auto events = observer_->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].first, "PutObject");
  EXPECT_EQ(events[0].second.outcome, ErrorKind::kOk);
  EXPECT_EQ(events[0].second.http_status, 200);
  EXPECT_EQ(events[0].second.bytes_sent, 5u);
  EXPECT_EQ(events[0].second.attempts, 1);
  EXPECT_GT(events[0].second.latency.count(), 0);
  EXPECT_EQ(events[1].first, "GetObject");
  EXPECT_EQ(events[1].second.bytes_received, 11u);
  EXPECT_EQ(events[1].second.bytes_sent, 0u);
}

TEST_F(RequestObserverTest, RetriesAreOneEventWithTheAttemptCount) {
  std::atomic<int> calls{0};
  StartClient([&](const TestRequest&) {
    if (calls.fetch_add(1) == 0) {
      return TestResponse::WithStatus(503, "<Error><Code>SlowDown</Code><Message>m</Message></Error>");
    }
    TestResponse r = TestResponse::Ok();
    r.headers = {{"ETag", "\"e1\""}};
    return r;
  });
  BufferSource body("abc");
  PutObjectRequest put{"bucket", "k", &body, {}, "", ""};
  ASSERT_TRUE(client_->PutObject(put).ok());
  const auto events = observer_->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second.attempts, 2);
  EXPECT_EQ(events[0].second.outcome, ErrorKind::kOk);
  EXPECT_EQ(events[0].second.bytes_sent, 6u);  // the body went twice
  EXPECT_GT(events[0].second.bytes_received, 0u);  // the 503's error document
}

TEST_F(RequestObserverTest, FailuresCarryTheirKindAndStatus) {
  StartClient([](const TestRequest&) { return TestResponse::WithStatus(404); });
  HeadObjectRequest head;
  head.bucket = "bucket";
  head.key = "missing";
  EXPECT_TRUE(client_->HeadObject(head).status().IsNotFound());
  const auto events = observer_->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].first, "HeadObject");
  EXPECT_EQ(events[0].second.outcome, ErrorKind::kNotFound);
  EXPECT_EQ(events[0].second.http_status, 404);
  EXPECT_EQ(events[0].second.attempts, 1);
}

TEST_F(RequestObserverTest, TransportFailuresHaveNoHttpStatus) {
  StartClient([](const TestRequest&) {
    TestResponse r;
    r.fault = TestResponse::Fault::kResetWithoutResponse;
    return r;
  });
  EXPECT_FALSE(client_->HeadBucket("bucket").ok());
  const auto events = observer_->events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].second.outcome, ErrorKind::kNetwork);
  EXPECT_EQ(events[0].second.http_status, 0);
  EXPECT_EQ(events[0].second.attempts, 3);
}

}  // namespace
}  // namespace s3core
