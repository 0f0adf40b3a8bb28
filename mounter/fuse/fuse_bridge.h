// FuseBridge: the libfuse3 low-level operations table, each callback a thin forward to
// mounter::FileSystem. Errors become fuse_reply_err(errno); failures that the user must hear of
// (EIO, ETIMEDOUT, ...) are logged with the S3 request id, expected ones (ENOENT) are not.
#pragma once

#define FUSE_USE_VERSION 312
#include <fuse_lowlevel.h>

#include <memory>

#include "mounter/fs/file_system.h"
#include "mounter/fuse/fuse_observer.h"

namespace spdlog {
class logger;
}

namespace mounter {

struct FuseBridgeOptions {
  // Largest write the kernel sends in one request (needs FUSE_MAX_PAGES kernels for > 128 KiB).
  unsigned max_write = 1u << 20;
  unsigned max_readahead = 1u << 20;
  // Kernel write-back caching: off, because other clients of the bucket must see what a write
  // returned as written once it is flushed, and because it reorders writes behind our back.
  bool writeback_cache = false;
  // Told of every answered request (metrics); null = nobody.
  std::shared_ptr<FuseOpObserver> observer;
};

class FuseBridge {
 public:
  FuseBridge(FileSystem& fs, FuseBridgeOptions options, std::shared_ptr<spdlog::logger> logger);

  // The operations table; fuse_session_new() must get this FuseBridge as its userdata.
  static const fuse_lowlevel_ops& Operations();

  FileSystem& fs() { return fs_; }
  const FuseBridgeOptions& options() const { return options_; }
  spdlog::logger& logger() { return *logger_; }

  // Answers `req` with the error's errno, logging it at a level fitting the errno.
  void ReplyError(fuse_req_t req, const char* op, const FsError& error);

 private:
  FileSystem& fs_;
  FuseBridgeOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace mounter
