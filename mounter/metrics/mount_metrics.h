// MountMetrics: everything s3mount measures, and where it goes (metrics_address=HOST:PORT
// serves /metrics; metrics_file=PATH is rewritten every few seconds and at exit).
//
// Two lifetimes: MountMetrics (the registry and the observers of the S3 client and the FUSE
// bridge) is created before both and outlives them; Export() adds the file system's gauges and
// returns the serving handle, which must be destroyed before the FileSystem it reads.
#pragma once

#include <prometheus/registry.h>

#include <chrono>
#include <memory>
#include <string>

#include "mounter/fs/file_system.h"
#include "mounter/fuse/fuse_observer.h"
#include "mounter/metrics/fs_stats_collector.h"
#include "s3core/client/request_observer.h"
#include "s3core/metrics/metrics_server.h"
#include "s3core/metrics/text_file.h"

namespace mounter {

struct MetricsExportOptions {
  std::string address;  // "" = no HTTP endpoint
  std::string file;     // "" = no file
  std::chrono::milliseconds file_interval{10'000};
};

// Serves and/or writes the metrics until destroyed (then writes the file a last time).
class MetricsExport {
 public:
  ~MetricsExport() { Stop(); }
  MetricsExport(const MetricsExport&) = delete;
  MetricsExport& operator=(const MetricsExport&) = delete;

  // Stops serving and writes the file a last time. Idempotent.
  void Stop();
  int port() const { return server_ ? server_->port() : 0; }

 private:
  friend class MountMetrics;
  MetricsExport() = default;
  std::shared_ptr<FsStatsCollector> fs_;
  std::unique_ptr<s3core::metrics::MetricsServer> server_;
  std::unique_ptr<s3core::metrics::PeriodicTextFile> file_;
};

class MountMetrics {
 public:
  MountMetrics();

  std::shared_ptr<s3core::RequestObserver> s3_observer() const { return s3_; }
  std::shared_ptr<FuseOpObserver> fuse_observer() const { return fuse_; }

  // Binds the address and writes the file once, so that a port in use or an unwritable file
  // fails here, before the mount serves.
  s3core::Result<std::unique_ptr<MetricsExport>> Export(const MetricsExportOptions& options,
                                                        const FileSystem& fs) const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<s3core::RequestObserver> s3_;
  std::shared_ptr<FuseOpObserver> fuse_;
};

}  // namespace mounter
