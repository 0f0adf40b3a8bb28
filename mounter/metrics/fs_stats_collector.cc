#include "mounter/metrics/fs_stats_collector.h"

namespace mounter {
namespace {

prometheus::MetricFamily One(const char* name, const char* help, prometheus::MetricType type, uint64_t value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = static_cast<double>(value);
  } else {
    metric.gauge.value = static_cast<double>(value);
  }
  family.metric.push_back(metric);
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> FsStatsCollector::Families(const FsStats& s) {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families = {
      One("s3mount_memory_used_bytes", "Bytes of read-ahead and write buffers held now", MetricType::Gauge,
          s.memory_used),
      One("s3mount_memory_limit_bytes", "The memory budget for read-ahead and write buffers (memory_limit_mb)",
          MetricType::Gauge, s.memory_limit),
      One("s3mount_memory_peak_bytes", "The most buffer memory ever held at once", MetricType::Gauge, s.memory_peak),
      One("s3mount_open_files", "Files with at least one open handle", MetricType::Gauge, s.open_files),
      One("s3mount_open_handles", "Open file handles", MetricType::Gauge, s.open_handles),
      One("s3mount_background_tasks", "Read-ahead GETs and part uploads queued or running", MetricType::Gauge,
          s.background_tasks),
  };
  if (s.data_cache_enabled) {
    families.push_back(One("s3mount_data_cache_hits_total", "Blocks read from the local data cache (use_cache)",
                           MetricType::Counter, s.data_cache_hits));
    families.push_back(One("s3mount_data_cache_misses_total", "Blocks looked up in the data cache and not found",
                           MetricType::Counter, s.data_cache_misses));
    families.push_back(One("s3mount_data_cache_evictions_total", "Blocks removed from the data cache to make room",
                           MetricType::Counter, s.data_cache_evictions));
    families.push_back(One("s3mount_data_cache_bytes", "Bytes of the data cache's block files now",
                           MetricType::Gauge, s.data_cache_bytes));
    families.push_back(One("s3mount_data_cache_entries", "Blocks in the data cache now", MetricType::Gauge,
                           s.data_cache_entries));
  }
  return families;
}

std::vector<prometheus::MetricFamily> FsStatsCollector::Collect() const { return Families(stats_()); }

}  // namespace mounter
