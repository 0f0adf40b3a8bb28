// FuseMetrics: FUSE requests by operation and result, and their latency, as Prometheus metrics
// (s3mount_fuse_requests_total, s3mount_fuse_request_duration_seconds).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <string>

#include "mounter/fuse/fuse_observer.h"

namespace mounter {

class FuseMetrics final : public FuseOpObserver {
 public:
  explicit FuseMetrics(prometheus::Registry& registry);
  void OnFuseOp(const char* op, int error, std::chrono::nanoseconds latency) override;

  // "ok", or the errno's name ("ENOENT"), or "E<number>" for one glibc does not name.
  static std::string ResultLabel(int error);

 private:
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& duration_;
};

}  // namespace mounter
