// The kernel side of a FUSE mount made by the plugin itself: open /dev/fuse, mount(2) with
// fd=N, and unmount. The plugin needs CAP_SYS_ADMIN for this; s3mount and mounterd do not.
#pragma once

#include <string>

#include "csi/mount/unique_fd.h"
#include "s3core/status.h"

namespace s3csi {

struct FuseMountRequest {
  std::string target;  // an existing directory
  std::string source;  // MountSource(volume_id, fingerprint)
  bool read_only = false;
  bool allow_other = false;  // others than root may use the mount (pods with runAsUser)
};

// The mount(2) data string for a /dev/fuse descriptor `fd` (exposed for tests).
// default_permissions is always on: s3mount relies on the kernel to check modes (as its own
// mounts do, see mounter/cli/mount_options.cc).
std::string FuseMountData(int fd, bool allow_other);

// Opens /dev/fuse and mounts it at request.target. The returned descriptor is the only handle
// on the new connection: hand it to the server, then close it.
s3core::Result<UniqueFd> MountFuse(const FuseMountRequest& request);

// umount2(target); lazy (MNT_DETACH) for a broken mount or when asked. EINVAL/ENOENT (nothing
// mounted) is not an error.
s3core::Status UnmountTarget(const std::string& target, bool lazy);

}  // namespace s3csi
