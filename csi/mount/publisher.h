// Publisher: the node plugin's side of "mounts that survive the plugin".
//
// The node plugin opens /dev/fuse and mount(2)s the target itself, then hands the fd over a unix
// socket (SCM_RIGHTS) to s3csi-mounterd, a separate long-lived process that runs s3mount on
// /dev/fd/N. The plugin keeps no state: a restarted plugin re-derives everything it needs from
// /proc/self/mountinfo (the mount's source "s3csi:<volume_id>:<fingerprint>", fstype fuse.s3mount).
// See docs/ARCHITECTURE.md, "Mounts that survive the plugin".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "s3core/status.h"

namespace s3csi {

struct S3Secrets {  // never logged
  std::string access_key_id, secret_access_key, session_token;
};

struct MountSpec {
  std::string volume_id;  // recorded in the mount's source field (fsname) so a restarted plugin can tell what is mounted
  std::string bucket;
  std::string prefix;    // "" or "a/b/" (trailing slash)
  std::string endpoint;  // S3 URL ("" = s3mount default); region ("" = default)
  std::string region;
  std::vector<std::string> options;  // extra s3mount -o options (already validated by the caller against an
                                     // allow-list), e.g. "uid=1000","gid=1000","allow_other","umask=0002"
  bool read_only = false;
  S3Secrets secrets;  // empty: s3mount uses its default credential chain
};

// broken: statfs gives ENOTCONN (its mounter died; stat may still answer from the attribute cache)
struct PublishedMount {
  std::string target;
  std::string volume_id;
  std::string fingerprint;
  bool broken = false;
};

class Publisher {
 public:
  struct Options {
    std::string mounterd_socket;
    std::chrono::milliseconds timeout{30000};
  };
  explicit Publisher(Options options);

  // Mounts spec at target (an existing or creatable directory): opens /dev/fuse, mount(2)s the target with fd=N
  // (source "s3csi:<volume_id>", fstype fuse.s3mount, allow_other as asked, ro if read_only), then sends the fd,
  // the spec and the secrets over SCM_RIGHTS to mounterd, which starts s3mount on /dev/fd/N and answers once
  // the file system is serving (or with s3mount's error, after which the mount is undone).
  // Idempotent: a live mount of the same spec (same fingerprint, a hash of everything but the secrets) -> OK;
  // a live mount of another spec -> Status kind kAlreadyExists; a broken mount is lazily unmounted and redone.
  s3core::Status Publish(const std::string& target, const MountSpec& spec);
  // Unmounts (lazy unmount for a broken mount) and removes the target directory. Nothing mounted / no target -> OK.
  s3core::Status Unpublish(const std::string& target);
  // Reads /proc/self/mountinfo: what of ours is mounted at target (nullopt if nothing).
  s3core::Result<std::optional<PublishedMount>> Inspect(const std::string& target) const;
  // Every mount of ours (for a restarted plugin, logs and volume stats).
  s3core::Result<std::vector<PublishedMount>> List() const;

 private:
  Options options_;
};

}  // namespace s3csi
