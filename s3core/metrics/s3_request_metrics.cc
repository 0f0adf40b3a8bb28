#include "s3core/metrics/s3_request_metrics.h"

#include <string>

namespace s3core::metrics {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return kBuckets;
}

S3RequestMetrics::S3RequestMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("s3_requests_total")
                    .Help("S3 requests by operation and outcome (after retries)")
                    .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("s3_request_duration_seconds")
                    .Help("S3 request latency by operation, retries and backoff included")
                    .Register(registry)),
      retries_(prometheus::BuildCounter()
                   .Name("s3_request_retries_total")
                   .Help("S3 request attempts that were retried, by operation")
                   .Register(registry)),
      bytes_sent_(prometheus::BuildCounter()
                      .Name("s3_bytes_sent_total")
                      .Help("Bytes of S3 request bodies sent, retries included")
                      .Register(registry)
                      .Add({})),
      bytes_received_(prometheus::BuildCounter()
                          .Name("s3_bytes_received_total")
                          .Help("Bytes of S3 response bodies received (data and XML), retries included")
                          .Register(registry)
                          .Add({})) {}

const char* S3RequestMetrics::OutcomeLabel(ErrorKind kind) {
  return kind == ErrorKind::kOk ? "ok" : ErrorKindName(kind);
}

void S3RequestMetrics::OnRequest(const RequestEvent& event) {
  const std::string operation(event.operation);
  requests_.Add({{"operation", operation}, {"outcome", OutcomeLabel(event.outcome)}}).Increment();
  duration_.Add({{"operation", operation}}, LatencyBuckets())
      .Observe(std::chrono::duration<double>(event.latency).count());
  if (event.attempts > 1) retries_.Add({{"operation", operation}}).Increment(event.attempts - 1);
  if (event.bytes_sent > 0) bytes_sent_.Increment(static_cast<double>(event.bytes_sent));
  if (event.bytes_received > 0) bytes_received_.Increment(static_cast<double>(event.bytes_received));
}

}  // namespace s3core::metrics
