// FsStatsCollector: the file system's data-path levels and counters (FileSystem::stats()) as
// Prometheus families, read when a scrape or a metrics file write asks for them: no thread
// polls the file system.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>

#include "mounter/fs/file_system.h"

namespace mounter {

class FsStatsCollector final : public prometheus::Collectable {
 public:
  // `stats` must stay callable as long as this collector is registered anywhere.
  explicit FsStatsCollector(std::function<FsStats()> stats) : stats_(std::move(stats)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

  // The families of one snapshot (what Collect returns).
  static std::vector<prometheus::MetricFamily> Families(const FsStats& stats);

 private:
  std::function<FsStats()> stats_;
};

}  // namespace mounter
