// Starts one s3mount child with exactly the descriptors of s3mount_command.h and nothing else.
#pragma once

#include <sys/types.h>

#include <string>

#include "csi/mount/mounterd/s3mount_command.h"
#include "csi/mount/unique_fd.h"
#include "s3core/status.h"

namespace s3csi::mounterd {

struct SpawnedS3mount {
  pid_t pid = -1;
  UniqueFd ready;   // read end: "ready\n", or EOF if s3mount failed
  UniqueFd output;  // read end of the child's stdout+stderr
};

// fuse_fd: the /dev/fuse descriptor received from the plugin (mounterd closes its copy after).
// The child runs in a session of its own with default signal handling, so that neither a
// terminal nor mounterd's own end takes it down.
s3core::Result<SpawnedS3mount> SpawnS3mount(const S3mountCommand& command, int fuse_fd, const S3Secrets& secrets);

}  // namespace s3csi::mounterd
