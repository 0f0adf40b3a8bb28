// Daemon start-up for s3mount: the parent returns only once the mount is live, or exits
// non-zero with the reason on stderr.
//
// The fork happens first, before any thread exists (the S3 client and libfuse start threads,
// which a fork would not carry over). The child does all the work and reports through a pipe:
// "ready" once fuse_session_mount() succeeded, or the error message. The parent prints the
// message and exits 1, or exits 0 on "ready". A child that dies without a word (a crash) is
// reported with its wait status.
#pragma once

#include <string>

namespace mounter::cli {

class DaemonStart {
 public:
  // Forks. Only the child returns; the parent waits for the child's report and exits.
  static DaemonStart Fork();

  // The mount is live: tells the parent, then detaches from the terminal (stdio to /dev/null,
  // working directory /).
  void ReportReady();
  // The mount failed: the parent prints `message` on stderr and exits 1.
  void ReportFailure(const std::string& message);

 private:
  explicit DaemonStart(int fd) : fd_(fd) {}
  int fd_;  // the pipe's write end; -1 once reported
};

}  // namespace mounter::cli
