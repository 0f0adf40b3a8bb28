// Writing a registry's text exposition to a file, atomically (temporary file + rename), once or
// every few seconds. s3mount does this for `metrics_file=PATH`, which is how s3csi-mounterd
// collects its children's metrics without a port per child.
#pragma once

#include <prometheus/collectable.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "s3core/status.h"

namespace s3core::metrics {

using Collectables = std::vector<std::weak_ptr<prometheus::Collectable>>;

// The text exposition (format 0.0.4) of everything the collectables hold now.
std::string SerializeText(const Collectables& collectables);
// The same, of families already collected (or parsed and merged).
std::string SerializeFamilies(const std::vector<prometheus::MetricFamily>& families);

// Replaces `path` with `text`: written to PATH.tmp.PID, then renamed, so that a reader sees the
// old or the new file, never a partial one. Mode 0644: metrics hold no secrets.
Status WriteFileAtomically(const std::string& path, const std::string& text);

// Rewrites `path` every `interval` on a thread of its own, and once more when stopped.
class PeriodicTextFile {
 public:
  PeriodicTextFile(std::string path, Collectables collectables, std::chrono::milliseconds interval);
  ~PeriodicTextFile();  // Stop()
  PeriodicTextFile(const PeriodicTextFile&) = delete;
  PeriodicTextFile& operator=(const PeriodicTextFile&) = delete;

  // Writes once now (so a start-up problem such as a missing directory is reported at once).
  Status WriteNow();
  void Start();
  // Ends the thread and writes the final values. Idempotent.
  void Stop();

 private:
  void Loop();

  const std::string path_;
  const Collectables collectables_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace s3core::metrics
