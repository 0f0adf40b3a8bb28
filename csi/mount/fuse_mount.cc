#include "csi/mount/fuse_mount.h"

#include <fcntl.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

namespace s3csi {

std::string FuseMountData(int fd, bool allow_other) {
  // rootmode 40000: the root is a directory. user_id/group_id: the owner of the connection, who
  // alone may use it without allow_other; the plugin runs as root.
  std::string data = "fd=" + std::to_string(fd) + ",rootmode=40000,user_id=0,group_id=0,default_permissions";
  if (allow_other) data += ",allow_other";
  return data;
}

s3core::Result<UniqueFd> MountFuse(const FuseMountRequest& request) {
  UniqueFd fd(open("/dev/fuse", O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return s3core::Status::Io(std::string("cannot open /dev/fuse: ") + std::strerror(errno));
  unsigned long flags = MS_NOSUID | MS_NODEV;
  if (request.read_only) flags |= MS_RDONLY;
  const std::string data = FuseMountData(fd.get(), request.allow_other);
  if (mount(request.source.c_str(), request.target.c_str(), "fuse.s3mount", flags, data.c_str()) != 0) {
    const int err = errno;
    return s3core::Status::Io("cannot mount " + request.target + ": " + std::strerror(err) +
                              (err == EPERM ? " (the node plugin needs CAP_SYS_ADMIN)" : ""));
  }
  return fd;
}

s3core::Status UnmountTarget(const std::string& target, bool lazy) {
  if (umount2(target.c_str(), lazy ? MNT_DETACH : 0) == 0) return s3core::Status::Ok();
  const int err = errno;
  if (err == EINVAL || err == ENOENT) return s3core::Status::Ok();
  return s3core::Status::Io("cannot unmount " + target + ": " + std::strerror(err));
}

}  // namespace s3csi
