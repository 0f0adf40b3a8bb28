#include "s3core/metrics/s3_request_metrics.h"

#include <gtest/gtest.h>

#include <memory>

#include "s3core/metrics/text_file.h"

namespace s3core::metrics {
namespace {

TEST(S3RequestMetricsTest, CountsRequestsRetriesBytesAndLatency) {
  auto registry = std::make_shared<prometheus::Registry>();
  S3RequestMetrics metrics(*registry);
  RequestEvent put;
  put.operation = "PutObject";
  put.bytes_sent = 100;
  put.latency = std::chrono::milliseconds(3);
  put.attempts = 3;
  metrics.OnRequest(put);
  RequestEvent head;
  head.operation = "HeadObject";
  head.outcome = ErrorKind::kNotFound;
  head.http_status = 404;
  head.bytes_received = 7;
  metrics.OnRequest(head);

  const std::string text = SerializeText({registry});
  EXPECT_NE(text.find("s3_requests_total{operation=\"PutObject\",outcome=\"ok\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("s3_requests_total{operation=\"HeadObject\",outcome=\"NotFound\"} 1"), std::string::npos);
  EXPECT_NE(text.find("s3_request_retries_total{operation=\"PutObject\"} 2"), std::string::npos);
  EXPECT_EQ(text.find("s3_request_retries_total{operation=\"HeadObject\"}"), std::string::npos);
  EXPECT_NE(text.find("s3_bytes_sent_total 100"), std::string::npos);
  EXPECT_NE(text.find("s3_bytes_received_total 7"), std::string::npos);
  // 3 ms falls in the 5 ms bucket, not in the 2.5 ms one.
  EXPECT_NE(text.find("s3_request_duration_seconds_bucket{operation=\"PutObject\",le=\"0.0025\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("s3_request_duration_seconds_bucket{operation=\"PutObject\",le=\"0.005\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE s3_request_duration_seconds histogram"), std::string::npos);
}

TEST(S3RequestMetricsTest, OutcomeLabels) {
  EXPECT_STREQ(S3RequestMetrics::OutcomeLabel(ErrorKind::kOk), "ok");
  EXPECT_STREQ(S3RequestMetrics::OutcomeLabel(ErrorKind::kThrottled), "Throttled");
}

}  // namespace
}  // namespace s3core::metrics
