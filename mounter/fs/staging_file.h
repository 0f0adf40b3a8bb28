// StagingFile: the local copy of a file being written, until it is uploaded.
//
// An anonymous file (O_TMPFILE, or created and unlinked at once) with mode 0600 in the cache
// directory or $TMPDIR: nothing is left behind if the process dies, and no other user can read
// it. It holds the whole object (sparse where never written).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "s3core/status.h"

namespace mounter {

class StagingFile {
 public:
  // `dir` "" means $TMPDIR (or /tmp).
  static s3core::Result<std::unique_ptr<StagingFile>> Create(const std::string& dir);
  ~StagingFile();
  StagingFile(const StagingFile&) = delete;
  StagingFile& operator=(const StagingFile&) = delete;

  s3core::Result<size_t> ReadAt(uint64_t offset, char* buf, size_t size) const;
  s3core::Status WriteAt(uint64_t offset, std::string_view data);
  s3core::Status Truncate(uint64_t size);
  s3core::Status Sync();
  int fd() const { return fd_; }

 private:
  explicit StagingFile(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mounter
