// FuseOpObserver: told of every FUSE request FuseBridge answered (metrics). The bridge knows
// nothing of Prometheus; mounter/metrics implements this.
#pragma once

#include <chrono>

namespace mounter {

class FuseOpObserver {
 public:
  virtual ~FuseOpObserver() = default;
  // `op` is a static name ("lookup", "read", ...); `error` the errno answered, 0 for success.
  // Called on the FUSE worker thread after the reply: must be cheap and thread-safe.
  virtual void OnFuseOp(const char* op, int error, std::chrono::nanoseconds latency) = 0;
};

}  // namespace mounter
