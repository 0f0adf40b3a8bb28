// Target path checks: publish targets are absolute, lexically clean paths; the comparison with
// the mount table uses the path with its parent's symlinks resolved (the kernel records that).
#pragma once

#include <string>

#include "s3core/status.h"

namespace s3csi {

// "/a//b/" -> "/a/b". Refuses relative paths, "." and ".." components, NUL and "/".
s3core::Result<std::string> NormalizeTargetPath(const std::string& target);

// realpath(parent) + "/" + name, without touching the target itself (stat on a broken FUSE mount
// fails). kNotFound if the parent does not exist.
s3core::Result<std::string> ResolveTargetPath(const std::string& normalized_target);

}  // namespace s3csi
