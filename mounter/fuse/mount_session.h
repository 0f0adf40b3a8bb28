// MountSession: one FUSE mount of a FileSystem, from fuse_session_new to unmount.
//
//   auto session = MountSession::Create(fs, options, logger);   // no mount yet
//   session->Mount();   // the mount is live when this returns (daemon parents wait for it)
//   session->Run();     // serves until fusermount3 -u / umount, or SIGTERM/SIGINT/SIGHUP;
//                       // then uploads what is pending (FileSystem::FlushAll) and unmounts
//
// The mountpoint "/dev/fd/N" is an open /dev/fuse descriptor of a mount the caller made (the
// CSI plugin does this so that s3mount needs no privilege); libfuse uses it as is, and the
// caller unmounts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mounter/fs/file_system.h"
#include "mounter/fuse/fuse_bridge.h"

namespace mounter {

struct MountSessionOptions {
  std::string mountpoint;                 // absolute path, or /dev/fd/N
  std::vector<std::string> fuse_options;  // handed to libfuse as one -o list (allow_other, ro, ...)
  bool fuse_debug = false;                // libfuse's request trace on stderr
  bool single_thread = false;
  bool clone_fd = false;
  unsigned max_idle_threads = 10;
  unsigned max_threads = 64;  // S3 requests are slow: many may wait at once
  FuseBridgeOptions bridge;
};

class MountSession {
 public:
  // Creates the FUSE session (options are checked by libfuse here). Does not mount.
  static FsResult<std::unique_ptr<MountSession>> Create(FileSystem& fs, MountSessionOptions options,
                                                        std::shared_ptr<spdlog::logger> logger);
  ~MountSession();
  MountSession(const MountSession&) = delete;
  MountSession& operator=(const MountSession&) = delete;

  // Mounts, and routes SIGTERM, SIGINT and SIGHUP to a clean exit of Run().
  FsStatus Mount();
  // Serves requests until unmounted or signalled, then flushes pending uploads and unmounts.
  // Returns the flush's status: a failure means data did not reach S3.
  FsStatus Run();
  // Asks Run() to return (as a signal would). Safe from any thread.
  void Exit();

 private:
  MountSession(FileSystem& fs, MountSessionOptions options, std::shared_ptr<spdlog::logger> logger);

  FileSystem& fs_;
  MountSessionOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  FuseBridge bridge_;
  fuse_session* session_ = nullptr;
  bool mounted_ = false;
  bool signals_installed_ = false;
};

}  // namespace mounter
