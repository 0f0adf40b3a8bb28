// MounterdMetrics: s3csi-mounterd's own metrics (mounts started and failed, children alive,
// child exits by reason) and its s3mount children's, merged into one /metrics.
//
// Each child is started with `-o metrics_file=DIR/<file>` and rewrites that file every 10 s;
// a scrape reads the files of the children alive now, adds `volume_id` and `pid` labels (a
// volume published to two pods on one node has two children) and merges them into one family
// per name (s3core/metrics/text_exposition.h). A child's file is deleted when it exits.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>
#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "s3core/status.h"

namespace s3csi::mounterd {

class MounterdMetrics final : public prometheus::Collectable {
 public:
  // `children_dir`: where the children write (created mode 0700 by Prepare()).
  explicit MounterdMetrics(std::string children_dir);

  // Creates the directory (0700), or checks that an existing one is a directory of ours, and
  // removes files left there by an earlier mounterd.
  s3core::Status Prepare();
  // The metrics file for the next child (a new name each time).
  std::string NextChildFile();

  void ChildStarting(pid_t pid, const std::string& volume_id, const std::string& file);
  void StartSucceeded();
  // `kind`: ErrorKindName of the failure (InvalidArgument, AccessDenied, Timeout, ...).
  void StartFailed(const std::string& kind);
  // Counts the exit by reason and deletes the child's file.
  void ChildExited(pid_t pid, int wait_status);

  std::vector<prometheus::MetricFamily> Collect() const override;

  // "exit_0", "exit_1", "SIGKILL", ...: the child_exits_total label for a wait status.
  static std::string ExitReason(int wait_status);

 private:
  struct Child {
    std::string volume_id;
    std::string file;
  };

  const std::string dir_;
  std::atomic<uint64_t> next_file_{1};
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Counter& started_;
  prometheus::Family<prometheus::Counter>& failed_;
  prometheus::Family<prometheus::Counter>& exits_;
  mutable std::mutex mu_;
  std::map<pid_t, Child> children_;
};

}  // namespace s3csi::mounterd
