// Measuring one benchmark step: wall-clock time, this process's CPU time (user + system, from
// getrusage) and, optionally, the CPU time the S3 server's processes spent meanwhile (from
// /proc/PID/stat), so that a result says both how fast and who paid for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace s3bench {

struct Usage {
  double wall_s = 0;        // elapsed wall-clock seconds
  double cpu_s = 0;         // user + system seconds of this process (all threads)
  double server_cpu_s = 0;  // user + system seconds of the watched server processes; 0 if none
  double machine_cpu_s = 0; // busy seconds of all CPUs, whoever used them (shows other load)
};

// Starts measuring at construction; Elapsed() may be called any number of times.
class Stopwatch {
 public:
  // `server_pids`: processes whose CPU time is attributed to the server (radosgw, ceph-osd).
  explicit Stopwatch(std::vector<int> server_pids = {});
  Usage Elapsed() const;

 private:
  std::vector<int> server_pids_;
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
  double server_cpu_start_;
  double machine_cpu_start_;
};

// user + system CPU seconds of this process so far (getrusage(RUSAGE_SELF)).
double ProcessCpuSeconds();
// user + system CPU seconds of other processes so far (/proc/PID/stat); unreadable ones count 0.
double OtherProcessesCpuSeconds(const std::vector<int>& pids);
// Busy (not idle, not waiting for I/O) seconds of all CPUs since boot (/proc/stat); 0 if unreadable.
double MachineBusySeconds();

// One figure of one workload.
struct BenchResult {
  std::string workload;  // put-large, get-large, put-single, get-single, small-put, ...
  int threads = 1;
  uint64_t bytes = 0;  // payload bytes moved (0 for metadata-only operations)
  uint64_t ops = 0;    // S3 requests issued
  Usage usage;
};

// The machine-readable line, one per result:
//   RESULT tool=s3core workload=get-large threads=8 bytes=... ops=... wall_s=... cpu_s=...
//          server_cpu_s=... machine_cpu_s=... mib_s=... cpu_s_per_gib=... ops_s=... cpu_us_per_op=...
std::string ResultLine(const std::string& tool, const BenchResult& result);
// A human-readable table of the results.
std::string ResultTable(const std::vector<BenchResult>& results);

}  // namespace s3bench
