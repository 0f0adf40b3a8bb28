#include "csi/node/mount_spec_builder.h"

#include <algorithm>

#include "csi/common/capability.h"
#include "csi/common/mount_options.h"
#include "csi/common/secrets.h"
#include "csi/common/validation.h"
#include "csi/common/volume_id.h"
#include "csi/common/volume_options.h"

namespace s3csi {

using s3core::Result;
using s3core::Status;

namespace {

// Drops every `name` and `name=...` option.
void RemoveOption(std::vector<std::string>& options, std::string_view name) {
  std::erase_if(options, [&](const std::string& o) { return HasOption({o}, name); });
}

Result<BucketAndPrefix> Locate(const std::string& volume_id, const VolumeOptions& context) {
  if (!context.bucket.empty()) return BucketAndPrefix{context.bucket, context.prefix};
  auto id = VolumeId::Parse(volume_id);
  if (id.ok()) return BucketAndPrefix{id->bucket, id->prefix};
  if (!id.status().IsNotFound()) return id.status();
  auto path = ParseBucketPath(volume_id);
  if (!path.ok()) {
    return Status::InvalidArgument("volume " + volume_id +
                                   " names no bucket: set volumeAttributes bucket (and prefix) on the PV, or use a "
                                   "bucket[/prefix] volumeHandle");
  }
  return path;
}

}  // namespace

Status CheckNodeVolumeId(const std::string& volume_id) {
  S3_RETURN_IF_ERROR(CheckCsiString("volume_id", volume_id));
  if (volume_id.find_first_of(" \t\n\r,\\") != std::string::npos) {
    return Status::InvalidArgument("volume_id contains blanks, commas or backslashes");
  }
  return {};
}

Result<MountSpec> BuildMountSpec(const csi::v1::NodePublishVolumeRequest& request, const NodeDefaults& defaults) {
  S3_RETURN_IF_ERROR(CheckNodeVolumeId(request.volume_id()));
  if (!request.has_volume_capability()) return Status::InvalidArgument("volume_capability is required");
  const auto& capability = request.volume_capability();
  S3_RETURN_IF_ERROR(CheckCapability(capability));
  S3_RETURN_IF_ERROR(CheckCsiMap("volume_context", request.volume_context()));
  S3_RETURN_IF_ERROR(CheckCsiMap("secrets", request.secrets()));
  size_t flag_bytes = 0;
  for (const auto& flag : capability.mount().mount_flags()) flag_bytes += flag.size();
  if (flag_bytes > kMaxCsiMapBytes) return Status::InvalidArgument("mount_flags are larger than 4 KiB");

  S3_ASSIGN_OR_RETURN(VolumeOptions context,
                      ParseVolumeOptions(ToStdMap(request.volume_context()), OptionsSource::kVolumeContext));
  S3_ASSIGN_OR_RETURN(S3Access access, ParseSecrets(ToStdMap(request.secrets())));
  S3_ASSIGN_OR_RETURN(BucketAndPrefix where, Locate(request.volume_id(), context));

  MountSpec spec;
  spec.volume_id = request.volume_id();
  spec.bucket = where.bucket;
  spec.prefix = where.prefix;
  spec.endpoint = !context.endpoint.empty() ? context.endpoint : !access.endpoint.empty() ? access.endpoint : defaults.endpoint;
  spec.region = !context.region.empty() ? context.region : !access.region.empty() ? access.region : defaults.region;
  spec.secrets = {access.access_key_id, access.secret_access_key, access.session_token};

  std::vector<std::string> options = context.mount_options;
  for (const auto& flag : capability.mount().mount_flags()) {
    S3_ASSIGN_OR_RETURN(auto parsed, ParseMountOptions(flag));
    options.insert(options.end(), parsed.begin(), parsed.end());
  }
  spec.read_only = request.readonly() || IsReadOnlyMode(capability) || HasOption(options, "ro");
  RemoveOption(options, "ro");
  RemoveOption(options, "rw");

  // fsGroup: the pod's group owns the files and may write them (umask and mp_umask 0002 unless
  // set otherwise).
  const std::string& group = capability.mount().volume_mount_group();
  if (!group.empty()) {
    S3_ASSIGN_OR_RETURN(auto gid_options, ParseMountOptions("gid=" + group));
    const bool numeric = std::all_of(group.begin(), group.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric || group.size() > 10 || std::stoull(group) > 0xFFFFFFFEULL) {
      return Status::InvalidArgument("volume_mount_group must be a numeric group id");
    }
    RemoveOption(options, "gid");
    options.insert(options.end(), gid_options.begin(), gid_options.end());
    if (!HasOption(options, "umask")) options.push_back("umask=0002");
    // The volume's root too, or the group could not create anything in it.
    if (!HasOption(options, "mp_umask")) options.push_back("mp_umask=0002");
  }
  // Pods run as users other than the one serving the mount.
  if (!HasOption(options, "allow_other")) options.push_back("allow_other");
  // One of each, the last one given winning (the PV's mountOptions over the StorageClass).
  std::vector<std::string> unique;
  for (auto it = options.rbegin(); it != options.rend(); ++it) {
    const std::string name = it->substr(0, it->find('='));
    if (!HasOption(unique, name)) unique.push_back(*it);
  }
  spec.options.assign(unique.rbegin(), unique.rend());
  return spec;
}

}  // namespace s3csi
