#include "mounter/metrics/fuse_metrics.h"

#include <string.h>

namespace mounter {
namespace {

// 50 µs (an answer from the metadata cache) to 60 s (a close that uploads a large file).
const prometheus::Histogram::BucketBoundaries& FuseLatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,     0.25,   0.5,     1,      2.5,   5,      10,    30,   60};
  return kBuckets;
}

}  // namespace

FuseMetrics::FuseMetrics(prometheus::Registry& registry)
    : requests_(prometheus::BuildCounter()
                    .Name("s3mount_fuse_requests_total")
                    .Help("FUSE requests answered, by operation and result (ok or the errno name)")
                    .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("s3mount_fuse_request_duration_seconds")
                    .Help("Time to answer a FUSE request, by operation")
                    .Register(registry)) {}

std::string FuseMetrics::ResultLabel(int error) {
  if (error == 0) return "ok";
  const char* name = strerrorname_np(error);
  return name != nullptr ? name : "E" + std::to_string(error);
}

void FuseMetrics::OnFuseOp(const char* op, int error, std::chrono::nanoseconds latency) {
  requests_.Add({{"op", op}, {"result", ResultLabel(error)}}).Increment();
  duration_.Add({{"op", op}}, FuseLatencyBuckets()).Observe(std::chrono::duration<double>(latency).count());
}

}  // namespace mounter
