#include "csi/mount/target_path.h"

#include <limits.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>

namespace s3csi {

s3core::Result<std::string> NormalizeTargetPath(const std::string& target) {
  using s3core::Status;
  if (target.empty() || target[0] != '/') return Status::InvalidArgument("target path must be absolute: " + target);
  if (target.find('\0') != std::string::npos || target.size() >= PATH_MAX) {
    return Status::InvalidArgument("target path contains NUL or is too long");
  }
  std::string out;
  size_t pos = 0;
  while (pos < target.size()) {
    size_t end = target.find('/', pos);
    if (end == std::string::npos) end = target.size();
    const std::string part = target.substr(pos, end - pos);
    pos = end + 1;
    if (part.empty()) continue;
    if (part == "." || part == "..") return Status::InvalidArgument("target path contains '.' or '..': " + target);
    out += "/" + part;
  }
  if (out.empty()) return Status::InvalidArgument("target path is /");
  return out;
}

s3core::Result<std::string> ResolveTargetPath(const std::string& normalized_target) {
  const size_t slash = normalized_target.rfind('/');
  const std::string parent = slash == 0 ? "/" : normalized_target.substr(0, slash);
  const std::string name = normalized_target.substr(slash + 1);
  char resolved[PATH_MAX];
  if (realpath(parent.c_str(), resolved) == nullptr) {
    const int err = errno;
    std::string message = "target parent " + parent + ": " + std::strerror(err);
    if (err == ENOENT) return s3core::Status::NotFound(std::move(message));
    return s3core::Status::Io(std::move(message));
  }
  std::string out = resolved;
  if (out != "/") out += "/";
  return out + name;
}

}  // namespace s3csi
