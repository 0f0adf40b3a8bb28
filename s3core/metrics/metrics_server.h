// MetricsServer: serves Prometheus' text format on http://ADDRESS/metrics (prometheus-cpp's
// Exposer, civetweb underneath), for s3mount, s3csi and s3csi-mounterd alike.
#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <string>
#include <vector>

#include "s3core/status.h"

namespace prometheus {
class Exposer;
}

namespace s3core::metrics {

// "HOST:PORT", "[V6]:PORT" or ":PORT" (every IPv4 address). Returns the civetweb form or
// kInvalidArgument naming the problem.
Result<std::string> ParseListenAddress(const std::string& address);

class MetricsServer {
 public:
  // Listens on `address` and serves every collectable on /metrics. A port already in use (or
  // any other bind failure) is an error that names the address, not an exception.
  static Result<std::unique_ptr<MetricsServer>> Start(const std::string& address,
                                                      const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The port actually bound (useful with port 0).
  int port() const;

 private:
  explicit MetricsServer(std::unique_ptr<prometheus::Exposer> exposer);
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace s3core::metrics
