#include "csi/mount/publisher.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "csi/mount/fuse_mount.h"
#include "csi/mount/mount_source.h"
#include "csi/mount/mounterd_client.h"
#include "csi/mount/mountinfo.h"
#include "csi/mount/target_path.h"

namespace s3csi {

namespace {

using s3core::ErrorKind;
using s3core::Status;

// A mount stacked more than this deep at one target is not something we made.
constexpr int kMaxStackedMounts = 4;

// The top-most mount at `resolved_target` (mountinfo lists later mounts after earlier ones).
s3core::Result<std::optional<MountInfoEntry>> TopMount(const std::string& resolved_target) {
  S3_ASSIGN_OR_RETURN(std::vector<MountInfoEntry> entries, ReadMountInfo());
  std::optional<MountInfoEntry> top;
  for (MountInfoEntry& entry : entries) {
    if (entry.mount_point == resolved_target) top = std::move(entry);
  }
  return top;
}

// statfs, not stat: the kernel answers stat of a mount's root from its attribute cache even after
// the connection died, while statfs always asks the server, and fails at once with ENOTCONN
// once nobody serves the connection.
bool IsBroken(const std::string& path) {
  struct statfs st {};
  return statfs(path.c_str(), &st) != 0 && (errno == ENOTCONN || errno == ECONNABORTED);
}

std::optional<PublishedMount> AsOurs(const MountInfoEntry& entry) {
  if (entry.fs_type != kMountFsType) return std::nullopt;
  auto parsed = ParseMountSource(entry.source);
  if (!parsed) return std::nullopt;
  return PublishedMount{entry.mount_point, parsed->volume_id, parsed->fingerprint, IsBroken(entry.mount_point)};
}

std::string Describe(const MountInfoEntry& entry) { return entry.fs_type + " from " + entry.source; }

// Removes the target directory; a missing one is fine.
Status RemoveTarget(const std::string& path) {
  if (rmdir(path.c_str()) == 0 || errno == ENOENT) return Status::Ok();
  return Status::Io("cannot remove target " + path + ": " + std::strerror(errno));
}

}  // namespace

Publisher::Publisher(Options options) : options_(std::move(options)) {}

Status Publisher::Publish(const std::string& target, const MountSpec& spec) {
  S3_RETURN_IF_ERROR(ValidateMountSpec(spec));
  S3_ASSIGN_OR_RETURN(std::string normalized, NormalizeTargetPath(target));
  S3_ASSIGN_OR_RETURN(std::string path, ResolveTargetPath(normalized));
  const std::string fingerprint = Fingerprint(spec);

  for (int depth = 0;; ++depth) {
    S3_ASSIGN_OR_RETURN(std::optional<MountInfoEntry> top, TopMount(path));
    if (!top) break;
    std::optional<PublishedMount> ours = AsOurs(*top);
    if (!ours) return Status::Error(ErrorKind::kAlreadyExists, path + " has another file system mounted: " + Describe(*top));
    if (!ours->broken) {
      if (ours->fingerprint == fingerprint) return Status::Ok();  // a repeated request, already done
      return Status::Error(ErrorKind::kAlreadyExists, path + " has volume " + ours->volume_id +
                                                          " mounted with other parameters (fingerprint " +
                                                          ours->fingerprint + ", requested " + fingerprint + ")");
    }
    if (depth >= kMaxStackedMounts) return Status::Internal(path + ": too many stacked mounts");
    spdlog::warn("publish {}: volume {} is mounted there but its s3mount is gone; unmounting it lazily", path,
                 ours->volume_id);
    S3_RETURN_IF_ERROR(UnmountTarget(path, /*lazy=*/true));
  }

  bool created = false;
  if (mkdir(path.c_str(), 0750) == 0) {
    created = true;
  } else if (errno != EEXIST) {
    return Status::Io("cannot create target " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return Status::InvalidArgument(path + " is not a directory");
  auto undo = [&](const Status& cause) {
    Status unmounted = UnmountTarget(path, /*lazy=*/true);
    if (!unmounted.ok()) spdlog::error("publish {}: {}", path, unmounted.ToString());
    if (created) (void)RemoveTarget(path);
    return cause;
  };

  FuseMountRequest mount_request;
  mount_request.target = path;
  mount_request.source = MountSource(spec.volume_id, fingerprint);
  mount_request.read_only = spec.read_only;
  mount_request.allow_other = std::find(spec.options.begin(), spec.options.end(), "allow_other") != spec.options.end();
  auto fuse_fd = MountFuse(mount_request);
  if (!fuse_fd.ok()) {
    if (created) (void)RemoveTarget(path);
    return fuse_fd.status();
  }

  Request request;
  request.op = Request::Op::kStart;
  request.start = {spec, fingerprint, path};
  const Deadline deadline = std::chrono::steady_clock::now() + options_.timeout;
  auto response = CallMounterd(options_.mounterd_socket, request, fuse_fd->get(), deadline);
  // Our copy of the descriptor must go: once s3mount dies, no open copy may keep the connection
  // alive, or the mount would hang instead of reporting ENOTCONN.
  fuse_fd->Reset();
  if (!response.ok()) return undo(response.status().WithContext("publish " + spec.volume_id + " at " + path));
  if (!response->status.ok()) {
    return undo(response->status.WithContext("s3mount for volume " + spec.volume_id + " failed"));
  }
  spdlog::info("published volume {} at {} (fingerprint {})", spec.volume_id, path, fingerprint);
  return Status::Ok();
}

Status Publisher::Unpublish(const std::string& target) {
  S3_ASSIGN_OR_RETURN(std::string normalized, NormalizeTargetPath(target));
  auto resolved = ResolveTargetPath(normalized);
  if (!resolved.ok()) return resolved.status().IsNotFound() ? Status::Ok() : resolved.status();
  const std::string& path = *resolved;
  for (int depth = 0;; ++depth) {
    S3_ASSIGN_OR_RETURN(std::optional<MountInfoEntry> top, TopMount(path));
    if (!top) break;
    std::optional<PublishedMount> ours = AsOurs(*top);
    if (!ours) {
      return Status::Error(ErrorKind::kConflict, path + " has a file system mounted that is not ours: " + Describe(*top));
    }
    if (depth >= kMaxStackedMounts) return Status::Internal(path + ": too many stacked mounts");
    Status unmounted = UnmountTarget(path, /*lazy=*/ours->broken);
    if (!unmounted.ok() && !ours->broken) {
      // Busy (a process still has files open): detach now; the file system stays alive for those
      // files, and s3mount exits (after flushing) when the last one is closed.
      spdlog::warn("unpublish {}: {}; unmounting lazily", path, unmounted.ToString());
      unmounted = UnmountTarget(path, /*lazy=*/true);
    }
    S3_RETURN_IF_ERROR(unmounted);
    spdlog::info("unpublished volume {} from {}{}", ours->volume_id, path, ours->broken ? " (its s3mount was gone)" : "");
  }
  return RemoveTarget(path);
}

s3core::Result<std::optional<PublishedMount>> Publisher::Inspect(const std::string& target) const {
  S3_ASSIGN_OR_RETURN(std::string normalized, NormalizeTargetPath(target));
  auto resolved = ResolveTargetPath(normalized);
  if (!resolved.ok()) {
    if (resolved.status().IsNotFound()) return std::optional<PublishedMount>();
    return resolved.status();
  }
  S3_ASSIGN_OR_RETURN(std::optional<MountInfoEntry> top, TopMount(*resolved));
  if (!top) return std::optional<PublishedMount>();
  return AsOurs(*top);
}

s3core::Result<std::vector<PublishedMount>> Publisher::List() const {
  S3_ASSIGN_OR_RETURN(std::vector<MountInfoEntry> entries, ReadMountInfo());
  std::vector<PublishedMount> mounts;
  for (const MountInfoEntry& entry : entries) {
    if (auto ours = AsOurs(entry)) mounts.push_back(std::move(*ours));
  }
  return mounts;
}

}  // namespace s3csi
