#include "mounter/metrics/mount_metrics.h"

#include "mounter/metrics/fuse_metrics.h"
#include "s3core/metrics/s3_request_metrics.h"

namespace mounter {

void MetricsExport::Stop() {
  if (file_) file_->Stop();  // first: civetweb takes up to 2 s (its poll quantum) to stop
  server_.reset();
}

MountMetrics::MountMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      s3_(std::make_shared<s3core::metrics::S3RequestMetrics>(*registry_)),
      fuse_(std::make_shared<FuseMetrics>(*registry_)) {}

s3core::Result<std::unique_ptr<MetricsExport>> MountMetrics::Export(const MetricsExportOptions& options,
                                                                    const FileSystem& fs) const {
  std::unique_ptr<MetricsExport> out(new MetricsExport());
  out->fs_ = std::make_shared<FsStatsCollector>([&fs] { return fs.stats(); });
  const s3core::metrics::Collectables collectables = {registry_, out->fs_};
  if (!options.address.empty()) {
    S3_ASSIGN_OR_RETURN(out->server_, s3core::metrics::MetricsServer::Start(options.address, collectables));
  }
  if (!options.file.empty()) {
    out->file_ = std::make_unique<s3core::metrics::PeriodicTextFile>(options.file, collectables, options.file_interval);
    S3_RETURN_IF_ERROR(out->file_->WriteNow());
    out->file_->Start();
  }
  return out;
}

}  // namespace mounter
