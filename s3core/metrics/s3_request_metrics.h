// S3RequestMetrics: the RequestObserver that turns S3Client's request events into Prometheus
// metrics in a registry (s3_requests_total, s3_request_duration_seconds, retries, bytes).
//
// Labels are the operation name and the outcome kind only (both from small fixed sets), never
// a bucket, key or credential: see docs/CONFIGURATION.md, "Metrics".
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "s3core/client/request_observer.h"

namespace s3core::metrics {

class S3RequestMetrics final : public RequestObserver {
 public:
  explicit S3RequestMetrics(prometheus::Registry& registry);

  void OnRequest(const RequestEvent& event) override;

  // "ok" for success, else the ErrorKind name ("NotFound", "Throttled", ...).
  static const char* OutcomeLabel(ErrorKind kind);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& retries_;
  prometheus::Counter& bytes_sent_;
  prometheus::Counter& bytes_received_;
};

// Latency buckets in seconds, 1 ms to 60 s: small HEADs on a LAN to large parts over a WAN.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace s3core::metrics
