// s3csi-mounterd's server: accepts the node plugin's requests on a unix socket and runs one
// s3mount child per mount on the /dev/fuse descriptor the plugin sends (see ../messages.h).
//
// It needs no mount privilege: the plugin has mounted already; mounterd and its children only
// read and write the descriptor. Its children live in sessions of their own and are never
// killed by mounterd, not even when it stops: the mounts outlive both the plugin and mounterd.
#pragma once

#include <atomic>
#include <chrono>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "csi/mount/messages.h"
#include "csi/mount/mounterd/children.h"
#include "csi/mount/mounterd/metrics.h"
#include "csi/mount/unique_fd.h"
#include "s3core/status.h"

namespace s3csi::mounterd {

struct ServerOptions {
  std::string socket_path;
  std::string s3mount_path;
  // How long s3mount may take to check the bucket and start serving; below the plugin's own
  // timeout (30 s) so that the plugin hears s3mount's error rather than a timeout.
  std::chrono::milliseconds start_timeout{25000};
  // Counts starts and exits and tells each child where to write its metrics; null = no metrics.
  std::shared_ptr<MounterdMetrics> metrics;
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the socket (mode 0600, its directory if missing). A stale socket file is replaced.
  s3core::Status Listen();
  // Serves until SIGTERM or SIGINT arrives on signal_fd (a signalfd for SIGCHLD, SIGTERM and
  // SIGINT, which the caller has blocked in every thread).
  s3core::Status Run(int signal_fd);

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void Serve(UniqueFd connection);
  Response Handle(Request request, UniqueFd fuse_fd);
  Response Start(const StartRequest& request, UniqueFd fuse_fd);  // StartChild, counted
  Response StartChild(const StartRequest& request, UniqueFd fuse_fd);
  void ReapChildren();
  void JoinFinishedWorkers(bool all);

  ServerOptions options_;
  UniqueFd listener_;
  UniqueFd wake_;  // eventfd: a new child's output must join the poll set
  Children children_;
  std::list<Worker> workers_;
};

// Maps s3mount's start-up error text to a kind the plugin can turn into a CSI error code.
s3core::ErrorKind ClassifyS3mountFailure(const std::string& output);

}  // namespace s3csi::mounterd
